"""Where the demo's three fiscal years fall: the one place every demo loader asks.

The demo's data tells the story of three years written as 平成30年度〜令和2年度 (2018–2020,
the "story years": salons closed in spring 2020, COVID consultations, a category split and
merged). `tsunagu demo` places that story so that its last year is the current fiscal year,
shifting every date by the same number of years; `--last-year 2020` pins it where it was
written (the tests and the figures in the docs use that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tsunagu.demo.records_data import DEMO_YEARS as STORY_YEARS
from tsunagu.lib.fiscal import current_fiscal_year

STORY_LAST_YEAR = STORY_YEARS[-1]
BATCH_PREFIX = "demo-FY"


@dataclass(frozen=True)
class DemoYears:
    """The demo's last fiscal year and the day the demo is loaded on."""

    last: int
    today: date

    @property
    def offset(self) -> int:
        """Years between the story and where it is placed (0 when pinned to 2020)."""
        return self.last - STORY_LAST_YEAR

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.year(y) for y in STORY_YEARS)

    @property
    def current(self) -> int:
        return current_fiscal_year(self.today)

    @property
    def lives_today(self) -> bool:
        """The last demo year is the current one: its records stop at today."""
        return self.last == self.current

    def year(self, story_year: int) -> int:
        """The fiscal year a story year is placed in."""
        return story_year + self.offset

    def story(self, fiscal_year: int) -> int:
        """The story year placed in a fiscal year."""
        return fiscal_year - self.offset

    def date(self, story_date: date) -> date:
        """A date of the story, moved by whole years (29 February becomes the 28th)."""
        year = story_date.year + self.offset
        try:
            return story_date.replace(year=year)
        except ValueError:
            return story_date.replace(year=year, day=28)


def loaded_last_year() -> int | None:
    """The last year of a demo already in the database (its record batches), if any."""
    from tsunagu.records.models import ImportBatch

    names = ImportBatch.objects.filter(kind="demo", filename__startswith=BATCH_PREFIX)
    years = [int(n[len(BATCH_PREFIX) :]) for n in names.values_list("filename", flat=True)]
    return max(years, default=None)


def demo_years(last_year: int | None = None, today: date | None = None) -> DemoYears:
    """The demo's years: `last_year` if given; else those of a demo already loaded (so that
    loading again adds nothing); else ending with the current fiscal year of `today`."""
    today = today or timezone.localdate()
    if last_year is None:
        last_year = loaded_last_year() or current_fiscal_year(today)
    return DemoYears(last=last_year, today=today)
