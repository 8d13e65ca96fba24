from datetime import date

import pytest

from tests.plans.conftest import plan_post
from tsunagu.audit.models import AuditEntry
from tsunagu.plans.models import InitiativeRecord, InitiativeStatus, Plan, PlanYear, Status
from tsunagu.plans.services import set_initiative_status

pytestmark = pytest.mark.django_db


def body(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- reading: every role -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_client", "staff_client", "viewer_client"])
def test_every_role_reads_the_plans(request, who, city, make_plan, admin_user):
    client = request.getfixturevalue(who)
    plan = make_plan(city["kyonan"])
    set_initiative_status(
        by=admin_user,
        initiative=plan.initiatives.first(),
        fiscal_year=2020,
        status=Status.ACHIEVED,
        note="訓練を実施",
    )
    index = client.get("/plans/?year=2020")
    assert index.status_code == 200
    assert "境南地域社協" in body(index) and "笑顔あふれる境南町!" in body(index)
    assert "1／2件記入（達成 1件）" in body(index)

    detail = client.get(f"/plans/{plan.pk}/?year=2020")
    assert detail.status_code == 200
    assert "令和2年度の状況" in body(detail) and "訓練を実施" in body(detail)
    assert client.get(f"/plans/{plan.pk}/print/?year=2020").status_code == 200
    assert client.get("/plans/overview/?year=2020").status_code == 200
    assert client.get(f"/plans/regions/{city['kyonan'].pk}/?year=2020").status_code == 200
    assert client.get("/plans/targets/").status_code == 200
    export = client.get("/plans/export.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # Edit links only for those who may edit.
    assert (f"/plans/{plan.pk}/edit/" in body(detail)) == (who != "viewer_client")


def test_viewers_may_not_change_anything(viewer_client, city, make_plan):
    plan = make_plan(city["kyonan"])
    for url in [
        "/plans/new/",
        f"/plans/{plan.pk}/edit/",
        f"/plans/{plan.pk}/delete/",
        f"/plans/{plan.pk}/status/2020/",
        f"/plans/{plan.pk}/records/",
        "/plans/link/?record=1",
        "/plans/import/",
    ]:
        assert viewer_client.get(url).status_code == 403, url
        assert viewer_client.post(url).status_code == 403, url
    assert (
        viewer_client.post("/plans/targets/", {"name": "新しい対象", "order": 1}).status_code == 403
    )
    assert Plan.objects.count() == 1


def test_unknown_ids_answer_404(staff_client, db):
    for url in [
        "/plans/999/",
        "/plans/regions/999/",
        "/plans/999/status/2020/",
        "/plans/link/?record=999",
        "/plans/link/",
    ]:
        assert staff_client.get(url).status_code == 404, url


# --- editing -----------------------------------------------------------------------------


def test_staff_create_a_plan_from_the_form(staff_client, staff_user, city, targets):
    form = staff_client.get(f"/plans/new/?region={city['kyonan'].pk}")
    assert form.status_code == 200
    assert 'for="id_slogans"' in body(form)
    response = staff_client.post(
        "/plans/new/",
        plan_post(
            region=city["kyonan"],
            start="令和元年度",
            end="R5",
            slogans="笑顔あふれる境南町!\n",
            goals=[
                {
                    "text": "集える場をつくる",
                    "targets": [targets["高齢者"].pk, targets["マンション住民"].pk],
                }
            ],
            initiatives=[
                {"theme": "カラー広報紙での広報", "actions": "・年2回発行\n・SNS", "order": 2},
                {"theme": "防災を軸にした支え合い", "actions": "合同防災訓練", "order": 1},
                {"theme": "", "actions": ""},
            ],
        ),
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert (plan.start_year, plan.end_year, plan.initiatives_heading) == (
        2019,
        2023,
        "今後の取り組み",
    )
    assert [(i.theme, i.action_list) for i in plan.initiatives.all()] == [
        ("防災を軸にした支え合い", ["合同防災訓練"]),
        ("カラー広報紙での広報", ["年2回発行", "SNS"]),
    ]
    assert {t.name for t in plan.goals.get().targets.all()} == {"高齢者", "マンション住民"}
    assert AuditEntry.objects.get(action="plans.plan.created").actor == staff_user


def test_bad_plan_input_is_refused_in_the_form(staff_client, city, make_plan):
    make_plan(city["kyonan"])
    overlapping = staff_client.post(
        "/plans/new/", plan_post(region=city["kyonan"], start="2021", end="2025")
    )
    assert overlapping.status_code == 200
    assert "計画期間が重なる計画（令和元年度〜令和5年度）がすでにあります" in body(overlapping)

    empty_slogan = staff_client.post(
        "/plans/new/", plan_post(region=city["honcho"], slogans=" \n ")
    )
    assert "スローガンを一つ以上入力してください。" in body(empty_slogan)
    assert 'class="error-summary"' in body(empty_slogan)

    empty_theme = staff_client.post(
        "/plans/new/",
        plan_post(region=city["honcho"], initiatives=[{"theme": " ", "actions": "何かをする"}]),
    )
    assert "テーマが空です。入力するか「この行を削除」にチェックしてください。" in body(empty_theme)

    bad_year = staff_client.post("/plans/new/", plan_post(region=city["honcho"], start="来年度"))
    assert "「来年度」は年度として読み取れません" in body(bad_year)
    assert Plan.objects.count() == 1


def test_staff_edit_a_plan_and_keep_its_progress(staff_client, admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    first, second = plan.initiatives.all()
    set_initiative_status(
        by=admin_user, initiative=first, fiscal_year=2019, status=Status.IN_PROGRESS
    )
    form = staff_client.get(f"/plans/{plan.pk}/edit/")
    assert form.status_code == 200 and "防災を軸にした支え合い" in body(form)
    response = staff_client.post(
        f"/plans/{plan.pk}/edit/",
        plan_post(
            region=city["kyonan"],
            version=plan.version,
            initial=(1, 2),
            initiatives=[
                {
                    "id": first.pk,
                    "theme": "防災・減災を軸にした支え合い",
                    "actions": "合同防災訓練",
                },
                {"id": second.pk, "theme": second.theme, "delete": True},
            ],
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert [i.theme for i in plan.initiatives.all()] == ["防災・減災を軸にした支え合い"]
    assert InitiativeStatus.objects.get().initiative_id == first.pk

    stale = staff_client.post(
        f"/plans/{plan.pk}/edit/",
        plan_post(
            region=city["kyonan"],
            version=1,
            initial=(1, 1),
            initiatives=[{"id": first.pk, "theme": "古い版"}],
        ),
    )
    assert "あなたが開いた後に" in body(stale)


def test_yearly_status_form(staff_client, city, make_plan):
    plan = make_plan(city["kyonan"])
    first, second = plan.initiatives.all()
    page = staff_client.get(f"/plans/{plan.pk}/status/2020/")
    assert page.status_code == 200 and "令和2年度の進捗" in body(page)
    response = staff_client.post(
        f"/plans/{plan.pk}/status/2020/",
        {
            f"status_{first.pk}": Status.ACHIEVED,
            f"note_{first.pk}": "合同訓練を2回",
            f"status_{second.pk}": "",
            f"note_{second.pk}": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/?year=2020"
    status = InitiativeStatus.objects.get()
    assert (status.initiative_id, status.fiscal_year, status.note) == (
        first.pk,
        2020,
        "合同訓練を2回",
    )

    refused = staff_client.post(
        f"/plans/{plan.pk}/status/2020/",
        {
            f"status_{first.pk}": "",
            f"note_{first.pk}": "メモだけ",
            "version": PlanYear.objects.get(plan=plan, fiscal_year=2020).version,
        },
    )
    assert "進捗メモがあるので、状況も選んでください" in body(refused)
    assert InitiativeStatus.objects.get().status == Status.ACHIEVED


def test_a_year_outside_the_period_is_refused_with_a_message(staff_client, city, make_plan):
    plan = make_plan(city["kyonan"])
    response = staff_client.get(f"/plans/{plan.pk}/status/2024/", follow=True)
    assert "令和6年度は、この計画の期間（令和元年度〜令和5年度）の外です。" in body(response)
    response = staff_client.post(f"/plans/{plan.pk}/status/2024/", {}, follow=True)
    assert "の外です" in body(response)
    assert not InitiativeStatus.objects.exists()


def test_delete_asks_then_deletes(staff_client, city, make_plan):
    plan = make_plan(city["kyonan"])
    assert "元に戻せません" in body(staff_client.get(f"/plans/{plan.pk}/delete/"))
    response = staff_client.post(f"/plans/{plan.pk}/delete/")
    assert response["Location"] == f"/plans/regions/{city['kyonan'].pk}/"
    assert not Plan.objects.exists()


# --- linking records ---------------------------------------------------------------------


def test_staff_link_a_record_from_the_plan_screen(staff_client, city, make_plan, make_record):
    plan = make_plan(city["honcho"])
    _first, second = plan.initiatives.all()
    record = make_record(date(2020, 7, 1), target_group=city["hidamari"], region=city["honcho"])
    make_record(date(2020, 7, 2), region=city["kyonan"])  # another council's record

    listing = staff_client.get(f"/plans/{plan.pk}/records/?year=2020")
    assert listing.status_code == 200
    assert "1件" in body(listing)
    link_url = f"/plans/link/?record={record.pk}"
    assert link_url in body(listing)

    form = staff_client.get(f"{link_url}&next=/plans/{plan.pk}/records/%3Fyear%3D2020")
    assert form.status_code == 200 and second.theme in body(form)
    response = staff_client.post(
        link_url,
        {
            "initiatives": [second.pk],
            "initiatives_listed": "1",
            "next": f"/plans/{plan.pk}/records/?year=2020",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/records/?year=2020"
    assert list(InitiativeRecord.objects.values_list("initiative_id", flat=True)) == [second.pk]

    detail = staff_client.get(f"/plans/{plan.pk}/?year=2020")
    assert f"/records/{record.pk}/" in body(detail)

    # An outside address is never followed.
    response = staff_client.post(
        link_url, {"initiatives_listed": "1", "next": "https://example.com/"}
    )
    assert response["Location"] == f"/records/{record.pk}/"
    assert not InitiativeRecord.objects.exists()


def test_an_initiative_of_another_council_cannot_be_posted(
    staff_client, city, make_plan, make_record
):
    make_plan(city["honcho"])
    other = make_plan(city["kyonan"]).initiatives.first()
    record = make_record(date(2020, 7, 1), region=city["honcho"])
    response = staff_client.post(
        f"/plans/link/?record={record.pk}", {"initiatives": [other.pk], "initiatives_listed": "1"}
    )
    assert response.status_code == 200
    assert "正しく選択してください" in body(response) or "選択" in body(response)
    assert not InitiativeRecord.objects.exists()


# --- target groups -----------------------------------------------------------------------


def test_staff_manage_the_target_groups(staff_client, db):
    response = staff_client.post("/plans/targets/defaults/")
    assert response.status_code == 302
    page = staff_client.get("/plans/targets/")
    assert "外国籍の住民" in body(page)
    duplicate = staff_client.post("/plans/targets/", {"name": "高齢者", "order": 1})
    assert "対象「高齢者」はすでにあります" in body(duplicate)
    added = staff_client.post("/plans/targets/", {"name": "ひとり親家庭", "order": 20})
    assert added.status_code == 302
