"""Importing the directory: one sheet per entity, rows matched by name on re-import."""

from typing import Any

import pytest

from tests.transfer.conftest import csv_bytes, run_import
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region, Zone
from tsunagu.lib.tabular import Cell, write_xlsx
from tsunagu.transfer.importers.base import ImportRefused


def workbook(**sheets: tuple[list[str], list[list[Cell]]]) -> bytes:
    return write_xlsx([(name, headers, rows) for name, (headers, rows) in sheets.items()])


CITY = {
    "圏域": (
        ["名称", "説明", "地域担当職員", "順", "有効"],
        [["東部圏域", "みどり台駅周辺", "職員 二郎", 1, "〇"], ["西部圏域", "", "", 2, ""]],
    ),
    "地域社協": (
        ["名称", "圏域", "代表者", "会員数", "順", "有効"],
        [
            ["本町地域社協", "東部圏域", "本町 太郎", 82, 1, "〇"],
            ["境南地域社協", "西部圏域", "", "", 2, ""],
        ],
    ),
    "活動団体の種別": (["名称", "順"], [["サロン", 1], ["子ども食堂", 2]]),
    "活動団体": (
        ["名称", "種別", "圏域", "地域社協", "開催日時", "連絡先", "順", "有効"],
        [
            ["サロンひだまり", "サロン", "", "本町地域社協", "毎月第2火曜日", "", 1, "〇"],
            ["こども食堂 にこにこ", "子ども食堂", "西部圏域", "", "", "090-0000-0000", 2, "〇"],
        ],
    ),
    "関係機関": (
        ["名称", "報告区分", "順", "有効"],
        [
            ["子ども政策課", "", 1, "〇"],
            ["教育支援課", "教育支援課・指導課", 2, "〇"],
            ["指導課", "教育支援課・指導課", 3, "〇"],
            ["旧福祉課", "", 4, "×"],
        ],
    ),
}


def test_a_whole_city_imports_from_one_workbook(staff_user: Any) -> None:
    result = run_import("directory", workbook(**CITY), filename="city.xlsx")
    assert result.message.startswith("マスタを取り込みました（圏域 追加 2件・変更 0件、")
    east = Zone.objects.get(name="東部圏域")
    assert (east.description, east.staff, east.order, east.active) == (
        "みどり台駅周辺",
        staff_user,
        1,
        True,
    )
    honcho = Region.objects.get(name="本町地域社協")
    assert (honcho.zone, honcho.representative, honcho.member_count) == (east, "本町 太郎", 82)
    hidamari = ActivityGroup.objects.get(name="サロンひだまり")
    # the zone comes from the regional council
    assert (hidamari.zone, hidamari.region, hidamari.kind.name) == (east, honcho, "サロン")
    cafeteria = ActivityGroup.objects.get(name="こども食堂 にこにこ")
    assert cafeteria.zone.name == "西部圏域" and cafeteria.region is None
    assert cafeteria.contact == "090-0000-0000"
    education = AgencyGroup.objects.get(name="教育支援課・指導課")
    assert sorted(a.name for a in education.agencies.all()) == ["指導課", "教育支援課"]
    assert Agency.objects.get(name="子ども政策課").group.name == "子ども政策課"
    assert not Agency.objects.get(name="旧福祉課").active


def test_reimporting_updates_rows_by_name_without_duplicates(city: dict[str, Any]) -> None:
    first = {
        "活動団体": (
            ["名称", "種別", "圏域", "開催日時"],
            [["ｻﾛﾝ ひだまり", "サロン", "東部圏域", "第3木曜日"]],
        )
    }
    result = run_import("directory", workbook(**first), filename="groups.xlsx")
    assert "活動団体 追加 0件・変更 1件" in result.message
    hidamari = ActivityGroup.objects.get()
    assert hidamari.schedule == "第3木曜日"
    # columns left out of the file are left alone
    assert hidamari.region == city["honcho"] and hidamari.name == "ｻﾛﾝ ひだまり"


def test_a_csv_names_its_entity(city: dict[str, Any]) -> None:
    data = csv_bytes(["名称", "圏域", "会員数"], [["緑町地域社協", "西部圏域", "１２０"]])
    run_import("directory", data, filename="regions.csv", entity="地域社協")
    assert Region.objects.get(name="緑町地域社協").member_count == 120
    run_import("directory", data + b"\r\n", filename="地域社協.csv")
    assert Region.objects.filter(name="緑町地域社協").count() == 1
    with pytest.raises(ImportRefused) as error:
        run_import("directory", data + b"\r\n\r\n", filename="data.csv")
    assert "CSV ではマスタの種類" in error.value.messages[0]


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"名簿": (["名称"], [["一"]])}, "シート名がマスタの種類と合いません：「名簿」。"),
        (
            {"地域社協": (["名称", "圏域"], [["緑町地域社協", "北部圏域"]])},
            "シート「地域社協」2行目「圏域」：圏域「北部圏域」が見つかりません",
        ),
        (
            {"地域社協": (["名称"], [["緑町地域社協"]])},
            "「圏域」：新しい地域社協には圏域を書いてください。",
        ),
        (
            {
                "活動団体": (
                    ["名称", "圏域", "地域社協"],
                    [["新しい団体", "東部圏域", "境南地域社協"]],
                )
            },
            "地域社協「境南地域社協」は西部圏域の地域社協です。",
        ),
        (
            {"活動団体": (["名称", "圏域"], [["新しい団体", "東部圏域"]])},
            "新しい活動団体には種別を書いてください。",
        ),
        (
            {"活動団体の種別": (["名称", "有効"], [["居場所", "たぶん"]])},
            "「たぶん」は読み取れません。",
        ),
        (
            {"圏域": (["名称", "地域担当職員"], [["北部圏域", "山田 花子"]])},
            "職員「山田 花子」が見つかりません。",
        ),
        (
            {"活動団体の種別": (["名称"], [["居場所"], ["居場所"]])},
            "3行目「名称」：2行目と同じ活動団体の種別です。",
        ),
        (
            {"関係機関": (["名称", "担当"], [["消防署", "一"]])},
            "使えない見出しがあります：「担当」",
        ),
    ],
)
def test_bad_sheets_are_refused(city: dict[str, Any], sheets: Any, message: str) -> None:
    before = (GroupKind.objects.count(), ActivityGroup.objects.count(), Region.objects.count())
    with pytest.raises(ImportRefused) as error:
        run_import("directory", workbook(**sheets), filename="city.xlsx")
    assert any(message in line for line in error.value.lines()), error.value.lines()
    after = (GroupKind.objects.count(), ActivityGroup.objects.count(), Region.objects.count())
    assert after == before


def test_an_optional_reading_column_sets_or_guesses_the_reading(db: None) -> None:
    data = csv_bytes(
        ["名称", "よみ"],
        [["本町ケアプラザ", "ほんまちけあぷらざ"], ["在宅介護・地域包括支援センター", ""]],
    )
    run_import("directory", data, filename="関係機関.csv")
    assert Agency.objects.get(name="本町ケアプラザ").reading == "ほんまちけあぷらざ"
    centre = Agency.objects.get(name="在宅介護・地域包括支援センター")
    assert centre.reading == "ざいたくかいご・ちいきほうかつしえんせんたー"
    assert list(Agency.objects.matching("ほうかつ")) == [centre]
    # a file without the column leaves the readings alone
    run_import(
        "directory", csv_bytes(["名称", "順"], [["本町ケアプラザ", 5]]), filename="関係機関.csv"
    )
    assert Agency.objects.get(name="本町ケアプラザ").reading == "ほんまちけあぷらざ"
