"""Two administrators decide the same grant at the same moment: one wins, the other is told.

Both opened the decision form on the same version. The service locks the grant row
(select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so
the second waits for the first to commit, then sees the new version and is refused.
A slow audit write holds the first transaction open long enough for the two to overlap.
"""

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from tests.conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.directory.models import Region, Zone
from tsunagu.grants.models import Grant
from tsunagu.grants.services import lifecycle
from tsunagu.grants.services.lifecycle import GrantConflict, LineInput, apply_grant, decide_grant
from tsunagu.grants.services.programme import save_programme


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_two_racing_decisions_on_postgresql(transactional_db: None, monkeypatch: Any) -> None:
    staff = make_user("sato", Role.STAFF, last_name="佐藤")
    first = make_user("kanri1", Role.ADMIN, last_name="管理", first_name="一郎")
    second = make_user("kanri2", Role.ADMIN, last_name="管理", first_name="次郎")
    region = Region.objects.create(name="本町地域社協", zone=Zone.objects.create(name="東部圏域"))
    programme = save_programme(by=first, fiscal_year=2020, cap=300_000, sources=[])
    grant = apply_grant(
        by=staff,
        programme=programme,
        region=region,
        plan="サロン",
        applied_amount=280_000,
        expenses=[LineInput("会場費", 280_000)],
        applied_on=date(2020, 4, 1),
    )
    opened = grant.version
    real_log = lifecycle.log_action

    def slow_log(**kwargs: Any) -> Any:
        time.sleep(0.4)  # inside the locked transaction
        return real_log(**kwargs)

    monkeypatch.setattr(lifecycle, "log_action", slow_log)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(user: Any, amount: int) -> None:
        barrier.wait()
        try:
            decide_grant(
                by=user,
                grant=grant,
                expected_version=opened,
                amount=amount,
                decided_on=date(2020, 5, 1),
            )
            outcomes[user.username] = "won"
        except GrantConflict as error:
            outcomes[user.username] = error.messages[0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(first, 280_000)),
        threading.Thread(target=decide, args=(second, 250_000)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    winner = next(name for name, v in outcomes.items() if v == "won")
    loser_message = next(v for v in outcomes.values() if v != "won")
    assert "画面を開いた後に" in loser_message and "保存していません" in loser_message
    saved = Grant.objects.get(pk=grant.pk)
    assert saved.decided_by.username == winner  # type: ignore[union-attr]
    assert saved.version == opened + 1
    assert AuditEntry.objects.filter(action="grants.grant.decided").count() == 1


SETUP = """
import django
django.setup()
from datetime import date
from tsunagu.accounts.models import User
from tsunagu.directory.models import Region, Zone
from tsunagu.grants.services.lifecycle import LineInput, apply_grant
from tsunagu.grants.services.programme import save_programme
staff = User.objects.create_user("sato", role="staff", last_name="佐藤")
first = User.objects.create_user("kanri1", role="admin", last_name="管理", first_name="一郎")
User.objects.create_user("kanri2", role="admin", last_name="管理", first_name="次郎")
region = Region.objects.create(name="本町地域社協", zone=Zone.objects.create(name="東部圏域"))
programme = save_programme(by=first, fiscal_year=2020, cap=300_000, sources=[])
grant = apply_grant(by=staff, programme=programme, region=region, plan="サロン",
    applied_amount=280_000, expenses=[LineInput("会場費", 280_000)], applied_on=date(2020, 4, 1))
print(grant.pk, grant.version)
"""

DECIDE = """
import sys, time
import django
django.setup()
from datetime import date
from tsunagu.accounts.models import User
from tsunagu.grants.services import lifecycle
from tsunagu.grants.models import Grant
pk, version, username, start = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
user = User.objects.get(username=username)
grant = Grant.objects.get(pk=pk)
real_log = lifecycle.log_action
def slow_log(**kwargs):
    time.sleep(0.5)
    return real_log(**kwargs)
lifecycle.log_action = slow_log
time.sleep(max(0.0, start - time.time()))
try:
    lifecycle.decide_grant(by=user, grant=grant, expected_version=version, amount=250_000,
        decided_on=date(2020, 5, 1))
    print("won")
except lifecycle.GrantConflict as error:
    print("told:" + error.messages[0])
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite settings")
def test_two_racing_decisions_on_sqlite(tmp_path: Path) -> None:
    """Two processes, as two waitress threads would be, on a real SQLite file."""
    env = {
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
        "TSUNAGU_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(
        [sys.executable, "-m", "tsunagu", "migrate", "-v0"], env=env, check=True, timeout=180
    )
    made = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    pk, version = made.stdout.split()
    start = time.time() + 4  # both wait for the same moment after starting up
    deciders = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", DECIDE, pk, version, name, str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("kanri1", "kanri2")
    ]
    results = [d.communicate(timeout=120) for d in deciders]
    outputs = sorted(out.strip() for out, _ in results)
    assert all(d.returncode == 0 for d in deciders), [err for _, err in results]
    assert outputs[0].startswith("told:") and outputs[1] == "won", outputs
    assert "画面を開いた後に管理" in outputs[0] and "保存していません" in outputs[0]

    import sqlite3

    db = sqlite3.connect(tmp_path / "tsunagu.sqlite3")
    decided = db.execute(
        "select count(*) from audit_auditentry where action = 'grants.grant.decided'"
    ).fetchone()[0]
    assert decided == 1
    assert db.execute("select version, state from grants_grant").fetchone() == (
        int(version) + 1,
        "decided",
    )
