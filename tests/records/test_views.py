from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tsunagu.audit.models import AuditEntry
from tsunagu.records.models import Place, SupportRecord
from tsunagu.records.services import RecordData, create_record


def entry_form(lists, city, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": "R2.6.10",
        "activity_kind": lists["kind2020:相談対応"].pk,
        "place": "outreach",
        "target": f"g:{city['hidamari'].pk}",
        "consulter_type": lists["types"]["ニーズを抱えている個人"].pk,
        "categories": [lists["cat2020:近況報告など"].pk],
        "agencies": f"{lists['houkatsu'].pk}:referral",
        "consent": "on",
        "note": "サロンで相談を受けた。",
    }
    data.update(overrides)
    return data


def test_quick_entry_saves_a_consultation(staff_client, lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post("/records/new/", entry_form(lists, city), follow=True)
    assert "令和2年6月10日の記録（相談対応）を保存しました。" in response.content.decode()
    record = SupportRecord.objects.get()
    assert record.staff is None or record.staff == staff_user
    assert record.zone == city["east"]
    assert record.agency_links.get().action == "referral"


def test_quick_entry_defaults(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get("/records/new/").content.decode()
    assert 'value="outreach"' in page and "checked" in page
    assert "東部圏域" in page  # my zone


def test_continue_keeps_the_shared_values(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post("/records/new/", {**entry_form(lists, city), "continue": "1"})
    assert response.status_code == 302
    assert "target=g%3A" in response["Location"] and "date=2020-06-10" in response["Location"]
    page = staff_client.get(response["Location"]).content.decode()
    assert "サロンひだまり" in page


def test_bad_entry_is_explained_and_nothing_saved(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    for overrides, message in [
        ({"date": "令和2年13月1日"}, "日付"),
        ({"categories": [lists["cat2020:ボランティアしたい"].pk]}, "この記録には使えません"),
        ({"note": "あ" * 10_001}, "メモは10,000文字以内にしてください"),
        ({"target": "g:999999"}, "支援先が見つかりません"),
        ({"date": "2019-06-10"}, "選んだ活動種別は日付の年度（令和元年度）のものではありません"),
    ]:
        response = staff_client.post("/records/new/", entry_form(lists, city, **overrides))
        assert response.status_code == 200
        assert message in response.content.decode(), overrides
    assert not SupportRecord.objects.exists()


def test_viewer_sees_records_but_not_notes(viewer_client, record) -> None:  # type: ignore[no-untyped-def]
    page = viewer_client.get(f"/records/{record.pk}/").content.decode()
    assert "サロンひだまり" in page
    assert "買い物" not in page
    assert "閲覧の権限では表示されません" in page
    assert viewer_client.get(f"/records/{record.pk}/edit/").status_code == 403
    assert viewer_client.get("/records/new/").status_code == 403
    assert not AuditEntry.objects.filter(action="records.note.read").exists()
    # and cannot search the notes
    assert "メモを検索" not in viewer_client.get("/records/?fy=2020").content.decode()


def test_reading_a_note_is_logged(staff_client, record, staff_user) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get(f"/records/{record.pk}/").content.decode()
    assert "買い物の困りごと" in page
    assert AuditEntry.objects.filter(
        action="records.note.read", actor=staff_user, target_id=str(record.pk)
    ).exists()


def test_two_editors_the_second_is_told(
    client, staff_client, admin_user, record, lists, city
) -> None:  # type: ignore[no-untyped-def]
    form = {**entry_form(lists, city), "date": "2020-06-10", "version": "1"}
    client.force_login(admin_user)
    assert client.post(f"/records/{record.pk}/edit/", {**form, "place": "phone"}).status_code == 302
    response = staff_client.post(f"/records/{record.pk}/edit/", {**form, "place": "email"})
    page = response.content.decode()
    assert "管理 一郎さんが保存しました" in page
    assert "保存されている内容とあなたの入力の違い" in page
    record.refresh_from_db()
    assert record.place == Place.PHONE


def test_delete_then_admin_restores_from_trash(staff_client, admin_user, record) -> None:  # type: ignore[no-untyped-def]
    admin_client = Client()
    admin_client.force_login(admin_user)
    response = staff_client.post(f"/records/{record.pk}/delete/", follow=True)
    assert "ごみ箱に移しました" in response.content.decode()
    assert staff_client.get(f"/records/{record.pk}/").status_code == 404
    # Staff see their own deletion in the trash (issue #13); only administrators purge.
    staff_trash = staff_client.get("/records/trash/").content.decode()
    assert "サロンひだまり" in staff_trash and "/purge/" not in staff_trash
    assert "サロンひだまり" in admin_client.get("/records/trash/").content.decode()
    admin_client.post(f"/records/{record.pk}/restore/")
    assert staff_client.get(f"/records/{record.pk}/").status_code == 200
    log = admin_client.get("/audit/").content.decode()
    for sentence in (
        "支援記録を削除しました",
        "支援記録をごみ箱から元に戻しました",
        "支援記録を登録しました",
    ):
        assert sentence in log


def test_list_filters_and_note_search(staff_client, record, lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 8, 1),
                "activity_kind": lists["kind2020:出向き・参加"],
                "place": Place.OUTREACH,
            },
        ),
    )
    page = staff_client.get("/records/", {"fy": "令和2年度"}).content.decode()
    assert "2件" in page
    page = staff_client.get("/records/", {"fy": "2020", "q": "ｺﾞﾄ"}).content.decode()
    assert "1件" in page
    page = staff_client.get(
        "/records/", {"fy": "2020", "category": lists["cat2020:近況報告など"].pk}
    ).content.decode()
    assert "1件" in page
    page = staff_client.get(
        "/records/", {"fy": "2020", "agency": lists["houkatsu"].pk}
    ).content.decode()
    assert "1件" in page
    page = staff_client.get("/records/", {"fy": "2019"}).content.decode()
    assert "条件に合う記録はありません" in page
    page = staff_client.get("/records/", {"fy": "令和ゼロ年"}).content.decode()
    assert "年度として読み取れません" in page


def test_list_query_count_is_constant(staff_client, record, lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get("/records/", {"fy": "2020"}).status_code == 200
        return len(captured)

    queries()  # the first request after signing in refreshes the session's expiry
    one = queries()
    for day in range(1, 29):
        create_record(
            by=staff_user,
            data=RecordData(
                values={
                    "date": date(2020, 9, day),
                    "activity_kind": lists["kind2020:相談対応"],
                    "place": Place.PHONE,
                    "target_group": city["hidamari"],
                    "consulter_type": lists["types"]["地域活動団体"],
                },
                categories=[lists["cat2020:チラシ・広報"], lists["cat2020:特定の個人のこと"]],
                agencies=[(lists["agency"], "liaison")],
            ),
        )
    assert queries() == one
    assert one <= 20


def test_lookup_matches_kana_and_width(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    results = staff_client.get("/records/lookup/targets/", {"q": "ﾋﾀﾞﾏﾘ"}).json()["results"]
    assert [r["label"] for r in results] == ["サロンひだまり"]
    results = staff_client.get("/records/lookup/agencies/", {"q": "ほうかつ"}).json()["results"]
    assert [r["label"] for r in results] == ["みどり台地域包括支援センター"]  # by its reading
    results = staff_client.get("/records/lookup/agencies/", {"q": "包括"}).json()["results"]
    assert [r["label"] for r in results] == ["みどり台地域包括支援センター"]


def test_outing_screen_saves_visit_and_consultations(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    individual = lists["types"]["ニーズを抱えている個人"].pk
    volunteer = lists["types"]["ボランティア希望（活動）者"].pk
    data = {
        "date": "2020-07-01",
        "place": "outreach",
        "target": f"g:{city['hidamari'].pk}",
        "visit_kind": lists["kind2020:出向き・参加"].pk,
        "consultation_kind": lists["kind2020:相談対応"].pk,
        "c-TOTAL_FORMS": "3",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "30",
        "c-0-consulter_type": individual,
        "c-0-categories": [lists["cat2020:福祉サービス・相談機関への紹介"].pk],
        "c-0-agencies": f"{lists['houkatsu'].pk}:referral",
        "c-1-consulter_type": volunteer,
        "c-1-categories": [lists["cat2020:ボランティアしたい"].pk],
        "c-2-consulter_type": "",
    }
    response = staff_client.post("/records/outing/", data, follow=True)
    assert "出向き先での記録を3件保存しました。" in response.content.decode()
    assert SupportRecord.objects.consultations().count() == 2
    assert SupportRecord.objects.filter(target_group=city["hidamari"]).count() == 3


@pytest.mark.parametrize("zone", ["²", "9" * 30, "-1"])
def test_a_bad_filter_value_shows_every_record_with_a_message(staff_client, record, zone) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/records/", {"fy": "2020", "zone": zone, "q": "ｺﾞﾄ"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1件" in page
    assert "「圏域」の指定" in page
