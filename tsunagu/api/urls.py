"""/api/v1/: the ninja API's URLs, each wrapped so that whatever Django or ninja would
answer in HTML or plain text (a body too large, a method not allowed, a path that does
not exist) is a problem+json too. Tokens, not sessions: no login redirect, no CSRF."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path

from tsunagu.api.api import api
from tsunagu.api.problems import PROBLEM_TYPE, problem_response

MAX_BODY = int(getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024))


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return True
    return length > MAX_BODY


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _too_big(request):
            return problem_response(
                413,
                f"リクエストの本文が大きすぎます（上限 {MAX_BODY // 1024:,} KB）。",
                instance=request.path,
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
            allowed = response.get("Allow", "")
            response = problem_response(
                405,
                f"このURLでは {request.method} は使えません（使えるのは {allowed}）。",
                instance=request.path,
                headers={"Allow": allowed},
            )
        return response

    return login_not_required(wrapped)


def _wrap(patterns: list[Any]) -> list[Any]:
    for entry in patterns:
        if isinstance(entry, URLPattern):
            entry.callback = guarded(entry.callback)
        elif isinstance(entry, URLResolver):
            _wrap(entry.url_patterns)
    return patterns


@login_not_required
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(
        404,
        f"API に {request.path} はありません。/api/v1/docs で一覧を見られます。",
        instance=request.path,
    )


ninja_patterns, app_name, namespace = api.urls
urlpatterns: list[URLPattern | URLResolver] = [
    *_wrap(list(ninja_patterns)),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]
