"""The fundraising screens keep what a request did not send, and let names trade places
(issue #9, finding 9)."""

from typing import Any

import pytest
from django.test import Client

from tsunagu.accounts.models import User
from tsunagu.grants.defaults import ensure_fundraising_lists
from tsunagu.grants.models import (
    FundraisingDrive,
    FundraisingMethod,
    FundraisingTotal,
    FundraisingYear,
)
from tsunagu.grants.services.fundraising import (
    save_fundraising_lists,
    save_fundraising_year,
)

YEAR = 2018


@pytest.fixture
def year_of_figures(db: None, staff_user: User) -> dict[str, int]:
    """Every cell of 2018 filled (3 drives × 3 methods with the default lists, 9 amounts)."""
    ensure_fundraising_lists()
    amounts = {
        (drive.pk, method.pk): 1_000 * (i + 1)
        for i, (drive, method) in enumerate(
            (d, m) for d in FundraisingDrive.objects.all() for m in FundraisingMethod.objects.all()
        )
    }
    save_fundraising_year(by=staff_user, fiscal_year=YEAR, amounts=amounts)
    return {f"a_{d}_{m}": amount for (d, m), amount in amounts.items()}


def stored() -> dict[str, int]:
    return {
        f"a_{t.drive_id}_{t.method_id}": t.amount
        for t in FundraisingTotal.objects.filter(fiscal_year=YEAR)
    }


@pytest.mark.parametrize("data", [{}, {"csrfmiddlewaretoken": "x"}], ids=["empty", "token-only"])
def test_a_post_without_the_grid_keeps_every_amount(
    staff_client: Client, year_of_figures: dict[str, int], data: dict[str, str]
) -> None:
    assert len(year_of_figures) >= 9
    response = staff_client.post(f"/grants/fundraising/{YEAR}/", data, follow=True)
    assert response.status_code == 200
    assert stored() == year_of_figures
    # Without the grid there is no version either: refused with the way out, nothing lost.
    assert "画面を開き直して" in response.content.decode()


def test_a_post_with_only_the_version_saves_nothing(
    staff_client: Client, year_of_figures: dict[str, int]
) -> None:
    version = FundraisingYear.objects.get(fiscal_year=YEAR).version
    response = staff_client.post(f"/grants/fundraising/{YEAR}/", {"version": version}, follow=True)
    assert stored() == year_of_figures
    assert "変更はありませんでした。" in response.content.decode()


def test_only_a_field_sent_blank_clears_its_amount(
    staff_client: Client, year_of_figures: dict[str, int]
) -> None:
    cleared, changed, *_kept = year_of_figures
    version = FundraisingYear.objects.get(fiscal_year=YEAR).version
    response = staff_client.post(
        f"/grants/fundraising/{YEAR}/", {cleared: "", changed: "５００", "version": version}
    )
    assert response.status_code == 302
    expected = {k: v for k, v in year_of_figures.items() if k != cleared} | {changed: 500}
    assert stored() == expected


def _list_post(client: Client, rename: dict[str, str]) -> dict[str, Any]:
    """The lists screen's formsets as the browser sends them, with some names changed."""
    page = client.get("/grants/fundraising/lists/")
    data: dict[str, Any] = {}
    for formset, _title in page.context["lists"]:
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial[name]
        for form in formset.forms:
            for name in form.fields:
                value = form.initial.get(name)
                if name == "name":
                    value = rename.get(value, value)
                if name == "active":
                    if value:
                        data[form.add_prefix(name)] = "on"
                    continue
                data[form.add_prefix(name)] = "" if value is None else value
    return data


def test_two_methods_swap_their_names_on_the_lists_screen(admin_client: Client) -> None:
    ensure_fundraising_lists()
    door = FundraisingMethod.objects.get(name="戸別募金")
    street = FundraisingMethod.objects.get(name="街頭募金")
    data = _list_post(admin_client, {"戸別募金": "街頭募金", "街頭募金": "戸別募金"})
    response = admin_client.post("/grants/fundraising/lists/", data)
    assert response.status_code == 302
    door.refresh_from_db()
    street.refresh_from_db()
    assert (door.name, street.name) == ("街頭募金", "戸別募金")
    # The keys follow the names: searching and the uniqueness check still work.
    assert FundraisingMethod.objects.get(name_key=street.name_key) == street


def test_three_names_rotate_and_a_real_duplicate_is_still_refused(
    db: None, admin_user: User
) -> None:
    ensure_fundraising_lists()
    rows = [(m.pk, m.name, m.order, m.active) for m in FundraisingMethod.objects.all()[:3]]
    names = [name for _pk, name, _o, _a in rows]
    rotated = [(pk, names[(i + 1) % 3], o, a) for i, (pk, _n, o, a) in enumerate(rows)]
    assert save_fundraising_lists(by=admin_user, methods=rotated, drives=[]) == 3
    assert [FundraisingMethod.objects.get(pk=pk).name for pk, *_ in rows] == [
        names[1],
        names[2],
        names[0],
    ]
    from django.core.exceptions import ValidationError

    twice = [(rows[0][0], names[2], 0, True), (rows[1][0], names[2], 1, True)]
    with pytest.raises(ValidationError, match="2回あります"):
        save_fundraising_lists(by=admin_user, methods=twice, drives=[])


def test_a_duplicate_name_on_the_lists_screen_is_a_message_not_a_crash(
    admin_client: Client,
) -> None:
    ensure_fundraising_lists()
    data = _list_post(admin_client, {"戸別募金": "街頭募金"})
    response = admin_client.post("/grants/fundraising/lists/", data)
    assert response.status_code == 200
    assert "「街頭募金」が2回あります。" in response.content.decode()
