from datetime import date

from django import template

from tsunagu.lib.fiscal import date_label, fiscal_year_label, western_date_label

register = template.Library()


@register.filter
def jdate(value: date | None) -> str:
    """2020年4月1日"""
    return western_date_label(value) if value else ""


@register.filter
def eradate(value: date | None) -> str:
    """令和2年4月1日"""
    return date_label(value) if value else ""


@register.filter
def fylabel(value: int | None) -> str:
    """令和2年度"""
    return fiscal_year_label(value) if value else ""
