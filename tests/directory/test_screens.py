import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.audit.models import AuditEntry
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region, Zone


def group_form(city, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "子ども食堂 にこにこ",
        "kind": city["salon"].pk,
        "zone": city["east"].pk,
        "region": city["honcho"].pk,
        "schedule": "毎月第2水曜日",
        "contact": "",
        "order": 0,
    }
    data.update(overrides)
    return data


def test_admin_adds_a_group_and_sees_it_listed(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/directory/groups/new/", group_form(city), follow=True)
    page = response.content.decode()
    assert "活動団体・活動の場「子ども食堂 にこにこ」を追加しました。" in page
    assert "子ども食堂 にこにこ" in admin_client.get("/directory/groups/").content.decode()
    entry = AuditEntry.objects.get(action="directory.entry.created")
    assert entry.target_label == "子ども食堂 にこにこ"


def test_zone_is_taken_from_the_region(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    admin_client.post("/directory/groups/new/", group_form(city, zone=""))
    assert ActivityGroup.objects.get(name="子ども食堂 にこにこ").zone == city["east"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "   "}, "このフィールドは必須です。"),
        (
            {"name": "ｻﾛﾝ ひだまり"},
            "この圏域に同じ名称の活動団体・活動の場「サロンひだまり」がすでにあります。",
        ),
        ({"zone": "", "region": ""}, "圏域または地域社協を選んでください。"),
        ({"region": "KYONAN"}, "地域社協「境南地域社協」は西部圏域の地域社協です。"),
    ],
)
def test_bad_group_input_is_explained_and_nothing_saved(
    admin_client, city, overrides, message
) -> None:  # type: ignore[no-untyped-def]
    if overrides.get("region") == "KYONAN":
        overrides["region"] = city["kyonan"].pk
    before = ActivityGroup.objects.count()
    response = admin_client.post("/directory/groups/new/", group_form(city, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ActivityGroup.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="directory.").exists()


def test_same_group_name_is_allowed_in_another_zone(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    admin_client.post(
        "/directory/groups/new/",
        group_form(city, name="サロンひだまり", zone=city["west"].pk, region=city["kyonan"].pk),
    )
    assert ActivityGroup.objects.filter(name="サロンひだまり").count() == 2


def test_region_needs_a_zone(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/directory/regions/new/", {"name": "新しい地域社協", "zone": "", "order": 0}
    )
    assert (
        "圏域" in response.content.decode()
        and "このフィールドは必須です。" in response.content.decode()
    )
    assert not Region.objects.filter(name="新しい地域社協").exists()


def test_deactivated_group_disappears_from_list_and_choices(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    hidamari = city["hidamari"]
    response = admin_client.post(
        f"/directory/groups/{hidamari.pk}/active/", {"active": "0"}, follow=True
    )
    assert "無効にしました" in response.content.decode()
    hidamari.refresh_from_db()
    assert not hidamari.active
    assert "サロンひだまり" not in admin_client.get("/directory/groups/").content.decode()
    assert "サロンひだまり" in admin_client.get("/directory/groups/?inactive=1").content.decode()
    assert AuditEntry.objects.filter(action="directory.entry.deactivated").count() == 1


def test_inactive_zone_is_not_offered_for_new_regions(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    Zone.objects.filter(pk=city["west"].pk).update(active=False)
    page = admin_client.get("/directory/regions/new/").content.decode()
    assert "東部圏域" in page and "西部圏域" not in page


def test_search_matches_kana_and_width(viewer_client, city) -> None:  # type: ignore[no-untyped-def]
    page = viewer_client.get("/directory/groups/", {"q": "ﾋﾀﾞﾏﾘ"}).content.decode()
    assert "サロンひだまり" in page


def test_edit_records_old_and_new_values(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    zone = city["east"]
    admin_client.post(
        f"/directory/zones/{zone.pk}/",
        {"name": "東圏域", "description": "", "staff": "", "order": 1, "version": zone.version},
    )
    zone.refresh_from_db()
    assert zone.name == "東圏域"
    entry = AuditEntry.objects.get(action="directory.entry.updated")
    assert entry.changes["name"] == ["東部圏域", "東圏域"]


def test_agency_in_a_reporting_group(admin_client, db) -> None:  # type: ignore[no-untyped-def]
    group = AgencyGroup.objects.create(name="教育支援課・教育企画課・指導課")
    for name in ("教育支援課", "指導課"):
        admin_client.post("/directory/agencies/new/", {"name": name, "group": group.pk, "order": 0})
    assert list(Agency.objects.filter(group=group).values_list("name", flat=True)) == [
        "教育支援課",
        "指導課",
    ]


def test_municipality_profile_takes_an_era_year(admin_client, db) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/directory/municipality/new/",
        {
            "fiscal_year": "令和2年度",
            "name": "みどり市",
            "population": "148000",
            "households": "78000",
        },
        follow=True,
    )
    assert "令和2年度" in response.content.decode()
    response = admin_client.post(
        "/directory/municipality/new/", {"fiscal_year": "令和ゼロ年", "name": "x"}
    )
    assert "年度として読み取れません" in response.content.decode()


def test_viewer_reads_but_cannot_change(viewer_client, city) -> None:  # type: ignore[no-untyped-def]
    assert viewer_client.get("/directory/groups/").status_code == 200
    assert viewer_client.get("/directory/groups/new/").status_code == 403
    assert viewer_client.post("/directory/groups/new/", {"name": "x"}).status_code == 403
    assert viewer_client.get(f"/directory/groups/{city['hidamari'].pk}/").status_code == 403
    assert (
        viewer_client.post(
            f"/directory/groups/{city['hidamari'].pk}/active/", {"active": "0"}
        ).status_code
        == 403
    )


def test_missing_rows_and_unknown_entities_are_404(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    assert admin_client.get("/directory/groups/999999/").status_code == 404
    assert admin_client.get("/directory/nothing/").status_code == 404
    response = admin_client.get("/directory/nothing/")
    assert "ページが見つかりません" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(admin_client, city) -> None:  # type: ignore[no-untyped-def]
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/directory/groups/").status_code == 200
        return len(queries)

    count_queries()  # the first request after signing in refreshes the session's expiry
    few = count_queries()
    kind = GroupKind.objects.create(name="居場所")
    for i in range(30):
        ActivityGroup.objects.create(
            name=f"居場所{i}", kind=kind, zone=city["west"], region=city["kyonan"]
        )
    assert count_queries() == few
    assert few <= 11
