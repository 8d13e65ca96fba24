"""Every URL pattern of the app: anonymous users are sent to the login page, and
no URL answers a signed-in user of any role with a server error."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tsunagu.accounts.models import Role, User

# Values for URL parameters; an int parameter not listed gets 999999 (nothing there).
SAMPLE_ARGS = {"slug": "groups", "source": "targets"}
PUBLIC = {"/login/", "/healthz/"}


def iter_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/v1/"):
                continue  # tokens, not sessions: no login redirect (tests/api/)
            paths.extend(iter_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            paths.append(route)
    return paths


def concrete(route: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        return "999999" if converter == "int" else SAMPLE_ARGS.get(name, "unknown")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


ALL_URLS = sorted({concrete(route) for route in iter_patterns(get_resolver())})


def test_the_enumeration_found_the_app_urls() -> None:
    assert "/" in ALL_URLS
    assert "/directory/groups/new/" in ALL_URLS
    assert "/staff/999999/password/" in ALL_URLS


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in ALL_URLS if u not in PUBLIC])
def test_anonymous_users_are_sent_to_login(client, url: str) -> None:  # type: ignore[no-untyped-def]
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url", [u for u in ALL_URLS if u not in PUBLIC])
def test_no_url_fails_with_a_server_error(client, url: str, role: Role) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(username=f"u-{role}", password="x", role=role)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)


def test_login_page_is_public(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/login/")
    assert response.status_code == 200
    assert "ログイン" in response.content.decode()
