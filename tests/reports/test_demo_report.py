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
    # 近況報告・その他 (13件) of 令和元年度 was split; the note names the rows as printed.
    assert "※「4位：近況報告など」と「5位：その他」の合計7件は前年度比－6件" in demo_text
    assert "新型コロナウイルス関連 96件（新）" in demo_text
    assert "※働きかけは令和2年度から集計しています。" in demo_text
    # a renamed category keeps its delta: no 新 on it
    line = next(
        line
        for line in demo_text.splitlines()
        if "フードバンク・フードパントリー団体について" in line
    )
    assert "（新）" not in line


def test_the_catch_all_tied_at_the_bottom_takes_its_own_rank(demo_text: str) -> None:
    # その他 (2件) ties with 地域活動等への見学の希望、紹介など: it comes after it, on 5位.
    assert (
        "■ ボランティア希望（活動）者からの相談 45件（＋2件）\n"
        "1位：寄付（寄贈）したい 24件（＋2件）\n"
        "2位：ボランティアしたい 11件（±0件）\n"
        "3位：ボランティア活動中の悩み、活動報告など 6件（±0件）\n"
        "4位：地域活動等への見学の希望、紹介など 2件（＋1件）\n"
        "5位：その他 2件（－1件）\n"
    ) in demo_text


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
