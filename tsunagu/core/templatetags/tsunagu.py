from datetime import date, datetime

from django import template

from tsunagu.core.dates import show_date, show_date_with_era, show_datetime, show_month_day
from tsunagu.lib.fiscal import fiscal_year_label

register = template.Library()


@register.filter
def jdate(value: date | None) -> str:
    """令和2年4月1日, or 2020年4月1日 where the council chose western dates."""
    return show_date(value) if value else ""


@register.filter
def jdate_with_era(value: date | None) -> str:
    """令和2年4月1日, or 2020年4月1日（令和2年4月1日） in the western style."""
    return show_date_with_era(value) if value else ""


@register.filter
def jdatetime(value: datetime | None, arg: str = "") -> str:
    """令和2年4月1日 14:05 (with `:"s"`, 14:05:09)."""
    return show_datetime(value, seconds=arg == "s") if value else ""


@register.filter
def jmonthday(value: date | None) -> str:
    """4月1日"""
    return show_month_day(value) if value else ""


@register.filter
def fylabel(value: int | None) -> str:
    """令和2年度"""
    return fiscal_year_label(value) if value else ""
