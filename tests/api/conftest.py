from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.access_world import ROLES, World, build_world
from tsunagu.api.services import issue_token


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Api:
    """A test client that calls /api/v1/ with one token."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.client = Client()

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(f"/api/v1{path}", **bearer(self.secret), **extra)

    def send(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        import json

        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            **bearer(self.secret),
            **extra,
        )


def tokens_for(world: World, scope: str = "write") -> dict[str, Api]:
    admin = world.users["admin"]
    return {
        role: Api(
            issue_token(
                by=admin,
                user=world.users[role],
                name=f"{role}のテスト",
                scope=scope,
                expires_at=timezone.now() + timedelta(days=1),
            ).secret
        )
        for role in ROLES
    }


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def apis(world: World) -> dict[str, Api]:
    return tokens_for(world)


@pytest.fixture(scope="module")
def module_world(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[World, dict[str, Api]]]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world, tokens_for(world)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fresh_rate_counters() -> Iterator[None]:
    """Rate counters live in the cache, keyed by the token's id; a rolled-back test's
    token id comes back in the next test, which must not inherit its calls."""
    from django.core.cache import cache

    yield
    cache.clear()
