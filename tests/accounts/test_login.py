import pytest
from django.conf import settings

from tests.conftest import PASSWORD
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
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 60 * 60


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
