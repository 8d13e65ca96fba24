"""A POST without the year's status grid keeps the saved statuses (issue #9, finding 9)."""

from datetime import date

import pytest
from django.test import Client

from tsunagu.plans.models import InitiativeRecord, InitiativeStatus, PlanYear, Status


@pytest.fixture
def saved(staff_client: Client, city, make_plan):  # type: ignore[no-untyped-def]
    plan = make_plan(city["kyonan"])
    first, second = plan.initiatives.all()
    staff_client.post(
        f"/plans/{plan.pk}/status/2020/",
        {
            f"status_{first.pk}": Status.ACHIEVED,
            f"note_{first.pk}": "合同訓練を2回",
            f"status_{second.pk}": Status.ACHIEVED,
            f"note_{second.pk}": "見守りの名簿",
        },
    )
    assert InitiativeStatus.objects.count() == 2
    return plan, first, second


def statuses() -> dict[int, tuple[str, str]]:
    return {s.initiative_id: (s.status, s.note) for s in InitiativeStatus.objects.all()}


@pytest.mark.parametrize("data", [{}, {"csrfmiddlewaretoken": "x"}], ids=["empty", "token-only"])
def test_a_post_without_the_grid_keeps_every_status(staff_client: Client, saved, data) -> None:  # type: ignore[no-untyped-def]
    plan, _first, _second = saved
    before = statuses()
    response = staff_client.post(f"/plans/{plan.pk}/status/2020/", data)
    # Without the grid there is no version either: refused, with the way out, nothing lost.
    assert "画面を開き直して" in response.content.decode()
    assert statuses() == before


def test_only_the_rows_sent_change(staff_client: Client, saved) -> None:  # type: ignore[no-untyped-def]
    plan, first, second = saved
    response = staff_client.post(
        f"/plans/{plan.pk}/status/2020/",
        {
            f"status_{first.pk}": "",
            f"note_{first.pk}": "",
            f"note_{second.pk}": "名簿を更新",
            "version": PlanYear.objects.get(plan=plan, fiscal_year=2020).version,
        },
    )
    assert response.status_code == 302
    assert statuses() == {second.pk: (Status.ACHIEVED, "名簿を更新")}


@pytest.mark.parametrize("data", [{}, {"csrfmiddlewaretoken": "x"}], ids=["empty", "token-only"])
def test_a_post_without_the_checkbox_list_keeps_the_links(  # type: ignore[no-untyped-def]
    staff_client: Client, city, make_plan, make_record, data
) -> None:
    plan = make_plan(city["honcho"])
    first, _second = plan.initiatives.all()
    record = make_record(date(2020, 7, 1), region=city["honcho"])
    url = f"/plans/link/?record={record.pk}"
    page = staff_client.get(url).content.decode()
    assert 'name="initiatives_listed"' in page
    staff_client.post(url, {"initiatives": [first.pk], "initiatives_listed": "1"})
    response = staff_client.post(url, data, follow=True)
    assert "変更はありませんでした。" in response.content.decode()
    assert list(InitiativeRecord.objects.values_list("initiative_id", flat=True)) == [first.pk]
    # The list sent with nothing checked unlinks, as before.
    staff_client.post(url, {"initiatives_listed": "1"})
    assert not InitiativeRecord.objects.exists()
