"""Baseline figures: the published tables of the years before tsunagu."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.lib.tabular import write_csv
from tsunagu.reports.builder import build_report
from tsunagu.reports.models import BaselineFigure
from tsunagu.transfer.importers.base import ImportRefused
from tsunagu.transfer.services import import_file

HEADERS = ["年度", "表", "名称", "件数"]


def csv(rows):  # type: ignore[no-untyped-def]
    return write_csv(HEADERS, rows)


def test_baseline_gives_the_first_year_deltas(two_years, admin_user) -> None:  # type: ignore[no-untyped-def]
    data = csv(
        [
            ["平成30年度", "ニーズを抱えている個人", "合計", "10"],
            ["H30", "ニーズを抱えている個人", "近況報告・その他", "４"],
            ["2018", "関係機関別", "教育支援課・教育企画課・指導課", "5"],
            ["2018", "活動種別", "相談対応", "20"],
        ]
    )
    result = import_file(by=admin_user, kind="baseline", data=data, filename="baseline.csv")
    assert "平成30年度の過去の集計値を4件取り込みました。" in result.message
    report = build_report(2019)
    assert not report.notes  # the year before is no longer empty
    individual = next(s for s in report.sections if s.title == "ニーズを抱えている個人の相談")
    assert individual.total_delta.text == "－3件"
    kinds = {row.label: row.counts for row in report.trends[0].rows}
    assert kinds["相談対応"][1:] == (20, 8)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["令和ゼロ年", "関係機関別", "X", "1"], "年度", "年度として読み取れません"),
        (["2019", "関係機関別", "X", "1"], "年度", "令和元年度には支援記録がある"),
        (["2018", "知らない表", "X", "1"], "表", "表の名前ではありません"),
        (["2018", "関係機関別", "X", "-1"], "件数", ""),
        (["2018", "関係機関別", "", "1"], "名称", "名称が空です"),
    ],
)
def test_bad_rows_import_nothing(two_years, admin_user, row, column, message) -> None:  # type: ignore[no-untyped-def]
    data = csv([["2018", "関係機関別", "教育支援課・教育企画課・指導課", "5"], row])
    with pytest.raises(ImportRefused) as refused:
        import_file(by=admin_user, kind="baseline", data=data, filename="b.csv")
    error = refused.value.row_errors[0]
    assert error.row == 3 and error.column == column and message in error.message
    assert not BaselineFigure.objects.exists()


def test_command(two_years, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "baseline.csv"
    path.write_bytes(csv([["2018", "関係機関別", "教育支援課・教育企画課・指導課", "5"]]))
    call_command("import", "baseline", str(path))
    assert BaselineFigure.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("import", "baseline", str(path))  # the same file twice
