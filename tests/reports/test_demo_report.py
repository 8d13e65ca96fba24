"""The demo council's 令和2年度 report reads like the council's own publication."""

from io import StringIO

import pytest
from django.core.management import call_command

from tsunagu.reports.builder import build_report
from tsunagu.reports.renderers.text import render_text


@pytest.fixture(scope="module")
def demo_text(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", last_year=2020, stdout=StringIO())
            text = render_text(build_report(2020))
            transaction.set_rollback(True)
    return text


def test_split_note_new_markers_and_counted_from_notes(demo_text: str) -> None:
    assert "※「近況報告など」と「その他」の合計7件は前年度比－6件" in demo_text
    assert "新型コロナウイルス関連 96件（新）" in demo_text
    assert "※働きかけは令和2年度から集計しています。" in demo_text
    # a renamed category keeps its delta: no 新 on it
    line = next(
        line
        for line in demo_text.splitlines()
        if "フードバンク・フードパントリー団体について" in line
    )
    assert "（新）" not in line


def test_every_section_in_published_order(demo_text: str) -> None:
    headings = [line.split(" ")[1] for line in demo_text.splitlines() if line.startswith("■ ")]
    assert headings[:6] == [
        "市民社協の事業に関連する相談",
        "ニーズを抱えている個人の相談",
        "ボランティア希望（活動）者からの相談",
        "地域活動団体からの相談",
        "関係機関からの相談",
        "関係機関別",
    ]
