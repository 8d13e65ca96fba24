from django import template

from tsunagu.lib.amounts import format_yen

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """300000 → 300,000円; None → —"""
    return format_yen(value)
