"""A record linked to a case takes the case's restriction (issue #9, finding 3): another
staff member sees that it exists, but not its note; cannot edit, delete or restore it;
its note is not in their exports nor found by their note search; the counts stay."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from tests.access_world import CASE_NOTE_WORD, World, build_world
from tsunagu.cases.timeline import build_timeline
from tsunagu.lib.tabular import read_table
from tsunagu.records.models import SupportRecord
from tsunagu.records.services import delete_record, update_record
from tsunagu.transfer.exporters import export_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def client_of(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_another_staff_member_sees_the_record_but_not_its_note(world: World) -> None:
    record = world["case_record"]
    other = client_of(world, "other").get(f"/records/{record.pk}/")
    assert other.status_code == 200
    page = other.content.decode()
    assert record.activity_kind.name in page
    assert CASE_NOTE_WORD not in page and "ケアプラン" not in page
    assert "個別支援につながっているため" in page
    assert f"/records/{record.pk}/edit/" not in page and "削除" not in page
    assigned = client_of(world, "assigned").get(f"/records/{record.pk}/").content.decode()
    assert CASE_NOTE_WORD in assigned and f"/records/{record.pk}/edit/" in assigned


def test_another_staff_member_cannot_edit_or_trash_it(world: World) -> None:
    record = world["case_record"]
    other = client_of(world, "other")
    assert other.get(f"/records/{record.pk}/edit/").status_code == 403
    assert other.post(f"/records/{record.pk}/edit/", {"note": "上書き"}).status_code == 403
    assert other.post(f"/records/{record.pk}/delete/").status_code == 403
    record.refresh_from_db()
    assert record.deleted_at is None
    case = world["case"]
    assert any(e.kind == "記録" for e in build_timeline(case, today=record.date))


def test_the_services_refuse_it_whoever_calls_them(world: World) -> None:
    record = world["case_record"]
    with pytest.raises(PermissionDenied, match="個別支援"):
        delete_record(by=world.users["other"], record=record)
    with pytest.raises(PermissionDenied):
        update_record(
            by=world.users["other"],
            record=record,
            data=None,
            expected_version=1,  # type: ignore[arg-type]
        )
    assert SupportRecord.objects.get(pk=record.pk).deleted_at is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_their_exports_keep_the_row_but_leave_the_note_out(world: World, fmt: str) -> None:
    other = client_of(world, "other")
    response = other.get(f"/records/?fy={world.fiscal_year}&download={fmt}")
    assert response.status_code == 200
    mine, _ = export_file("records", "csv", for_user=world.users["other"])
    system, _ = export_file("records", "csv")
    text = mine.decode("utf-8-sig")
    assert CASE_NOTE_WORD not in text and "ほかの職員の相談メモ" in text
    assert CASE_NOTE_WORD in system.decode("utf-8-sig")
    assert text.count("\r\n") == system.decode("utf-8-sig").count("\r\n")  # same rows
    downloaded = response.getvalue()
    if fmt == "csv":
        assert CASE_NOTE_WORD not in downloaded.decode("utf-8-sig")
    notes = [row.text("メモ") for row in read_table(downloaded, f"x.{fmt}")]
    assert CASE_NOTE_WORD not in "".join(notes) and "ほかの職員の相談メモ" in "".join(notes)
    web, _ = export_file("records", "csv", for_user=world.users["assigned"])
    assert CASE_NOTE_WORD in web.decode("utf-8-sig")


def test_their_note_search_does_not_find_it(world: World) -> None:
    url = f"/records/?fy={world.fiscal_year}&q={CASE_NOTE_WORD}"
    other = client_of(world, "other").get(url).content.decode()
    assigned = client_of(world, "assigned").get(url).content.decode()
    record = world["case_record"]
    assert f"/records/{record.pk}/" not in other
    assert f"/records/{record.pk}/" in assigned


def test_the_list_and_the_report_count_it_for_everyone(world: World) -> None:
    url = f"/records/?fy={world.fiscal_year}"
    counts = {
        re.search(r'result-count" role="status">(\d+)件', page).group(1)  # type: ignore[union-attr]
        for page in (
            client_of(world, role).get(url).content.decode()
            for role in ("admin", "other", "viewer")
        )
    }
    alive = SupportRecord.objects.alive().filter(fiscal_year=world.fiscal_year).count()
    assert counts == {str(alive)}
    report = f"/reports/download/?fy={world.fiscal_year}&format=json"
    figures = {client_of(world, role).get(report).content for role in ("admin", "other", "viewer")}
    assert len(figures) == 1
