"""The REST API as another system uses it: tokens, records, the report, referrals, and
every bad input answered as a Japanese problem+json."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.access_world import World
from tests.api.conftest import Api, bearer
from tsunagu.accounts.models import Role
from tsunagu.api.models import ApiToken
from tsunagu.api.services import issue_token, revoke_token
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import Referral
from tsunagu.records.models import ActivityKind, Category, SupportRecord

PROBLEM = "application/problem+json"


def is_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    return body


def consultation(world: World, **extra: object) -> dict:
    kind = world["kind"]
    ctype = world["consulter_type"]
    category = Category.objects.filter(consulter_type=ctype, fiscal_year=world.fiscal_year).first()
    assert category is not None
    day = timezone.localdate()
    return {
        "date": day.isoformat(),
        "activity_kind": kind.pk,
        "place": "office",
        "consulter_type": ctype.pk,
        "categories": [category.pk],
        "note": "電話で相談を受けた",
        **extra,
    }


@pytest.mark.django_db
def test_a_staff_token_creates_a_record_and_reads_it_back_with_its_version(
    world: World, apis: dict[str, Api]
) -> None:
    response = apis["other"].send("post", "/records", consultation(world))
    assert response.status_code == 201, response.content.decode()
    record = SupportRecord.objects.get(pk=response.json()["id"])
    assert record.note == "電話で相談を受けた" and record.created_by == world.users["other"]
    assert response["ETag"] == f'"{record.version}"'
    assert AuditEntry.objects.filter(
        action="records.record.created", target_id=str(record.pk)
    ).exists()
    read = apis["other"].get(f"/records/{record.pk}")
    assert read.json()["note"] == "電話で相談を受けた"
    assert AuditEntry.objects.filter(action="records.note.read", target_id=str(record.pk)).exists()


@pytest.mark.django_db
def test_a_viewer_token_sees_the_record_but_never_its_note(
    world: World, apis: dict[str, Api]
) -> None:
    body = apis["viewer"].get(f"/records/{world['own_record'].pk}").json()
    assert body["note"] is None and "メモ" in body["note_hidden"]
    linked = apis["other"].get(f"/records/{world['case_record'].pk}").json()
    assert linked["note"] is None and "個別支援" in linked["note_hidden"]
    assert apis["assigned"].get(f"/records/{world['case_record'].pk}").json()["note"]


@pytest.mark.django_db
def test_a_stale_write_is_refused_with_412_and_nothing_is_overwritten(
    world: World, apis: dict[str, Api]
) -> None:
    created = apis["other"].send("post", "/records", consultation(world)).json()
    path = f"/records/{created['id']}"
    first = apis["other"].send("put", path, consultation(world, note="一回目"), HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = apis["other"].send(
        "put", path, consultation(world, note="古い版から"), HTTP_IF_MATCH='"1"'
    )
    assert "読み直して" in is_problem(stale, 412)["detail"]
    assert SupportRecord.objects.get(pk=created["id"]).note == "一回目"
    is_problem(apis["other"].send("put", path, consultation(world)), 428)


@pytest.mark.django_db
def test_a_read_scope_token_cannot_create_and_a_demoted_account_loses_the_right(
    world: World,
) -> None:
    other = world.users["other"]
    read = Api(
        issue_token(
            by=world.users["admin"],
            user=other,
            name="読むだけ",
            scope="read",
            expires_at=timezone.now() + timedelta(days=1),
        ).secret
    )
    assert (
        "読み取り" in is_problem(read.send("post", "/records", consultation(world)), 403)["detail"]
    )
    write = Api(
        issue_token(
            by=world.users["admin"],
            user=other,
            name="書く",
            scope="write",
            expires_at=timezone.now() + timedelta(days=1),
        ).secret
    )
    other.role = Role.VIEWER
    other.save(update_fields=["role"])
    assert (
        "職員と管理者"
        in is_problem(write.send("post", "/records", consultation(world)), 403)["detail"]
    )
    assert SupportRecord.objects.filter(note="電話で相談を受けた").count() == 0


@pytest.mark.django_db
def test_expired_revoked_wrong_and_missing_tokens_are_401(world: World) -> None:
    admin = world.users["admin"]
    expired = issue_token(
        by=admin,
        user=admin,
        name="古い",
        scope="read",
        expires_at=timezone.now() + timedelta(days=1),
    )
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    assert "有効期限" in is_problem(Api(expired.secret).get("/records"), 401)["detail"]
    revoked = issue_token(
        by=admin,
        user=admin,
        name="取消",
        scope="read",
        expires_at=timezone.now() + timedelta(days=1),
    )
    revoke_token(by=admin, token=revoked.token)
    assert "取り消され" in is_problem(Api(revoked.secret).get("/records"), 401)["detail"]
    assert (
        "正しくありません"
        in is_problem(Api(revoked.secret[:-2] + "xx").get("/records"), 401)["detail"]
    )
    assert "トークンがありません" in is_problem(Client().get("/api/v1/records"), 401)["detail"]
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{not json", 400, "JSON"),
        ({"date": "昨日", "activity_kind": 1, "place": "office"}, 422, "日付"),
        ({"activity_kind": "一", "place": "office", "date": "2024-05-01"}, 422, "整数"),
        (
            {"date": "2024-05-01", "activity_kind": 1, "place": "office", "colour": "red"},
            422,
            "colour",
        ),
        ([1, 2], 422, "オブジェクト"),
    ],
)
def test_bad_bodies_are_explained_and_nothing_is_saved(
    world: World, apis: dict[str, Api], body: object, status: int, words: str
) -> None:
    before = SupportRecord.objects.count()
    assert words in is_problem(apis["admin"].send("post", "/records", body), status)["detail"]
    assert SupportRecord.objects.count() == before


@pytest.mark.django_db
def test_a_category_of_another_year_is_refused(world: World, apis: dict[str, Api]) -> None:
    other_year = Category.objects.create(
        name="去年の分類", consulter_type=world["consulter_type"], fiscal_year=world.fiscal_year - 1
    )
    body = is_problem(
        apis["admin"].send("post", "/records", consultation(world, categories=[other_year.pk])), 422
    )
    assert "年度" in body["detail"]
    assert not SupportRecord.objects.filter(categories=other_year).exists()


@pytest.mark.django_db
def test_a_ten_megabyte_body_is_413(world: World, apis: dict[str, Api]) -> None:
    huge = '{"note": "' + "あ" * (10 * 1024 * 1024 // 3) + '"}'
    assert "大きすぎ" in is_problem(apis["admin"].send("post", "/records", huge), 413)["detail"]


@pytest.mark.django_db
def test_unknown_paths_and_methods_are_problems_too(world: World, apis: dict[str, Api]) -> None:
    is_problem(apis["admin"].get("/nothing-here"), 404)
    is_problem(apis["admin"].get("/records/999999"), 404)
    is_problem(apis["admin"].send("delete", "/records"), 405)
    is_problem(apis["admin"].get("/directory/planets"), 404)


@pytest.mark.django_db
def test_the_rate_limit_answers_429_after_the_limit(
    world: World, apis: dict[str, Api], settings
) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.API_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert apis["viewer"].get("/categories/2024").status_code == 200
    body = is_problem(apis["viewer"].get("/categories/2024"), 429)
    assert "上限（3回）" in body["detail"]
    assert apis["admin"].get("/categories/2024").status_code == 200  # per token


@pytest.mark.django_db
def test_the_report_is_the_documented_json(world: World, apis: dict[str, Api]) -> None:
    body = apis["viewer"].get(f"/reports/{world.fiscal_year}").json()
    assert body["fiscal_year"] == world.fiscal_year and "sections" in body


@pytest.mark.django_db
def test_lists_of_the_year_carry_their_lineage(world: World, apis: dict[str, Api]) -> None:
    kind = world["kind"]
    last_year = ActivityKind.objects.create(name="前の種別", fiscal_year=world.fiscal_year - 1)
    kind.predecessors.add(last_year)
    body = apis["viewer"].get(f"/categories/{world.fiscal_year}").json()
    assert next(k for k in body["activity_kinds"] if k["id"] == kind.pk)["predecessors"] == [
        last_year.pk
    ]


@pytest.mark.django_db
def test_an_agency_system_closes_the_loop_of_a_referral(world: World, apis: dict[str, Api]) -> None:
    referral = world["referral"]
    path = f"/referrals/{referral.pk}/updates"
    today = timezone.localdate().isoformat()
    is_problem(
        apis["other"].send("post", path, {"status": "done", "updated_on": today, "note": "x"}), 404
    )
    body = apis["assigned"].send(
        "post", path, {"status": "done", "updated_on": today, "note": "支援開始"}
    )
    assert body.status_code == 200 and body.json()["status"] == "done"
    assert Referral.objects.get(pk=referral.pk).outcome == "支援開始"
    assert AuditEntry.objects.filter(action="cases.referral.updated").exists()
    again = apis["assigned"].send("post", path, {"status": "accepted", "updated_on": today})
    assert "終わっています" in is_problem(again, 422)["detail"]


@pytest.mark.django_db
def test_the_records_list_pages_by_id_in_a_fixed_number_of_queries(
    world: World,
    apis: dict[str, Api],
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    seen: list[int] = []
    after = ""
    while True:
        body = apis["admin"].get(f"/records?fy={world.fiscal_year}&limit=2{after}").json()
        seen += [r["id"] for r in body["items"]]
        if body["next_after"] is None:
            break
        after = f"&after={body['next_after']}"
    expected = list(
        SupportRecord.objects.alive()
        .filter(fiscal_year=world.fiscal_year)
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected and len(seen) >= 3
    cache.clear()
    apis["admin"].get("/records")  # last_used_at written
    # The token, the page of records, its categories and agencies: the same for 50 as for 2.
    with django_assert_num_queries(4):
        apis["admin"].get(f"/records?fy={world.fiscal_year}&limit=50")


def test_the_token_screen_issues_once_and_revokes(admin_client, staff_user) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/staff/api-tokens/",
        {
            "user": staff_user.pk,
            "name": "関係機関",
            "scope": "write",
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    token = ApiToken.objects.get()
    text = response.content.decode()
    assert "二度と表示されません" in text and "tsg_" in text
    assert token.secret_hash not in text and len(token.secret_hash) == 64
    assert "tsg_" not in admin_client.get("/staff/api-tokens/").content.decode()
    admin_client.post(f"/staff/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert client_refused(token)


def client_refused(token: ApiToken) -> bool:
    return Client().get("/api/v1/records", **bearer("tsg_" + token.key + "_x")).status_code == 401


@pytest.mark.django_db
def test_a_record_chooses_area_support_and_goes_back_to_automatic(
    world: World, apis: dict[str, Api]
) -> None:
    created = apis["other"].send("post", "/records", consultation(world, support_kind="area"))
    assert created.status_code == 201, created.content.decode()
    body = created.json()
    assert (body["support_kind"], body["support_kind_effective"]) == ("area", "area")
    record = SupportRecord.objects.get(pk=body["id"])
    assert record.support_kind == "area"
    # No target and no case: 自動 counts it as 個別支援.
    path = f"/records/{record.pk}"
    back = apis["other"].send(
        "put", path, consultation(world, support_kind=None), HTTP_IF_MATCH=created["ETag"]
    )
    assert back.status_code == 200, back.content.decode()
    assert (back.json()["support_kind"], back.json()["support_kind_effective"]) == (
        None,
        "individual",
    )
    record.refresh_from_db()
    assert record.support_kind is None and record.version == 2
    updated = AuditEntry.objects.get(action="records.record.updated", target_id=str(record.pk))
    assert "support_kind" in str(updated.changes)
    listed = apis["other"].get("/records?ordering=-id&limit=1").json()["items"][0]
    assert listed["id"] == record.pk and listed["support_kind"] is None


@pytest.mark.django_db
def test_an_unknown_support_kind_is_explained_and_nothing_is_saved(
    world: World, apis: dict[str, Api]
) -> None:
    before = SupportRecord.objects.count()
    body = is_problem(
        apis["other"].send("post", "/records", consultation(world, support_kind="both")), 422
    )
    assert "「support_kind」は決められた値" in body["detail"]
    assert "individual" in body["detail"] and "area" in body["detail"]
    assert SupportRecord.objects.count() == before


@pytest.mark.django_db
def test_lists_of_the_year_show_codes_and_the_catch_all_category(
    world: World, apis: dict[str, Api]
) -> None:
    ctype = world["consulter_type"]
    ctype.code = "individual-consulter"
    ctype.save(update_fields=["code"])
    other = Category.objects.get(name="その他", consulter_type=ctype, fiscal_year=world.fiscal_year)
    other.catch_all, other.code = True, "other"
    other.save(update_fields=["catch_all", "code"])
    body = apis["viewer"].get(f"/categories/{world.fiscal_year}").json()
    listed = next(c for c in body["categories"] if c["id"] == other.pk)
    assert (listed["catch_all"], listed["code"]) == (True, "other")
    assert not any(c["catch_all"] for c in body["categories"] if c["id"] != other.pk)
    assert next(t for t in body["consulter_types"] if t["id"] == ctype.pk)["code"] == (
        "individual-consulter"
    )
