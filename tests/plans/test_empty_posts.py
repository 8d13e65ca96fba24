"""A POST without the year's status grid keeps the saved statuses (issue #9, finding 9)."""

import pytest
from django.test import Client

from tsunagu.plans.models import InitiativeStatus, Status


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
    assert response.status_code == 302
    assert statuses() == before


def test_only_the_rows_sent_change(staff_client: Client, saved) -> None:  # type: ignore[no-untyped-def]
    plan, first, second = saved
    response = staff_client.post(
        f"/plans/{plan.pk}/status/2020/",
        {f"status_{first.pk}": "", f"note_{first.pk}": "", f"note_{second.pk}": "名簿を更新"},
    )
    assert response.status_code == 302
    assert statuses() == {second.pk: (Status.ACHIEVED, "名簿を更新")}
