import csv
import io
import zipfile
from dataclasses import replace

import pytest

from tests.reports.factories import (
    agency_table,
    council_section,
    empty_report,
    individual_section,
    kinds_trend,
    listed,
    outreach,
    sample_report,
)
from tsunagu.reports.renderers.csvio import (
    csv_filename,
    find_table,
    render_csv,
    render_csv_zip,
    table_keys,
)
from tsunagu.reports.result import Delta, DeltaKind, OutreachShare


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_for_excel_bom_crlf_every_field_quoted() -> None:
    data = render_csv(individual_section())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert "\n" not in "".join(lines)
    for line in lines[:-1]:
        assert line.startswith('"') and line.endswith('"')
    assert lines[2] == '"1","福祉サービス・相談機関への紹介","38","＋4件"'


def test_ranked_section_total_first_then_rows_without_notes() -> None:
    assert read(render_csv(individual_section())) == [
        ["順位", "項目", "件数", "前年度比"],
        ["", "合計", "69", "－23件"],
        ["1", "福祉サービス・相談機関への紹介", "38", "＋4件"],
        ["2", "具体的な活動への紹介", "12", "－13件"],
        ["2", "居場所・集いの場への参加希望", "12", "－8件"],
        ["4", "近況報告など", "4", ""],
        ["5", "その他", "3", ""],
    ]


def test_listed_and_total_only_sections() -> None:
    rows = read(render_csv(agency_table()))
    assert rows[:3] == [
        ["項目", "件数", "前年度比"],
        ["合計", "118", "＋14件"],
        ["在宅介護・地域包括支援センター", "38", "＋6件"],
    ]
    assert ["子ども政策課", "14", "新"] in rows
    assert read(render_csv(council_section())) == [
        ["項目", "件数", "前年度比"],
        ["合計", "131", "＋27件"],
    ]


def test_trend_leaves_years_not_counted_empty() -> None:
    rows = read(render_csv(kinds_trend()))
    assert rows[0] == ["項目", "平成30年度", "令和元年度", "令和2年度"]
    assert rows[1] == ["出向き・参加", "780", "810", "360"]
    assert ["働きかけ", "", "", "165"] in rows
    assert len(rows) == 7


def test_outreach_share_as_percentages() -> None:
    assert read(render_csv(outreach())) == [
        ["年度", "相談件数", "うち出向いた先", "割合"],
        ["平成30年度", "526", "189", "35.9%"],
        ["令和元年度", "566", "215", "38.0%"],
        ["令和2年度", "631", "202", "32.0%"],
    ]
    no_consultations = OutreachShare((2021,), ("令和3年度",), (0,), (0,))
    assert read(render_csv(no_consultations))[1] == ["令和3年度", "0", "0", ""]


def test_a_label_excel_would_run_as_a_formula_is_protected() -> None:
    section = replace(
        individual_section(), rows=(listed("=cmd|'/c calc'!A1", 1, Delta(DeltaKind.NEW)),)
    )
    rows = read(render_csv(section))
    assert rows[2][1] == "'=cmd|'/c calc'!A1"


def test_table_keys_and_lookup() -> None:
    report = sample_report()
    assert table_keys(report) == [
        "type-1",
        "type-2",
        "type-3",
        "type-4",
        "type-5",
        "agencies",
        "kinds",
        "targets",
        "outreach",
    ]
    entry = find_table(report, "agencies")
    assert entry is not None and entry.title == "関係機関別"
    assert find_table(report, "outreach") is not None
    assert find_table(report, "nothing") is None
    assert csv_filename(report, "agencies") == "令和2年度_市全体_関係機関別.csv"
    with pytest.raises(KeyError):
        csv_filename(report, "nothing")


def test_zip_holds_one_csv_per_table_with_japanese_names() -> None:
    with zipfile.ZipFile(io.BytesIO(render_csv_zip(sample_report()))) as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == [
            "01_市民社協の事業に関連する相談.csv",
            "02_ニーズを抱えている個人からの相談.csv",
            "03_ボランティア希望（活動）者からの相談.csv",
            "04_地域活動団体からの相談.csv",
            "05_関係機関からの相談.csv",
            "06_関係機関別.csv",
            "07_活動内容別.csv",
            "08_支援先別.csv",
            "09_出向いた先で受けた相談の割合.csv",
        ]
        # Names stored as UTF-8 (general purpose flag bit 11), not in a local code page.
        assert all(info.flag_bits & 0x800 for info in infos)
        assert archive.read(infos[1]) == render_csv(individual_section())


def test_zip_of_an_empty_year_and_unsafe_titles() -> None:
    report = empty_report()
    report = replace(report, agency_table=replace(report.agency_table, title="機関/団体:別"))
    with zipfile.ZipFile(io.BytesIO(render_csv_zip(report))) as archive:
        names = archive.namelist()
        assert names[1] == "02_機関_団体_別.csv"
        assert read(archive.read(names[0])) == [
            ["順位", "項目", "件数", "前年度比"],
            ["", "合計", "0", "新"],
        ]
        assert read(archive.read(names[2])) == [["項目", "令和元年度", "令和2年度", "令和3年度"]]
