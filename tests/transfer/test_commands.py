"""`tsunagu import` and `tsunagu export`: Japanese errors and a non-zero exit, never a traceback."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.transfer.conftest import record_row, records_file
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular import read_table
from tsunagu.records.models import SupportRecord


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_count(world: dict[str, Any], tmp_path: Path, admin_user: Any) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(records_file(record_row(), record_row()))
    out, _ = run("import", "records", str(path), "--user", "kanri")
    assert "支援記録 2件を取り込みました。" in out
    assert SupportRecord.objects.filter(created_by=admin_user).count() == 2


def test_import_errors_are_printed_and_the_command_fails(
    world: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(records_file(record_row(場所="喫茶店"), record_row(活動種別="見学")))
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", "records", str(path), stderr=err)
    assert str(error.value) == "問題が 2 件あるため、何も取り込んでいません。"
    assert error.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("2行目「場所」：場所「喫茶店」は使えません。")
    assert lines[1].startswith("3行目「活動種別」：活動種別「見学」は令和2年度の一覧にありません。")
    assert not SupportRecord.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["import", "records", "/nonexistent/records.csv"],
            "ファイル「/nonexistent/records.csv」を開けません",
        ),
        (
            ["import", "records", "FILE", "--user", "nobody"],
            "ログインID「nobody」の職員がいません。",
        ),
        (
            ["export", "records", "-o", "out.pdf"],
            "Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。",
        ),
        (
            ["export", "records", "-o", "out.csv", "--fy", "来年"],
            "「来年」は年度として読み取れません。",
        ),
        (["export", "directory", "-o", "out.csv"], "CSV に書き出すときは --entity で"),
        (
            ["export", "directory", "-o", "out.csv", "--entity", "名簿"],
            "マスタの種類「名簿」はありません。",
        ),
    ],
)
def test_bad_arguments_are_explained(
    db: None, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(records_file(record_row()))
    args = [
        str(path) if a == "FILE" else str(tmp_path / a) if a.startswith("out.") else a for a in args
    ]
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)


def test_export_writes_files_that_import(world: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        records_file(record_row(), record_row(日付="2019-06-01", 活動種別="相談対応"))
    )
    run("import", "records", str(source))
    out, _ = run("export", "records", "--fy", "2020", "-o", str(tmp_path / "r.xlsx"))
    assert "1行を" in out
    (row,) = read_table((tmp_path / "r.xlsx").read_bytes(), "r.xlsx")
    assert row.values["活動種別"] == "出向き・参加"
    assert AuditEntry.objects.get(action="transfer.exported").actor is None
    run("export", "categories", "--fy", "令和元年度", "-o", str(tmp_path / "c.csv"))
    kinds = [r.values["名称"] for r in read_table((tmp_path / "c.csv").read_bytes(), "c.csv")]
    assert kinds[:3] == ["出向き・参加", "話し合いへの参加", "相談対応"]
    run("export", "directory", "-o", str(tmp_path / "d.xlsx"))
    run("export", "directory", "--entity", "関係機関", "-o", str(tmp_path / "a.csv"))
    names = [r.values["名称"] for r in read_table((tmp_path / "a.csv").read_bytes(), "a.csv")]
    assert names == ["子ども政策課", "みどり台地域包括支援センター", "旧福祉課"]


def test_reimporting_an_export_is_refused_unless_update_is_asked(
    world: dict[str, Any], tmp_path: Path, admin_user: Any
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(records_file(record_row()))
    run("import", "records", str(source))
    path = tmp_path / "out.csv"
    run("export", "records", "-o", str(path))
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", "records", str(path), stderr=err)
    assert str(error.value) == "問題が 1 件あるため、何も取り込んでいません。"
    assert "2行目「記録ID」：記録ID" in err.getvalue() and "すでにあります" in err.getvalue()
    with pytest.raises(CommandError) as error:
        run("import", "records", str(path), "--update")
    assert "取り込む職員を指定してください（コマンドでは --user）" in str(error.value)
    out, _ = run("import", "records", str(path), "--update", "--user", "kanri")
    assert "0件を更新しました（内容が同じで変更しなかった記録：1件）" in out
    assert SupportRecord.objects.count() == 1
