import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import PASSWORD
from tsunagu.accounts.middleware import SEEN_KEY
from tsunagu.audit.models import AuditEntry


def test_login_with_the_right_password_opens_the_dashboard(client, staff_user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login/", {"username": "shokuin", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "ホーム" in page
    assert "職員 二郎さん" in page
    assert AuditEntry.objects.filter(action="auth.login", actor=staff_user).exists()


def test_wrong_password_gets_a_japanese_message(client, staff_user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login/", {"username": "shokuin", "password": "wrong"})
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが違います" in response.content.decode()


def test_repeated_failures_lock_the_account(client, staff_user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "shokuin", "password": "wrong"})
    # Even the right password is refused now.
    response = client.post("/login/", {"username": "shokuin", "password": PASSWORD})
    assert response.status_code == 429
    assert "ログインを一時停止しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity() -> None:
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 60 * 60
    assert settings.SESSION_REFRESH_SECONDS <= 60


def _expiry(client):  # type: ignore[no-untyped-def]
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_written_at_most_once_a_minute_and_kept_alive(staff_client) -> None:  # type: ignore[no-untyped-def]
    staff_client.get("/")
    first = _expiry(staff_client)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/records/")
    assert _expiry(staff_client) == first
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    # A minute later, the next request pushes the expiry forward.
    session = staff_client.session
    session[SEEN_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    staff_client.get("/records/")
    assert _expiry(staff_client) > timezone.now() + timedelta(
        minutes=settings.SESSION_IDLE_MINUTES - 1
    )


def test_an_idle_session_is_logged_out(staff_client) -> None:  # type: ignore[no-untyped-def]
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = staff_client.get("/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_pages_warn_before_the_session_times_out(staff_client) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get("/").content.decode()
    assert "まもなく自動的にログアウトします" in page
    assert 'lang="ja"' in page


@pytest.mark.parametrize("hasher", ["argon2"])
def test_passwords_are_hashed_with_argon2(staff_user, hasher: str) -> None:  # type: ignore[no-untyped-def]
    assert staff_user.password.startswith(hasher)


def test_logout_is_a_post_and_ends_the_session(staff_client) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post("/logout/")
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302


def test_an_administrator_unlocks_a_locked_out_user(client, staff_user, admin_user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "shokuin", "password": "wrong"})
    assert client.post("/login/", {"username": "shokuin", "password": PASSWORD}).status_code == 429

    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/staff/").content.decode()
    assert "ログイン停止中" in listing
    # A new password alone does not lift the lockout: the unlock button does.
    response = admin.post(f"/staff/{staff_user.pk}/unlock/", follow=True)
    assert "ログインの一時停止を解除しました" in response.content.decode()
    assert "ログイン停止中" not in admin.get("/staff/").content.decode()
    entry = AuditEntry.objects.get(action="accounts.user.unlocked")
    assert entry.actor == admin_user
    assert entry.target_id == str(staff_user.pk)

    response = client.post("/login/", {"username": "shokuin", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_staff_cannot_unlock_anyone(staff_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(f"/staff/{admin_user.pk}/unlock/")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accounts.user.unlocked").exists()


def test_failed_logins_from_one_address_make_one_counted_row(client, staff_user) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        client.post("/login/", {"username": f"guess{n}", "password": "wrong"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.changes == {"client": "127.0.0.1", "attempts": 3}
    assert entry.target_label == "guess0"
    # Another address gets its own row.
    client.post("/login/", {"username": "x", "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 2


def test_a_failed_login_a_minute_later_is_a_new_row(client, staff_user) -> None:  # type: ignore[no-untyped-def]
    client.post("/login/", {"username": "shokuin", "password": "wrong"})
    AuditEntry.objects.update(at=timezone.now() - timedelta(minutes=1, seconds=1))
    client.post("/login/", {"username": "shokuin", "password": "wrong"})
    assert [
        e.changes["attempts"] for e in AuditEntry.objects.filter(action="auth.login_failed")
    ] == [
        1,
        1,
    ]


def test_a_long_username_is_cut_in_the_log(admin_client) -> None:  # type: ignore[no-untyped-def]
    Client().post("/login/", {"username": "あ" * 100 + "終わり", "password": "wrong"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.target_label == "あ" * 50
    page = admin_client.get("/audit/").content.decode()
    assert "接続元：127.0.0.1" in page
    assert "回数：1" in page
