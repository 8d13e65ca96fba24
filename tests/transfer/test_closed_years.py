"""Importing records into a closed fiscal year: refused, all or nothing, unless asked."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.transfer.conftest import record_row, records_file, run_import
from tsunagu.lib.tabular import write_csv
from tsunagu.records.models import ImportBatch, SupportRecord
from tsunagu.reports.models import YearClosure
from tsunagu.reports.services import figures_for
from tsunagu.transfer.formats import RECORD_CORE_COLUMNS
from tsunagu.transfer.importers.base import ImportRefused

REFUSAL = (
    "令和元年度は締められています。締められた年度の記録も取り込むときは"
    "「締められた年度の記録も取り込む」にチェックしてください（コマンドでは --include-closed）。"
)


@pytest.fixture
def closed_2019(world: dict[str, Any], admin_user: Any) -> YearClosure:
    from tsunagu.reports.services import close_year

    return close_year(by=admin_user, fiscal_year=2019)


def mixed_file() -> bytes:
    """Two rows of open 令和2年度 around two of closed 令和元年度."""
    return records_file(
        record_row(),
        record_row(日付="2019-06-01"),
        record_row(日付="2020-03-31"),
        record_row(日付="2020-04-01"),
    )


def test_a_file_with_rows_of_a_closed_year_imports_nothing(closed_2019, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRefused) as error:
        run_import("records", mixed_file(), by=admin_user)
    assert [(e.row, e.column, e.message) for e in error.value.row_errors] == [
        (3, "日付", REFUSAL),
        (4, "日付", REFUSAL),
    ]
    assert not SupportRecord.objects.exists() and not ImportBatch.objects.exists()


def test_ticked_the_rows_of_a_closed_year_are_imported_and_shown_as_differences(
    closed_2019, admin_user
) -> None:  # type: ignore[no-untyped-def]
    result = run_import("records", mixed_file(), by=admin_user, include_closed=True)
    assert result.message == "支援記録 4件を取り込みました。"
    assert SupportRecord.objects.filter(fiscal_year=2019).count() == 2
    names = {d.name: (d.published, d.current) for d in figures_for(2019).differences}
    assert names["活動内容別：出向き・参加（令和元年度）"] == (0, 2)


def test_a_year_not_closed_imports_without_asking(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    YearClosure.objects.create(fiscal_year=2018, data={}, closed_by=admin_user)
    assert run_import("records", mixed_file(), by=admin_user).message == (
        "支援記録 4件を取り込みました。"
    )


def test_an_update_of_a_record_of_a_closed_year_is_refused_too(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    run_import("records", records_file(record_row(日付="2019-06-01")))
    record = SupportRecord.objects.get()
    YearClosure.objects.create(fiscal_year=2019, data={}, closed_by=admin_user)
    # Moved out of the closed year: its figures change all the same.
    data = write_csv(["記録ID", *RECORD_CORE_COLUMNS], [[record.pk, *record_row()]])
    with pytest.raises(ImportRefused) as error:
        run_import("records", data, by=admin_user, update=True)
    assert [e.message for e in error.value.row_errors] == [
        f"記録ID {record.pk} の支援記録は令和元年度の記録です。{REFUSAL}"
    ]
    assert SupportRecord.objects.get().fiscal_year == 2019
    run_import("records", data, by=admin_user, update=True, include_closed=True)
    assert SupportRecord.objects.get().fiscal_year == 2020


def test_the_screen_offers_the_tick_and_explains_the_refusal(closed_2019, staff_client) -> None:  # type: ignore[no-untyped-def]
    def upload(**extra: str) -> str:
        data = {"kind": "records", "file": SimpleUploadedFile("t.csv", mixed_file()), **extra}
        return staff_client.post("/transfer/", data, follow=True).content.decode()

    assert (
        "締められた年度の記録も取り込む（支援記録だけ）"
        in staff_client.get("/transfer/").content.decode()
    )
    page = upload()
    assert "取り込めませんでした。何も取り込んでいません。" in page and REFUSAL in page
    assert not SupportRecord.objects.exists()
    assert "支援記録 4件を取り込みました。" in upload(include_closed="on")


def test_the_command_refuses_unless_include_closed(closed_2019, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "records.csv"
    path.write_bytes(mixed_file())
    err = StringIO()
    with pytest.raises(CommandError, match="問題が 2 件あるため、何も取り込んでいません。"):
        call_command("import", "records", str(path), stderr=err)
    assert REFUSAL in err.getvalue()
    out = StringIO()
    call_command("import", "records", str(path), "--include-closed", stdout=out)
    assert "支援記録 4件を取り込みました。" in out.getvalue()


def test_include_closed_is_for_records_only(closed_2019, admin_user) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="支援記録の取り込みだけです"):
        run_import("categories", b"", by=admin_user, include_closed=True)
