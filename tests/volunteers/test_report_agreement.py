"""The donation offers and volunteer registrations of a year agree with the report's
ボランティア section: both count the same support records."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from tests.volunteers.conftest import TODAY, register
from tests.volunteers.test_services import offer_values
from tsunagu.accounts.models import User
from tsunagu.demo.volunteers import load_demo
from tsunagu.lib.fiscal import current_fiscal_year
from tsunagu.reports.builder import build_report
from tsunagu.reports.result import Section
from tsunagu.volunteers.consultations import year_figures
from tsunagu.volunteers.models import DonationOffer, Volunteer
from tsunagu.volunteers.services.offers import record_offer

CONSULTER_TYPE = "ボランティア希望（活動）者"
REGISTRATION_CATEGORY = "ボランティアしたい"
DONATION_CATEGORY = "寄付（寄贈）したい"


def volunteer_section(fiscal_year: int) -> Section:
    report = build_report(fiscal_year)
    return next(s for s in report.sections if CONSULTER_TYPE in s.title)


def row_counts(section: Section) -> dict[str, int]:
    return {row.label: row.count for row in section.rows}


def test_registrations_and_offers_of_a_year_agree_with_the_report(year, staff_user):  # type: ignore[no-untyped-def]
    for i, family in enumerate(["見本", "例田", "仮野", "試野"]):
        register(staff_user, family=family, registered_on=date(2020, 4 + i, 1))
    for month in (5, 6, 9):
        record_offer(
            by=staff_user,
            values=offer_values(offered_on=date(2020, month, 3)),
            place="phone",
            today=TODAY,
        )
    section = volunteer_section(2020)
    counts = row_counts(section)
    registrations, offers = year_figures(2020)
    assert counts[REGISTRATION_CATEGORY] == registrations.in_report == registrations.entries == 4
    assert counts[DONATION_CATEGORY] == offers.in_report == offers.entries == 3
    assert section.total == 7
    # What the centre lists for the year is what the report counts.
    start, end = date(2020, 4, 1), date(2021, 3, 31)
    assert Volunteer.objects.filter(registered_on__range=(start, end)).count() == 4
    assert DonationOffer.objects.in_fiscal_year(2020).count() == 3


def test_the_demo_links_past_consultations_and_leaves_the_report_unchanged(db):  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    before = {fy: row_counts(volunteer_section(fy)) for fy in (2018, 2019, 2020)}
    summary = load_demo(by=User.objects.get(username="admin"))
    assert "登録 33件" in summary
    after = {fy: row_counts(volunteer_section(fy)) for fy in (2018, 2019, 2020)}
    assert after == before
    for fy in (2018, 2019, 2020):
        registrations, offers = year_figures(fy)
        # Every demo entry of a past year is one of that year's counted consultations.
        assert registrations.uncounted == offers.uncounted == 0
        assert (
            0
            < registrations.with_entry
            <= registrations.in_report
            == before[fy][REGISTRATION_CATEGORY]
        )
        assert 0 < offers.with_entry <= offers.in_report == before[fy][DONATION_CATEGORY]
    # The current year's entries created their own consultations, counted alike.
    current = current_fiscal_year()
    registrations, offers = year_figures(current)
    counts = row_counts(volunteer_section(current))
    assert counts[REGISTRATION_CATEGORY] == registrations.in_report == registrations.entries
    assert counts[DONATION_CATEGORY] == offers.in_report == offers.entries
    # Loading again adds nothing.
    assert "読み込み済み" in load_demo(by=User.objects.get(username="admin"))
    assert Volunteer.objects.count() == 33
