"""Every download goes through the exporter base (tsunagu/core/exporters.py).

Generated from the registry and the URL catalogue: every download URL is an exporter's,
no module outside the base builds an attachment itself, every exporter has a Japanese
audit sentence, and each exporter, asked as every role on the access world's objects,
refuses a role without its rule (403, nothing logged) and gives the others a file named
in `Content-Disposition`, never stored by the browser, with exactly one audit row."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.access_world import ROLES, World, build_world
from tests.url_catalogue import ARGS, NOT_PAGES, VIEWS, addresses, path
from tsunagu.audit.descriptions import describe
from tsunagu.audit.models import AuditEntry
from tsunagu.core.access import can, rules
from tsunagu.core.exporters import exporters

# How to ask each exporter for a file: (URL name, query string), every format it gives.
# {fy} is the access world's fiscal year. An exporter without a row here fails.
REQUESTS: dict[str, list[tuple[str, str]]] = {
    "reports.report": [
        ("reports:download", f"?fy={{fy}}&format={fmt}") for fmt in ("text", "json", "xlsx", "csv")
    ],
    "reports.monthly": [("reports:monthly_download", "?fy={fy}")],
    "reports.book": [("reports:book", "?fy={fy}&format=xlsx")],
    "grants.summary": [("grants:summary_xlsx", "")],
    "volunteers.insurance": [("volunteers:insurance_xlsx", "")],
    "cases.cases": [("cases:export", "")],
    "plans.plans": [("plans:export", ""), ("plans:export_one", "")],
    "records.list": [("records:list", "?fy={fy}&download=csv"), ("records:list", "?download=xlsx")],
    "transfer.records": [
        ("transfer:export", "?kind=records&fy={fy}&format=csv"),
        ("transfer:export", "?kind=records&format=xlsx"),
    ],
    "transfer.categories": [("transfer:export", "?kind=categories&fy={fy}&format=csv")],
    "transfer.consulter_types": [("transfer:export", "?kind=consulter-types&format=xlsx")],
    "transfer.directory": [
        ("transfer:export", "?kind=directory&format=xlsx"),
        ("transfer:export", "?kind=directory&entity=groups&format=csv"),
    ],
}

TSUNAGU = Path(__file__).resolve().parents[2] / "tsunagu"
# What only the base may write: an attachment header, a streamed or file response.
BUILDS_A_DOWNLOAD = re.compile(
    r"""\[["']Content-Disposition["']\]\s*=|content_disposition_header\(|"""
    r"""\bFileResponse\(|\bStreamingHttpResponse\(|attachment;"""
)
BASE = TSUNAGU / "core" / "exporters.py"


def test_every_exporter_is_asked_here() -> None:
    assert set(REQUESTS) == set(exporters())


def test_the_registry_found_every_app() -> None:
    apps = {identifier.split(".")[0] for identifier in exporters()}
    assert {"reports", "grants", "volunteers", "cases", "plans", "records", "transfer"} <= apps


@pytest.mark.parametrize("identifier", sorted(exporters()))
def test_an_exporter_names_a_real_rule_url_and_audit_sentence(identifier: str) -> None:
    exporter = exporters()[identifier]
    assert exporter.rule in rules()
    assert set(exporter.urls) <= set(VIEWS)
    assert describe(exporter.audit) != exporter.audit, f"no audit_labels sentence: {exporter.audit}"
    assert re.search(r"[ぁ-んァ-ン一-龥]", exporter.verbose_name)


def test_every_download_url_is_served_by_an_exporter() -> None:
    served = {url for exporter in exporters().values() for url in exporter.urls}
    downloads = {name for name, reason in NOT_PAGES.items() if "download" in reason}
    assert downloads, "the catalogue no longer marks its downloads"
    assert not downloads - served, f"downloads outside core/exporters.py: {downloads - served}"


def test_no_module_builds_an_attachment_itself() -> None:
    """A view that sets Content-Disposition (or streams a file) on its own would skip the
    rule, the audit row and the headers: only the base does it."""
    found = []
    for source in sorted(TSUNAGU.rglob("*.py")):
        if source == BASE:
            continue
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if BUILDS_A_DOWNLOAD.search(code):
                found.append(f"{source.relative_to(TSUNAGU.parent)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _address(world: World, name: str, query: str) -> str:
    kwargs = ARGS.get(name, [{}])[0]
    return path(world, VIEWS[name][0], kwargs) + query.format(fy=world.fiscal_year)


def _content(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", sorted(REQUESTS))
def test_each_role_gets_the_file_or_a_refusal(world: World, identifier: str) -> None:
    exporter = exporters()[identifier]
    wrong = []
    for name, query in REQUESTS[identifier]:
        assert name in exporter.urls, f"{identifier} does not serve {name}"
        address = _address(world, name, query)
        view_rule = VIEWS[name][1].access_rule[0]
        for role in ROLES:
            user = world.users[role]
            client = Client()
            client.force_login(user)
            before = AuditEntry.objects.count()
            with transaction.atomic():
                response = client.get(address)
                body = _content(response)
                entries = list(AuditEntry.objects.order_by("id")[before:])
                transaction.set_rollback(True)
            said = f"{address} as {role}"
            if not (can(user, exporter.rule) and can(user, view_rule)):
                if response.status_code != 403 or entries:
                    wrong.append(f"{said}: {response.status_code}, {len(entries)} rows; want 403")
                continue
            disposition = response.get("Content-Disposition", "")
            if response.status_code != 200 or not disposition.startswith("attachment"):
                wrong.append(f"{said}: {response.status_code} {disposition!r}; want a download")
                continue
            if not re.search(r"filename\*?=\S+\.\w+", disposition):
                wrong.append(f"{said}: no filename in {disposition!r}")
            if "no-store" not in response.get("Cache-Control", ""):
                wrong.append(f"{said}: Cache-Control {response.get('Cache-Control')!r}")
            if response.get("X-Content-Type-Options") != "nosniff":
                wrong.append(f"{said}: no X-Content-Type-Options: nosniff")
            if not body:
                wrong.append(f"{said}: an empty file")
            if [(e.action, e.actor_id) for e in entries] != [(exporter.audit, user.pk)]:
                wrong.append(f"{said}: audit rows {[(e.action, e.actor_id) for e in entries]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_no_other_url_answers_with_an_attachment(world: World) -> None:
    """Every URL of the catalogue, asked as an administrator as a browser would open it:
    an attachment comes only from an exporter's URL."""
    served = {url for exporter in exporters().values() for url in exporter.urls}
    client = Client()
    client.force_login(world.users["admin"])
    stray = []
    for name in sorted(VIEWS):
        if name in served or name in {"logout"}:
            continue
        for address in addresses(world, name)[:1]:
            with transaction.atomic():
                response = client.get(address.path)
                transaction.set_rollback(True)
            if "attachment" in response.get("Content-Disposition", ""):
                stray.append(address.path)
    assert not stray, f"attachments outside core/exporters.py: {stray}"
