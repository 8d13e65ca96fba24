"""The access layer in templates.

{% load access %}
{% if user|can:"case.view" %}…{% endif %}            (may the role ever?)
{% can "record.edit" record as may_edit %}{% if may_edit %}…{% endif %}
"""

from typing import Any

from django import template

from tsunagu.core import access

register = template.Library()


@register.filter(name="can")
def can_filter(user: Any, name: str) -> bool:
    return access.can(user, name)


@register.simple_tag(takes_context=True, name="can")
def can_tag(context: template.Context, name: str, obj: Any = None) -> bool:
    return access.can(context.get("user"), name, obj)
