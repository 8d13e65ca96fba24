"""Hardened defaults (issue #9, finding 10): strict settings, HTTPS settings, no cache of
personal pages, the forwarded address only from the proxy, no Django admin, /healthz,
a clean deploy check, and client errors logged on one line."""

import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from tsunagu import settings as tsunagu_settings
from tsunagu.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TSUNAGU_DATA_DIR": env.pop("DIR")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tsunagu", *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["ture", "flase", "2", "はい"])
def test_a_mistyped_yes_no_setting_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TSUNAGU_SECURE", value)
    with pytest.raises(ImproperlyConfigured, match="TSUNAGU_SECURE") as refused:
        tsunagu_settings.envbool("TSUNAGU_SECURE", "false")
    assert "1 / true / yes / on" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "meaning"), [("1", True), ("TRUE", True), (" on ", True), ("0", False), ("", False)]
)
def test_yes_no_words_are_read(monkeypatch: pytest.MonkeyPatch, value: str, meaning: bool) -> None:
    monkeypatch.setenv("TSUNAGU_X", value)
    assert tsunagu_settings.envbool("TSUNAGU_X", "false") is meaning


def test_start_up_stops_on_a_mistyped_setting(tmp_path: Path) -> None:
    result = _run({"DIR": str(tmp_path), "TSUNAGU_SECURE": "ture"}, "check")
    assert result.returncode != 0
    assert "環境変数 TSUNAGU_SECURE の値「ture」は読めません" in result.stderr


def test_the_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        "DIR": str(tmp_path),
        "TSUNAGU_SECURE": "1",
        "TSUNAGU_SECRET_KEY": secrets.token_urlsafe(60),
        "TSUNAGU_ALLOWED_HOSTS": "tsunagu.example.lg.jp",
    }
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secure_turns_on_https_settings(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
            "TSUNAGU_DATA_DIR": str(tmp_path),
            "TSUNAGU_SECURE": "yes",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True"]


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_not_stored(staff_client: Client) -> None:
    for path in ("/", "/records/", "/directory/", "/transfer/export/?kind=directory&format=xlsx"):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_django_admin_is_not_mounted(admin_user: User) -> None:
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 404


@pytest.mark.django_db
def test_a_password_equal_to_the_username_is_refused(admin_client: Client) -> None:
    response = admin_client.post(
        "/staff/new/",
        {
            "username": "tanaka-hiroshi",
            "last_name": "田中",
            "role": "staff",
            "password1": "tanaka-hiroshi",
            "password2": "tanaka-hiroshi",
        },
    )
    assert "ユーザー名" in response.content.decode()
    assert "似すぎています" in response.content.decode()
    assert not User.objects.filter(username="tanaka-hiroshi").exists()


@pytest.mark.django_db
def test_healthz_answers_without_sign_in_and_without_personal_data() -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "ok"
    assert body["disk"] == "ok" and body["disk_free_mb"] > 0
    assert set(body) == {"status", "database", "migrations", "disk", "disk_free_mb"}


@pytest.mark.django_db
def test_healthz_reports_a_full_disk() -> None:
    with override_settings(HEALTHZ_MIN_FREE_MB=10**12):
        response = Client().get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["disk"] == "low"


def _echo_server(**options: Any) -> tuple[Any, threading.Thread, str]:
    import waitress  # type: ignore[import-untyped]

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["REMOTE_ADDR"].encode()]

    server = waitress.create_server(app, host="127.0.0.1", port=0, **options)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    return server, loop, f"http://127.0.0.1:{server.effective_port}/"


def _stop(server: Any, loop: threading.Thread) -> None:
    """Close the server's sockets from inside its own loop and wait for the loop to end.

    Closing them from the test's thread races the loop's select() on the same file
    descriptors (EBADF in the loop thread, reported by pytest against a later test).
    """
    from waitress import wasyncore  # type: ignore[import-untyped]

    server.task_dispatcher.shutdown()
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    loop.join(timeout=10)
    assert not loop.is_alive()


@pytest.mark.parametrize(("proxies", "seen"), [(["127.0.0.1"], "203.0.113.5"), ([], "127.0.0.1")])
def test_the_forwarded_address_is_believed_only_from_the_proxy(
    proxies: list[str], seen: str
) -> None:
    from tsunagu.core.management.commands.serve import proxy_options

    with override_settings(TRUSTED_PROXIES=proxies):
        options = proxy_options()
    server, loop, url = _echo_server(**options)
    try:
        request = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.5"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.read().decode() == seen
    finally:
        _stop(server, loop)


@pytest.mark.django_db
def test_a_refusal_is_one_log_line(staff_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert staff_client.get("/staff/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    handler = logging.StreamHandler()
    assert all("Traceback" not in handler.format(r) for r in records)


@pytest.mark.django_db
def test_an_unlisted_host_gets_a_japanese_page_and_names_the_setting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        response = Client().get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "要求を受け付けられません" in response.content.decode()
    message = "\n".join(r.getMessage() for r in caplog.records)
    assert "TSUNAGU_ALLOWED_HOSTS" in message and "evil.example" in message
    assert "You may need to add" not in message


def test_every_page_carries_a_content_security_policy_without_inline_script(client, db) -> None:  # type: ignore[no-untyped-def]
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
