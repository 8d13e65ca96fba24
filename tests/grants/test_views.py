"""The grant screens through HTTP, for each role."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user
from tsunagu.accounts.models import Role, User
from tsunagu.audit.models import AuditEntry
from tsunagu.grants.defaults import ensure_fundraising_lists
from tsunagu.grants.models import FundraisingTotal, Grant, GrantProgramme, GrantState


def text(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the year summary -----------------------------------------------------------------


def test_the_summary_lists_every_council_with_its_state(
    viewer_client: Client, applied: Grant
) -> None:
    page = text(viewer_client.get("/grants/?fy=2020"))
    assert "令和2年度 地域社協への助成金" in page
    assert "本町地域社協" in page and "申請中" in page
    assert "境南地域社協" in page and "未申請" in page
    assert f'href="/grants/{applied.pk}/"' in page
    assert "申請を入力" not in page  # viewers read only
    assert "上限額・財源を変更" not in page


def test_staff_see_where_to_apply_and_admins_the_settings(
    staff_client: Client, programme: GrantProgramme, city: dict[str, Any]
) -> None:
    page = text(staff_client.get("/grants/?fy=2020"))
    assert f"/grants/year/2020/apply/{city['kyonan'].pk}/" in page
    assert "/grants/year/2020/settings/" not in page


def test_the_year_can_be_typed_as_an_era(admin_client: Client, programme: GrantProgramme) -> None:
    response = admin_client.get("/grants/", {"fy": "R2"})
    assert response.context["fiscal_year"] == 2020
    response = admin_client.get("/grants/", {"fy": "そのうち"})
    assert "年度として読み取れません" in " ".join(messages_of(response))


def test_the_summary_query_count_does_not_grow_with_councils(
    admin_client: Client, applied: Grant, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        admin_client.get("/grants/?fy=2020")


# --- the steps through the screens --------------------------------------------------


def test_staff_apply_with_full_width_amounts(
    staff_client: Client, programme: GrantProgramme, city: dict[str, Any]
) -> None:
    region = city["kyonan"]
    url = f"/grants/year/2020/apply/{region.pk}/"
    assert staff_client.get(url).status_code == 200
    data = {
        "plan": "高齢者サロン（月1回）",
        "applied_amount": "２５０，０００円",
        "applied_on": "令和2年4月10日",
        "expenses-TOTAL_FORMS": "2",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-item": "会場費",
        "expenses-0-amount": "３０００００",
        "expenses-1-item": "",
        "expenses-1-amount": "",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-item": "参加費",
        "incomes-0-amount": "20,000円",
    }
    response = staff_client.post(url, data)
    grant = Grant.objects.get(region=region)
    assert response.status_code == 302 and response["Location"] == f"/grants/{grant.pk}/"
    assert grant.applied_amount == 250_000
    assert [(x.item, x.planned) for x in grant.lines.all()] == [
        ("会場費", 300_000),
        ("参加費", 20_000),
    ]


def test_a_bad_application_shows_the_reason_and_saves_nothing(
    staff_client: Client, programme: GrantProgramme, city: dict[str, Any]
) -> None:
    url = f"/grants/year/2020/apply/{city['kyonan'].pk}/"
    data = {
        "plan": "サロン",
        "applied_amount": "-5000",
        "applied_on": "2020-04-10",
        "expenses-TOTAL_FORMS": "1",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-item": "会場費",
        "expenses-0-amount": "1000.5",
        "incomes-TOTAL_FORMS": "0",
        "incomes-INITIAL_FORMS": "0",
    }
    page = text(staff_client.post(url, data))
    assert "マイナスの金額は入力できません" in page
    assert "1円未満の端数" in page
    assert "支出の表に入力の誤りがあります" in page
    assert not Grant.objects.exists()


def test_viewers_cannot_apply(viewer_client: Client, programme: GrantProgramme, city: Any) -> None:
    assert viewer_client.get(f"/grants/year/2020/apply/{city['kyonan'].pk}/").status_code == 403


def test_without_a_programme_staff_are_told_to_wait(staff_client: Client, city: Any) -> None:
    response = staff_client.get(f"/grants/year/2020/apply/{city['kyonan'].pk}/", follow=True)
    assert "管理者が設定してから" in " ".join(messages_of(response))


def test_the_grant_page_shows_the_next_step_for_the_right_role(
    client: Client, applied: Grant, admin_user: User, staff_user: User, viewer_user: User
) -> None:
    url = f"/grants/{applied.pk}/"
    client.force_login(admin_user)
    page = text(client.get(url))
    assert "次の手続き：決定" in page and f'action="/grants/{applied.pk}/step/decide/"' in page
    client.force_login(staff_user)
    page = text(client.get(url))
    assert "決定は管理者が行います" in page and "step/decide" not in page
    assert "申請の内容を修正" in page
    client.force_login(viewer_user)
    page = text(client.get(url))
    assert "step/decide" not in page and "申請の内容を修正" not in page
    assert "助成金の申請を入力しました" in page  # the grant's own history


def test_an_applicant_admin_is_told_another_admin_decides(
    client: Client, programme: GrantProgramme, admin_user: User, city: Any
) -> None:
    from tsunagu.grants.services.lifecycle import LineInput, apply_grant

    grant = apply_grant(
        by=admin_user,
        programme=programme,
        region=city["kyonan"],
        plan="サロン",
        applied_amount=1000,
        expenses=[LineInput("会場費", 1000)],
    )
    client.force_login(admin_user)
    page = text(client.get(f"/grants/{grant.pk}/"))
    assert "別の管理者が行います" in page and "step/decide" not in page


def decide_data(grant: Grant, **extra: str) -> dict[str, Any]:
    return {
        "version": grant.version,
        "amount": "280,000",
        "decided_on": "2020-05-20",
        **extra,
    }


def test_an_administrator_decides_through_the_screen(admin_client: Client, applied: Grant) -> None:
    response = admin_client.post(f"/grants/{applied.pk}/step/decide/", decide_data(applied))
    assert response.status_code == 302
    assert Grant.objects.get(pk=applied.pk).state == GrantState.DECIDED


def test_a_decision_above_the_cap_needs_a_reason_on_screen(
    admin_client: Client, applied: Grant, programme: GrantProgramme
) -> None:
    programme.cap = 200_000
    programme.save(update_fields=["cap"])
    page = text(admin_client.post(f"/grants/{applied.pk}/step/decide/", decide_data(applied)))
    assert "上限額（200,000円）を超えています" in page
    page = text(
        admin_client.post(
            f"/grants/{applied.pk}/step/decide/", decide_data(applied, exception="on")
        )
    )
    assert "上限額を超える理由を入力してください" in page
    assert Grant.objects.get(pk=applied.pk).state == GrantState.APPLIED
    response = admin_client.post(
        f"/grants/{applied.pk}/step/decide/",
        decide_data(applied, exception="on", exception_reason="防災資機材のため"),
    )
    assert response.status_code == 302
    assert Grant.objects.get(pk=applied.pk).exception_reason == "防災資機材のため"


def test_a_stale_decision_form_gets_a_clear_message(
    client: Client, applied: Grant, admin_user: User, second_admin: User
) -> None:
    """Two administrators open the decision form; the second submit is told, not applied."""
    stale = decide_data(applied, amount="200,000")
    other = Client()
    other.force_login(second_admin)
    assert other.post(f"/grants/{applied.pk}/step/decide/", decide_data(applied)).status_code == 302
    client.force_login(admin_user)
    response = client.post(f"/grants/{applied.pk}/step/decide/", stale, follow=True)
    message = " ".join(messages_of(response))
    assert "管理 次郎さんが更新しました" in message and "保存していません" in message
    grant = Grant.objects.get(pk=applied.pk)
    assert (grant.decided_amount, grant.decided_by) == (280_000, second_admin)
    assert AuditEntry.objects.filter(action="grants.grant.decided").count() == 1


def test_a_step_form_for_a_step_already_taken_is_refused(
    admin_client: Client, decided: Grant
) -> None:
    response = admin_client.post(
        f"/grants/{decided.pk}/step/decide/", decide_data(decided), follow=True
    )
    assert "いま「決定済」です" in " ".join(messages_of(response))


def test_payment_report_and_settlement_through_the_screens(
    client: Client, decided: Grant, admin_user: User, staff_user: User
) -> None:
    client.force_login(admin_user)
    url = f"/grants/{decided.pk}/step/"
    page = text(
        client.post(
            url + "pay/", {"version": decided.version, "amount": "280000", "paid_on": "2020-05-01"}
        )
    )
    assert "支払日（令和2年5月1日）が決定日（令和2年5月20日）より前です" in page
    client.post(url + "pay/", {"version": decided.version, "amount": "280000", "paid_on": "R2.6.1"})
    grant = Grant.objects.get(pk=decided.pk)
    assert grant.state == GrantState.PAID

    # Staff may not settle; administrators may not be blocked from reporting either.
    assert client.post(url + "report/", {}).status_code == 200  # form errors, not 403
    client.force_login(staff_user)
    assert client.post(url + "settle/", {}).status_code == 403
    report = {
        "version": grant.version,
        "reported_on": "2021-04-10",
        "expenses-TOTAL_FORMS": "2",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-item": "会場費",
        "expenses-0-amount": "２５０，０００",
        "expenses-1-item": "",
        "expenses-1-amount": "",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-item": "参加費",
        "incomes-0-amount": "10,000円",
    }
    assert client.post(url + "report/", report).status_code == 302
    grant = Grant.objects.get(pk=decided.pk)
    assert (grant.state, grant.spent_amount, grant.income_amount) == ("reported", 250_000, 10_000)

    client.force_login(admin_user)
    page = text(client.get(f"/grants/{grant.pk}/"))
    assert "返還する額 <strong>40,000円</strong>" in page
    settle = {"version": grant.version, "returned_amount": "30,000", "settled_on": "2021-05-01"}
    page = text(client.post(url + "settle/", settle))
    assert "収支が合いません" in page and "返還額は40,000円です" in page
    settle["returned_amount"] = "４００００"
    assert client.post(url + "settle/", settle).status_code == 302
    grant = Grant.objects.get(pk=decided.pk)
    assert grant.state == GrantState.SETTLED

    page = text(client.get(f"/grants/{grant.pk}/"))
    assert "精算済みです" in page and "令和13年3月31日まで保存" in page
    assert "次の手続き" not in page
    response = client.post(url + "report/", report, follow=True)
    assert "精算済みの助成金は変更できません" in " ".join(messages_of(response))
    response = client.get(f"/grants/{grant.pk}/application/", follow=True)
    assert "精算済みの助成金は変更できません" in " ".join(messages_of(response))


def test_unknown_steps_and_grants_are_not_found(admin_client: Client, applied: Grant) -> None:
    assert admin_client.post(f"/grants/{applied.pk}/step/unknown/").status_code == 404
    assert admin_client.get("/grants/999999/").status_code == 404
    assert admin_client.get("/grants/year/999999/summary.xlsx").status_code == 404
    assert admin_client.get(f"/grants/{applied.pk}/step/decide/").status_code == 405


def test_the_application_can_be_corrected_by_staff(staff_client: Client, applied: Grant) -> None:
    url = f"/grants/{applied.pk}/application/"
    page = text(staff_client.get(url))
    assert 'value="会場費"' in page
    data = {
        "version": applied.version,
        "plan": "サロンのみ",
        "applied_amount": "200000",
        "expenses-TOTAL_FORMS": "1",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-item": "会場費",
        "expenses-0-amount": "200000",
        "incomes-TOTAL_FORMS": "0",
        "incomes-INITIAL_FORMS": "0",
    }
    assert staff_client.post(url, data).status_code == 302
    assert Grant.objects.get(pk=applied.pk).plan == "サロンのみ"


# --- programme settings ---------------------------------------------------------------


def test_administrators_set_the_programme(admin_client: Client, staff_user: User) -> None:
    staff_client = Client()
    staff_client.force_login(staff_user)
    assert staff_client.get("/grants/year/2021/settings/").status_code == 403
    data = {
        "cap": "３０００００",
        "note": "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-0-name": "歳末たすけあい地域福祉活動募金",
        "sources-0-amount": "2,400,000円",
        "sources-1-name": "自主財源",
        "sources-1-amount": "1500000",
    }
    response = admin_client.post("/grants/year/2021/settings/", data)
    assert response.status_code == 302
    programme = GrantProgramme.objects.get(fiscal_year=2021)
    assert programme.cap == 300_000 and programme.sources.count() == 2
    page = text(admin_client.get("/grants/year/2022/settings/"))
    assert "令和3年度の財源を写してあります" in page and "自主財源" in page


# --- the spreadsheet ------------------------------------------------------------------


def test_the_summary_downloads_as_xlsx(viewer_client: Client, applied: Grant) -> None:
    response = viewer_client.get("/grants/year/2020/summary.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


# --- fundraising ----------------------------------------------------------------------


def test_the_fundraising_page_has_a_chart_and_its_table(
    viewer_client: Client, staff_user: User
) -> None:
    from tsunagu.grants.models import FundraisingDrive, FundraisingMethod
    from tsunagu.grants.services.fundraising import save_fundraising_year

    ensure_fundraising_lists()
    red = FundraisingDrive.objects.get(name="赤い羽根共同募金")
    door = FundraisingMethod.objects.get(name="戸別募金")
    save_fundraising_year(by=staff_user, fiscal_year=2019, amounts={(red.pk, door.pk): 3_610_000})
    save_fundraising_year(by=staff_user, fiscal_year=2020, amounts={(red.pk, door.pk): 975_000})
    page = text(viewer_client.get("/grants/fundraising/"))
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<caption>方法別の募金額と前年度比" in page
    assert "（－73.0%）" in page
    assert "戸別募金は令和2年度に前年度比 －73.0%" in page
    assert "を入力・修正" not in page  # viewers read only


def test_staff_enter_a_years_fundraising(staff_client: Client, viewer_user: User) -> None:
    ensure_fundraising_lists()
    viewer_client = Client()
    viewer_client.force_login(viewer_user)
    page = text(staff_client.get("/grants/fundraising/2021/"))
    assert "赤い羽根共同募金（円）" in page and "戸別募金" in page
    form = staff_client.get("/grants/fundraising/2021/").context["form"]
    key = next(name for name in form.fields if name.startswith("a_"))
    response = staff_client.post("/grants/fundraising/2021/", {key: "１，２００，０００円"})
    assert response.status_code == 302
    assert FundraisingTotal.objects.get(fiscal_year=2021).amount == 1_200_000
    reopened = staff_client.get("/grants/fundraising/2021/").context["form"]
    version = reopened["version"].value()
    page = text(staff_client.post("/grants/fundraising/2021/", {key: "-3", "version": version}))
    assert "マイナス" in page
    assert viewer_client.get("/grants/fundraising/2021/").status_code == 403


def test_only_admins_edit_the_method_list(admin_client: Client, staff_user: User) -> None:
    ensure_fundraising_lists()
    staff_client = Client()
    staff_client.force_login(staff_user)
    assert staff_client.get("/grants/fundraising/lists/").status_code == 403
    assert admin_client.get("/grants/fundraising/lists/").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_page_answers_every_role(client: Client, role: Role, reported: Grant) -> None:
    client.force_login(make_user(f"u-{role}", role))
    expected_ok = {
        "/grants/": True,
        "/grants/?fy=2020": True,
        f"/grants/{reported.pk}/": True,
        "/grants/year/2020/summary.xlsx": True,
        "/grants/fundraising/": True,
        "/grants/fundraising/2020/": role != Role.VIEWER,
        "/grants/year/2020/settings/": role == Role.ADMIN,
        "/grants/fundraising/lists/": role == Role.ADMIN,
    }
    for url, ok in expected_ok.items():
        status = client.get(url).status_code
        assert status == (200 if ok else 403), (url, status)


def test_the_home_page_panel(applied: Grant) -> None:
    from datetime import date

    from tsunagu.grants.dashboard import panel

    admin = User.objects.get(username="kanri")
    result = panel(admin, date(2020, 6, 1))
    assert result is not None and result.context["waiting"][0].grant == applied
    staff = User.objects.get(username="shokuin")
    result = panel(staff, date(2020, 6, 1))
    assert result is not None and result.context["waiting"] == []
    assert panel(admin, date(2030, 6, 1)) is None


def test_the_grant_page_query_count_does_not_grow_with_lines(
    admin_client: Client, reported: Grant, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        response = admin_client.get(f"/grants/{reported.pk}/")
    assert response.status_code == 200
