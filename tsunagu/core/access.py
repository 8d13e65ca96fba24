"""The one access layer: who may do what, as named predicates.

Every question "may this user do X (to this object)?" is asked here, by name:
`can(user, "record.edit", record)`. Views ask through `@rule` and the checkpoints
(`<app>/access.py: get_<thing>_for_user`), services through `require`, templates through
the `can` filter and tag (`{% load access %}`), exports per row. Each app declares its
predicates in `<app>/rules.py`, one plain function per name `<object>.<action>`,
registered with `@predicate`; the registry is what the permission tests enumerate.

A predicate is called with `obj=None` to ask whether the user's role may ever do it
(a link in the menu, a 403 before any row is read) and with an object to ask about that
object. The role is read in one place only, `role_of`: councils with a role per
membership (and API tokens) change it there.

Plain functions rather than django-rules: the layer needs its own registry of names
with a Japanese refusal sentence and the object type's scope (404 versus 403) for each
rule, which django-rules does not carry, and the predicates themselves are one-liners
that gain nothing from its combinators.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.module_loading import autodiscover_modules

from tsunagu.accounts.models import Role, User

Test = Callable[[Any, Any], bool]
# HttpResponseBase: a download may be streamed (StreamingHttpResponse, FileResponse).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Rule:
    name: str
    test: Test
    refusal: str  # the Japanese sentence a refused user reads
    scope: str | None  # the rule that, refused, means the object does not exist (404)


RULES: dict[str, Rule] = {}


def predicate(name: str, *, refusal: str, scope: str | None = "") -> Callable[[Test], Test]:
    """Register `test(user, obj)` under `name` ("<object>.<action>").

    `scope` defaults to "<object>.view": an object the user may not even see answers 404.
    Pass None for rules whose objects are not hidden from anyone who may see the page."""

    def register(test: Test) -> Test:
        if name in RULES:
            raise ValueError(f"the rule {name!r} is declared twice")
        kind = name.split(".", 1)[0]
        RULES[name] = Rule(
            name=name,
            test=test,
            refusal=refusal,
            scope=f"{kind}.view" if scope == "" else scope,
        )
        return test

    return register


def rules() -> dict[str, Rule]:
    """Every declared rule (each app's rules.py is imported on first use)."""
    if not _loaded:
        load_rules()
    return RULES


_loaded: list[bool] = []


def load_rules() -> None:
    if not _loaded:
        autodiscover_modules("rules")
        _loaded.append(True)


def _rule(name: str) -> Rule:
    try:
        return rules()[name]
    except KeyError:
        raise LookupError(f"no access rule is named {name!r}") from None


# --- the role: asked here and nowhere else ----------------------------------------------


def role_of(user: Any) -> Role | None:
    """The role an account acts with, or None for anonymous and deactivated accounts.

    The one place that reads `User.role`: a per-council membership replaces it here."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return Role(user.role)


def signed_in(user: Any, obj: Any = None) -> bool:
    return role_of(user) is not None


def writer(user: Any, obj: Any = None) -> bool:
    """Staff and administrators write; read-only accounts never do."""
    return role_of(user) in (Role.ADMIN, Role.STAFF)


def admin(user: Any, obj: Any = None) -> bool:
    return role_of(user) == Role.ADMIN


def writer_accounts(*, active_only: bool = True) -> models.Q:
    """`writer` as a filter on accounts (for choices of staff)."""
    q = models.Q(role__in=[Role.ADMIN, Role.STAFF]) | models.Q(is_superuser=True)
    return q & models.Q(is_active=True) if active_only else q


def writers(
    accounts: "models.QuerySet[User]", *, active_only: bool = True
) -> "models.QuerySet[User]":
    return accounts.filter(writer_accounts(active_only=active_only))


# --- asking ------------------------------------------------------------------------------


def can(user: Any, name: str, obj: Any = None) -> bool:
    """Whether `user` may do `name` (to `obj`; without one: ever, by their role)."""
    return bool(_rule(name).test(user, obj))


def require(user: Any, name: str, obj: Any = None, *, system: bool = False) -> Any:
    """The user, if `can(user, name, obj)`; else PermissionDenied with the rule's sentence.

    Services call it first thing, whoever calls them. `system=True` lets `user=None`
    through: the services that management commands run as the system (purging the trash,
    anonymising expired cases, command-line imports) pass it, deliberately, and nothing
    else does; whoever runs a command on the server already holds the database."""
    if system and user is None:
        return None
    if not can(user, name, obj):
        raise PermissionDenied(_rule(name).refusal)
    return user


def refusal(name: str) -> str:
    return _rule(name).refusal


def rule(name: str, *, post: str | None = None) -> Callable[[View], View]:
    """Declare the rule of a view (and of its POST, when that differs) and refuse, with
    403, a user whose role may never follow it. Objects are checked by the checkpoint
    the view calls; the permission-matrix test reads the declaration."""
    for declared in (name, post):
        if declared is not None and "{" not in declared:
            _rule(declared)  # a typo fails at import, not at the first request

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            declared = post if post is not None and request.method == "POST" else name
            if "{" in declared:  # a rule named by the URL, as grant.{step}
                declared = declared.format(**kwargs)
                if declared not in rules():
                    raise Http404
            require(request.user, declared)
            return view(request, *args, **kwargs)

        wrapped.access_rule = (name, post)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def authorize(user: Any, name: str, obj: Any) -> None:
    """The checkpoints' answer for an object already fetched: 403 when the role may never
    do it, 404 when the object is outside what the user may see, 403 when they may see it
    but not do this to it."""
    found = _rule(name)
    if not can(user, name):
        raise PermissionDenied(found.refusal)
    if found.scope is not None and found.scope != name and not can(user, found.scope, obj):
        raise Http404
    if not can(user, name, obj):
        if found.scope == name:
            raise Http404
        raise PermissionDenied(found.refusal)


def get_for_user(request: HttpRequest, queryset: "models.QuerySet[M]", pk: Any, name: str) -> M:
    """Fetch `pk` from `queryset` and `authorize` `name` on it (the role first, so that a
    refused role learns nothing of which rows exist)."""
    if not can(request.user, name):
        raise PermissionDenied(refusal(name))
    obj = get_object_or_404(queryset, pk=pk)
    authorize(request.user, name, obj)
    return obj
