"""Stable codes: the entries features depend on keep their code through renames and
the yearly lineage, and a missing one is refused naming what to set up."""

import pytest

from tests.records.category_data import category, consulter_type, make_year
from tests.transfer.conftest import csv_bytes, run_import
from tsunagu.records.categories import edits, services
from tsunagu.records.categories.edits import current_entries
from tsunagu.records.categories.services import EntrySpec, save_year_list
from tsunagu.records.category_forms import ConsulterTypeForm
from tsunagu.records.codes import (
    MissingCode,
    activity_kind_for,
    category_for,
    consulter_type_for,
    settle_codes,
)
from tsunagu.records.defaults import (
    CONSULTATION_KIND,
    DONATION_WISH,
    OUTREACH_KIND,
    VOLUNTEER_TYPE,
    VOLUNTEER_WISH,
)
from tsunagu.records.models import ActivityKind, Category, ConsulterType

VOLUNTEERS = "ボランティア希望（活動）者"


@pytest.fixture
def fy2020(db: None) -> None:
    make_year(2020)
    settle_codes(2020)


def codes(fiscal_year: int) -> dict[str, str]:
    return dict(
        [
            *Category.objects.filter(fiscal_year=fiscal_year).values_list("name", "code"),
            *ActivityKind.objects.filter(fiscal_year=fiscal_year).values_list("name", "code"),
        ]
    )


def test_the_entries_with_default_names_take_their_codes(fy2020) -> None:  # type: ignore[no-untyped-def]
    assert consulter_type(VOLUNTEERS).code == "volunteer"
    assert codes(2020) == {
        "出向き・参加": "outreach",
        "話し合いへの参加": "",
        "相談対応": "consultation",
        "福祉サービス・相談機関への紹介": "",
        "近況報告など": "",
        "その他": "",
        "ボランティアしたい": "volunteer-wish",
        "寄付（寄贈）したい": "donation-wish",
    }
    assert category_for(VOLUNTEER_WISH, 2020) == category(2020, "ボランティアしたい")
    assert activity_kind_for(CONSULTATION_KIND, 2020).name == "相談対応"


def test_a_renamed_entry_keeps_its_code_into_the_next_year(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    edits.rename(by=admin_user, entry=category(2020, "ボランティアしたい"), name="活動したい")
    edits.rename(
        by=admin_user,
        entry=ActivityKind.objects.get(fiscal_year=2020, name="相談対応"),
        name="相談を受けた",
    )
    assert category_for(VOLUNTEER_WISH, 2020).name == "活動したい"
    services.start_year(by=admin_user, fiscal_year=2021)
    assert category_for(VOLUNTEER_WISH, 2021).name == "活動したい"
    assert activity_kind_for(CONSULTATION_KIND, 2021).name == "相談を受けた"
    assert codes(2021)["寄付（寄贈）したい"] == "donation-wish"
    # A new entry named as the default does not take the code its renamed holder keeps.
    edits.add(
        by=admin_user,
        fiscal_year=2021,
        scheme=consulter_type(VOLUNTEERS),
        name="ボランティアしたい",
    )
    assert codes(2021)["ボランティアしたい"] == ""
    assert category_for(VOLUNTEER_WISH, 2021).name == "活動したい"


def test_an_entry_continuing_a_coded_one_under_a_new_name_takes_its_code(
    fy2020, admin_user
) -> None:  # type: ignore[no-untyped-def]
    save_year_list(
        by=admin_user,
        fiscal_year=2021,
        scheme=consulter_type(VOLUNTEERS),
        entries=[
            EntrySpec(name="寄付・寄贈の申し出", predecessors=("寄付（寄贈）したい",)),
            EntrySpec(name="ボランティア活動の希望", predecessors=("ボランティアしたい",)),
        ],
    )
    assert codes(2021) == {
        "寄付・寄贈の申し出": "donation-wish",
        "ボランティア活動の希望": "volunteer-wish",
    }


def test_a_split_entry_hands_its_code_to_none_and_the_lookup_says_what_to_add(
    fy2020, admin_user
) -> None:  # type: ignore[no-untyped-def]
    save_year_list(
        by=admin_user,
        fiscal_year=2021,
        scheme=consulter_type(VOLUNTEERS),
        entries=[
            EntrySpec(name="個人で活動したい", predecessors=("ボランティアしたい",)),
            EntrySpec(name="団体で活動したい", predecessors=("ボランティアしたい",)),
        ],
    )
    assert set(codes(2021).values()) == {""}
    with pytest.raises(MissingCode) as error:
        category_for(VOLUNTEER_WISH, 2021)
    assert error.value.messages == [
        "令和3年度の「ボランティア希望（活動）者」の相談内容に、ボランティアの登録を数える分類が"
        "ありません。分類の画面でこの年度の一覧に、「ボランティアしたい」という名称の分類を"
        "加えてください。"
    ]
    # Doing what it says is enough.
    edits.add(
        by=admin_user,
        fiscal_year=2021,
        scheme=consulter_type(VOLUNTEERS),
        name="ボランティアしたい",
    )
    assert category_for(VOLUNTEER_WISH, 2021).name == "ボランティアしたい"


def test_a_year_that_continues_nothing_yet_names_last_years_entry(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    edits.rename(by=admin_user, entry=category(2020, "寄付（寄贈）したい"), name="寄贈したい")
    edits.add(by=admin_user, fiscal_year=2021, scheme=consulter_type(VOLUNTEERS), name="相談")
    with pytest.raises(MissingCode) as error:
        category_for(DONATION_WISH, 2021)
    assert error.value.messages == [
        "令和3年度の「ボランティア希望（活動）者」の相談内容に、寄付・寄贈の申し出を数える分類が"
        "ありません。分類の画面でこの年度の一覧に、前年度の「寄贈したい」を引き継ぐ分類か、"
        "「寄付（寄贈）したい」という名称の分類を加えてください。"
    ]
    with pytest.raises(MissingCode, match="令和3年度の活動種別に、"):
        activity_kind_for(CONSULTATION_KIND, 2021)


def test_a_retired_entry_is_refused(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    edits.retire(by=admin_user, entry=category(2020, "ボランティアしたい"))
    with pytest.raises(MissingCode) as error:
        category_for(VOLUNTEER_WISH, 2020)
    assert error.value.messages == [
        "令和2年度の「ボランティア希望（活動）者」の相談内容の「ボランティアしたい」"
        "（ボランティアの登録を数える分類）は使用終了になっています。"
        "分類の画面で使用を再開してください。"
    ]


def test_a_consulter_type_without_its_code_is_named(fy2020) -> None:  # type: ignore[no-untyped-def]
    ConsulterType.objects.filter(code=VOLUNTEER_TYPE).update(code="")
    with pytest.raises(MissingCode) as error:
        category_for(VOLUNTEER_WISH, 2020)
    assert error.value.messages == [
        "相談者区分に、ボランティアセンターの登録と寄付・寄贈の申し出を数える相談者区分が"
        "ありません。分類の画面で「ボランティア希望（活動）者」という名称の相談者区分を"
        "作ってください。"
    ]


def test_renaming_the_consulter_type_keeps_its_code(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    volunteers = consulter_type(VOLUNTEERS)
    services.save_consulter_type(
        by=admin_user,
        consulter_type=volunteers,
        values={
            "name": "ボランティア",
            "report_title": volunteers.report_title,
            "order": volunteers.order,
            "report_style": volunteers.report_style,
            "active": True,
        },
        expected_version=volunteers.version,
    )
    assert consulter_type_for(VOLUNTEER_TYPE).name == "ボランティア"
    assert category_for(VOLUNTEER_WISH, 2020).consulter_type.name == "ボランティア"


def test_the_code_is_not_in_the_editor_and_saving_a_list_keeps_it(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    entries = current_entries(2020, consulter_type(VOLUNTEERS))
    assert "code" not in ConsulterTypeForm().fields
    save_year_list(
        by=admin_user,
        fiscal_year=2020,
        scheme=consulter_type(VOLUNTEERS),
        entries=list(reversed(entries)),
    )
    assert codes(2020)["ボランティアしたい"] == "volunteer-wish"


def test_the_outreach_kind_has_its_code(fy2020) -> None:  # type: ignore[no-untyped-def]
    assert ActivityKind.objects.get(fiscal_year=2020, code=OUTREACH_KIND).name == "出向き・参加"


def test_an_imported_next_year_carries_the_codes_through_its_lineage(fy2020) -> None:  # type: ignore[no-untyped-def]
    run_import(
        "categories",
        csv_bytes(
            ["年度", "相談者区分", "名称", "順", "前年度"],
            [
                ["令和3年度", VOLUNTEERS, "ボランティア活動の希望", 1, "ボランティアしたい"],
                ["令和3年度", VOLUNTEERS, "寄付（寄贈）したい", 2, "寄付（寄贈）したい"],
                ["令和3年度", "活動種別", "相談を受けた", 1, "相談対応"],
            ],
        ),
    )
    assert codes(2021) == {
        "ボランティア活動の希望": "volunteer-wish",
        "寄付（寄贈）したい": "donation-wish",
        "相談を受けた": "consultation",
    }


def test_the_type_editor_shows_the_code_read_only(fy2020, admin_client) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get(f"/categories/types/{consulter_type(VOLUNTEERS).pk}/").content.decode()
    assert "コード：volunteer（機能がこの区分を見つけるための固定の符号です。" in page
    assert 'name="code"' not in page
