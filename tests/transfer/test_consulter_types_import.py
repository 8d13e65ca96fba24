"""Importing and exporting the consulter types: report headings, section shapes, order."""

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.transfer.conftest import csv_bytes, run_import
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular import Cell, write_xlsx
from tsunagu.records.categories.services import save_consulter_type
from tsunagu.records.models import Category, ConsulterType, ReportStyle
from tsunagu.transfer.exporters import export_file
from tsunagu.transfer.formats import CONSULTER_TYPE_COLUMNS, CONSULTER_TYPE_SHAPES, Kind
from tsunagu.transfer.importers.base import ImportRefused

KIND = "consulter-types"
HEADER = list(CONSULTER_TYPE_COLUMNS)


def types_file(*rows: list[Cell], headers: list[str] = HEADER) -> bytes:
    return csv_bytes(headers, rows)


def stored() -> list[tuple[str, str, str, int]]:
    return [
        (t.name, t.report_title, t.report_style, t.order)
        for t in ConsulterType.objects.order_by("order", "id")
    ]


def refusal(data: bytes, filename: str = "t.csv") -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        run_import(KIND, data, filename)
    return [str(e) for e in refused.value.row_errors]


def test_the_shape_words_cover_every_report_style() -> None:
    assert sorted(CONSULTER_TYPE_SHAPES.values()) == sorted(ReportStyle.values)


def test_a_fresh_database_has_the_reference_councils_headings(db: None) -> None:
    assert [t.title for t in ConsulterType.objects.order_by("order")] == [
        "市民社協の事業に関連する相談",
        "ニーズを抱えている個人の相談",
        "ボランティア希望（活動）者からの相談",
        "地域活動団体からの相談",
        "関係機関からの相談",
    ]


def test_imported_headings_are_what_the_text_report_prints(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "相談者区分.csv"
    path.write_bytes(
        types_file(
            ["市民社協の事業", "社協の事業についての相談", "合計のみ", 5],
            ["ニーズを抱えている個人", "困りごとを抱えた個人からの相談", "順位", 1],
            ["関係機関", "関係機関との相談", "一覧", 2],
        )
    )
    out = io.StringIO()
    call_command("import", KIND, str(path), stdout=out)
    assert out.getvalue().strip() == (
        "相談者区分を取り込みました（追加 0件・変更 3件・変更なし 0件）。"
        "ファイルにない相談者区分（「ボランティア希望（活動）者」、「地域活動団体」）は、そのままです。"
    )
    capsys.readouterr()
    call_command("report", "--fy", "2020", "--format", "text")
    headings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("■")]
    # In the new order: 順 1, 2, then the two types left as they were (3, 4), then 5.
    assert headings[:5] == [
        "■ 困りごとを抱えた個人からの相談 0件（新）",
        "■ 関係機関との相談 0件（新）",
        "■ ボランティア希望（活動）者からの相談 0件（新）",
        "■ 地域活動団体からの相談 0件（新）",
        "■ 社協の事業についての相談 0件（新）",
    ]


def test_a_new_name_adds_a_type_at_the_end(db: None) -> None:
    result = run_import(KIND, types_file(["民生委員", "民生委員からの相談", "一覧", ""]))
    assert result.message.startswith(
        "相談者区分を取り込みました（追加 1件・変更 0件・変更なし 0件）。"
    )
    added = ConsulterType.objects.get(name="民生委員")
    assert (added.title, added.report_style, added.order, added.active) == (
        "民生委員からの相談",
        ReportStyle.LISTED,
        6,
        True,
    )


def test_every_change_is_audited_and_moves_the_version(db: None, admin_user: User) -> None:
    individual = ConsulterType.objects.get(name="ニーズを抱えている個人")
    agencies = ConsulterType.objects.get(name="関係機関")
    versions = (individual.version, agencies.version)
    run_import(
        KIND,
        types_file(
            ["ニーズを抱えている個人", "個人の相談", "順位", 2],
            [agencies.name, agencies.report_title, "一覧", agencies.order],
            ["民生委員", "", "合計のみ", 9],
        ),
        by=admin_user,
    )
    individual.refresh_from_db()
    agencies.refresh_from_db()
    assert individual.version == versions[0] + 1
    assert agencies.version == versions[1]  # unchanged: a form opened on it stays valid
    actions = list(
        AuditEntry.objects.filter(action__startswith="categories.consulter_type")
        .order_by("id")
        .values_list("action", "target_label")
    )
    assert actions == [
        ("categories.consulter_type.updated", "ニーズを抱えている個人"),
        ("categories.consulter_type.created", "民生委員"),
    ]
    assert AuditEntry.objects.filter(action="transfer.imported").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(db: None, admin_user: User, fmt: str) -> None:
    individual = ConsulterType.objects.get(name="ニーズを抱えている個人")
    save_consulter_type(
        by=admin_user,
        consulter_type=None,
        values={
            "name": "民生委員",
            "report_title": "",
            "order": 6,
            "report_style": ReportStyle.TOTAL,
            "active": True,
        },
    )
    before = stored()
    data, rows = export_file(Kind.CONSULTER_TYPES, fmt)
    assert rows == 6
    # Someone changes two types after the export; importing the export puts them back.
    save_consulter_type(
        by=admin_user,
        consulter_type=individual,
        values={
            "name": individual.name,
            "report_title": "別の見出し",
            "order": 9,
            "report_style": ReportStyle.LISTED,
            "active": True,
        },
        expected_version=individual.version,
    )
    result = run_import(KIND, data, f"相談者区分.{fmt}")
    assert result.message == "相談者区分を取り込みました（追加 0件・変更 1件・変更なし 5件）。"
    assert stored() == before


def test_the_export_has_the_import_columns(db: None) -> None:
    data, _ = export_file(Kind.CONSULTER_TYPES, "xlsx")
    sheet = load_workbook(io.BytesIO(data))["相談者区分"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert rows[1] == ["市民社協の事業", "市民社協の事業に関連する相談", "合計のみ", 1]
    assert rows[2] == ["ニーズを抱えている個人", "ニーズを抱えている個人の相談", "順位", 2]
    assert rows[5] == ["関係機関", "関係機関からの相談", "一覧", 5]


def test_bad_rows_are_named_and_nothing_is_saved(db: None) -> None:
    before = stored()
    errors = refusal(
        types_file(
            ["地域活動団体", "", "ランキング", 1],
            ["", "見出しだけ", "順位", 2],
            ["関係機関", "", "一覧", "3番"],
            ["民生委員", "", "一覧", 4],
            ["民生委員", "", "順位", 5],
            ["ニーズを抱えている個人", "個人の相談", "順位", 6],
        )
    )
    assert errors == [
        "2行目「集計の形」：集計の形「ランキング」は使えません。「合計のみ」「順位」「一覧」のどれかを書いてください。",
        "3行目「名称」：名称が空です。",
        "4行目「順」：「3番」は順として読み取れません。0以上の整数で書いてください。",
        "6行目「名称」：「民生委員」は5行目にもあります。一行にしてください。",
    ]
    assert stored() == before
    assert not ConsulterType.objects.filter(name="民生委員").exists()


def test_a_type_with_categories_cannot_become_total_only(db: None) -> None:
    group = ConsulterType.objects.get(name="地域活動団体")
    Category.objects.create(fiscal_year=2020, consulter_type=group, name="会計", order=1)
    errors = refusal(types_file(["地域活動団体", "", "合計のみ", 4]))
    assert errors == [
        "2行目「集計の形」：「地域活動団体」には相談内容の分類があるため、「合計のみ」にはできません。"
    ]
    group.refresh_from_db()
    assert group.report_style == ReportStyle.RANKED


def test_an_xlsx_sheet_imports_and_the_screen_words_are_read(db: None) -> None:
    data = write_xlsx(
        [("相談者区分", HEADER, [["ボランティア希望（活動）者", "", "件数順に並べる", None]])]
    )
    run_import(KIND, data, "types.xlsx")
    volunteers = ConsulterType.objects.get(name="ボランティア希望（活動）者")
    assert (volunteers.report_title, volunteers.report_style, volunteers.order) == (
        "",
        ReportStyle.LISTED,
        3,
    )
    assert volunteers.title == "ボランティア希望（活動）者からの相談"


def test_the_command_lists_the_bad_rows(db: None, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(types_file(["関係機関", "", "", 1]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も取り込んでいません"):
        call_command("import", KIND, str(path), stderr=err)
    assert "2行目「集計の形」：集計の形が空です。" in err.getvalue()


def test_the_export_command_writes_the_types(db: None, tmp_path: Path) -> None:
    path = tmp_path / "types.csv"
    out = io.StringIO()
    call_command("export", KIND, "-o", str(path), stdout=out)
    assert "5行を" in out.getvalue()
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == '"名称","報告書の見出し","集計の形","順"'
    assert text.splitlines()[5] == '"関係機関","関係機関からの相談","一覧","5"'


def test_the_import_screen_offers_the_kind_and_says_what_stays(admin_client) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/transfer/").content.decode()
    assert (
        '<option value="consulter-types">相談者区分（報告書の見出し・集計の形・順）</option>'
        in page
    )
    assert "ファイルにない区分は、そのまま残ります" in page
    assert "（集計の形は「合計のみ」「順位」「一覧」のどれか。" in page
    assert "（活動種別は相談者区分を「活動種別」に）" in page
    upload = io.BytesIO(types_file(["関係機関", "関係機関との相談", "一覧", 5]))
    upload.name = "相談者区分.csv"
    response = admin_client.post("/transfer/", {"kind": KIND, "file": upload}, follow=True)
    text = response.content.decode()
    assert "相談者区分を取り込みました（追加 0件・変更 1件・変更なし 0件）。" in text
    assert "ファイルにない相談者区分（「市民社協の事業」、「ニーズを抱えている個人」、" in text
    assert ConsulterType.objects.get(name="関係機関").report_title == "関係機関との相談"


def test_the_export_screen_downloads_the_types(admin_client) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/transfer/export/").content.decode()
    assert (
        '<option value="consulter-types">相談者区分（報告書の見出し・集計の形・順）</option>'
        in page
    )
    response = admin_client.get("/transfer/export/", {"kind": KIND, "format": "csv", "fy": "2020"})
    # No year in the name: the types are not yearly.
    assert response["Content-Disposition"].endswith(quote("相談者区分.csv"))
    assert response.getvalue().decode("utf-8-sig").splitlines()[1].startswith('"市民社協の事業"')


def test_the_documented_example_is_a_fresh_databases_types(db: None) -> None:
    example = Path(__file__).parents[2] / "docs" / "examples" / "consulter-types.csv"
    result = run_import(KIND, example.read_bytes(), example.name)
    assert result.message == "相談者区分を取り込みました（追加 0件・変更 0件・変更なし 5件）。"


def test_a_file_without_the_heading_column_keeps_the_headings(db: None) -> None:
    result = run_import(
        KIND, types_file(["関係機関", "順位", 1], headers=["名称", "集計の形", "順"])
    )
    assert result.message.startswith("相談者区分を取り込みました（追加 0件・変更 1件")
    agencies = ConsulterType.objects.get(name="関係機関")
    assert (agencies.report_title, agencies.report_style, agencies.order) == (
        "関係機関からの相談",
        ReportStyle.RANKED,
        1,
    )
