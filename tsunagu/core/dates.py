"""How a date is shown: one style on every page and in every message.

The council chooses era (令和8年12月2日, the default) or western (2026年12月2日) with
TSUNAGU_DATE_STYLE. Forms still read a typed date in either form (lib/fiscal.parse_date),
and files (CSV, xlsx, JSON) keep ISO dates, which Excel and programs read without help."""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from tsunagu.lib.fiscal import date_label, western_date_label


def show_date(d: date) -> str:
    if settings.TSUNAGU_DATE_STYLE == "western":
        return western_date_label(d)
    return date_label(d)


def show_date_with_era(d: date) -> str:
    """The date as show_date writes it; in the western style followed by its era in
    brackets (2020年6月10日（令和2年6月10日）), where a record's page names both."""
    if settings.TSUNAGU_DATE_STYLE == "western":
        return f"{western_date_label(d)}（{date_label(d)}）"
    return date_label(d)


def show_datetime(moment: datetime, *, seconds: bool = False) -> str:
    """The date as show_date writes it, then the local time: 令和8年12月2日 14:05."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{show_date(local.date())} {clock}"


def show_month_day(d: date) -> str:
    """12月2日: where the year is plain from the page (the coming days' follow-ups)."""
    return f"{d.month}月{d.day}日"
