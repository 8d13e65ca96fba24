from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular import read_table, write_xlsx
from tsunagu.plans.models import InitiativeStatus, Plan, PlanLayout, Status
from tsunagu.plans.services import GoalData, InitiativeData, set_initiative_status, snapshot
from tsunagu.plans.spreadsheet import (
    PLAN_COLUMNS,
    PROGRESS_COLUMNS,
    PlanImportError,
    export_plans,
    import_plans,
)

pytestmark = pytest.mark.django_db


def contents() -> list[tuple[dict[str, Any], list[tuple[str, int, str, str]]]]:
    """Every plan as the audit log sees it, with its statuses."""
    result = []
    for plan in Plan.objects.with_contents().order_by("region__name", "start_year"):
        statuses = sorted(
            (s.initiative.theme, s.fiscal_year, s.status, s.note)
            for s in InitiativeStatus.objects.filter(initiative__plan=plan).select_related(
                "initiative"
            )
        )
        result.append((snapshot(plan), statuses))
    return result


@pytest.fixture
def two_plans(city, targets, make_plan, admin_user) -> list[Plan]:
    kyonan = make_plan(
        city["kyonan"],
        slogans=["笑顔あふれる境南町!"],
        goals=[
            GoalData("集える場と支え合いの仕組み", [targets["高齢者"], targets["マンション住民"]]),
            GoalData("活動の見える化"),
        ],
        initiatives=[
            InitiativeData("防災・減災を軸にした支え合い", ["合同防災訓練", "防災講座"]),
            InitiativeData("カラー広報紙での広報", []),
        ],
        layout=PlanLayout.NUMBERED,
        initiatives_heading="今後の取り組み",
    )
    yon = make_plan(
        city["honcho"],
        start_year=2020,
        end_year=2024,
        slogans=["世代を越えてつながろう", "人と出会うまち"],
        goals=[GoalData("地域のネットワークをつくる", [targets["子ども・子育て世帯"]])],
        initiatives=[InitiativeData("隣近所とのつながり", ["あいさつ運動"])],
    )
    first = kyonan.initiatives.first()
    set_initiative_status(
        by=admin_user, initiative=first, fiscal_year=2019, status=Status.IN_PROGRESS, note="訓練1回"
    )
    set_initiative_status(by=admin_user, initiative=first, fiscal_year=2020, status=Status.REVISED)
    return [kyonan, yon]


def test_export_then_import_gives_back_the_same_plans(admin_user, two_plans):
    before = contents()
    data = export_plans(Plan.objects.with_contents())
    rows = [
        r for r in read_table(data, "plans.xlsx", "計画") if r.text("地域社協") == "境南地域社協"
    ]
    assert [r.text("種類") for r in rows[:4]] == ["スローガン", "重点目標", "重点目標", "取り組み"]
    assert rows[1].text("対象") == "高齢者、マンション住民"
    assert rows[3].text("具体的な取り組み") == "合同防災訓練\n防災講座"
    progress = list(read_table(data, "plans.xlsx", "進捗"))
    assert [r.text("年度") for r in progress] == ["令和元年度", "令和2年度"]

    Plan.objects.all().delete()
    result = import_plans(by=admin_user, data=data, filename="plans.xlsx")
    assert (result.created, result.updated) == (2, 0)
    assert contents() == before
    assert AuditEntry.objects.filter(action="plans.import.done", actor=admin_user).exists()

    # The same file again replaces each plan by itself: nothing changes, history stays.
    again = import_plans(by=admin_user, data=data, filename="plans.xlsx")
    assert (again.created, again.updated, again.statuses) == (0, 2, 0)
    assert contents() == before


def test_an_import_keeps_the_history_of_unchanged_themes(admin_user, city, two_plans):
    kyonan = two_plans[0]
    theme = kyonan.initiatives.first().theme
    rows = [
        ["境南地域社協", 2019, 2023, "スローガン", "新しいスローガン", None, None, None, None],
        [
            "境南地域社協",
            "令和元年度",
            "令和5年度",
            "取り組み",
            theme,
            None,
            "新しい活動",
            None,
            None,
        ],
    ]
    data = write_xlsx([("計画", PLAN_COLUMNS, rows)])
    result = import_plans(by=admin_user, data=data, filename="new.xlsx")
    assert (result.created, result.updated) == (0, 1)
    kyonan.refresh_from_db()
    assert [s.text for s in kyonan.slogans.all()] == ["新しいスローガン"]
    # No progress sheet: the statuses of the kept initiative stay.
    assert InitiativeStatus.objects.filter(initiative__plan=kyonan).count() == 2


def bad(admin_user, plan_rows, progress_rows=None) -> list[str]:  # type: ignore[no-untyped-def]
    sheets: list[Any] = [("計画", PLAN_COLUMNS, plan_rows)]
    if progress_rows is not None:
        sheets.append(("進捗", PROGRESS_COLUMNS, progress_rows))
    before = contents()
    with pytest.raises(PlanImportError) as error:
        import_plans(by=admin_user, data=write_xlsx(sheets), filename="bad.xlsx")
    assert contents() == before, "nothing half-saved"
    return [str(e) for e in error.value.errors]


GOOD = ["本町地域社協", 2025, 2029, "スローガン", "みんなが八幡の住民", None, None, None, None]


def test_row_errors_refuse_the_whole_file(admin_user, two_plans, city):
    errors = bad(
        admin_user,
        [
            ["本町地域社協", 2020, 2024, "スローガン", "よい行", None, None, None, None],
            ["どこか地域社協", 2019, 2023, "スローガン", "x", None, None, None, None],
            ["境南地域社協", 2019, 2023, "目標", "x", None, None, None, None],
            ["境南地域社協", 2019, 2023, "重点目標", "x", "宇宙人", None, None, None],
            ["境南地域社協", "来年", 2023, "スローガン", "x", None, None, None, None],
            ["境南地域社協", 2019, 2023, "取り組み", None, None, None, None, None],
            ["境南地域社協", 2019, 2023, "スローガン", "x", "高齢者", None, None, None],
        ],
    )
    assert (
        "シート「計画」3行目「地域社協」：地域社協「どこか地域社協」はマスタにありません。マスタの名前と同じに書いてください。"
        in errors
    )
    assert any(
        e.startswith("シート「計画」4行目「種類」：種類「目標」は使えません。") for e in errors
    )
    assert any("対象「宇宙人」は対象の一覧にありません" in e for e in errors)
    assert any("6行目「開始年度」：「来年」は年度として読み取れません" in e for e in errors)
    assert any("7行目「内容」：取り組みの内容が空です" in e for e in errors)
    assert any("8行目「対象」：対象は種類が「重点目標」の行にだけ書けます" in e for e in errors)


def test_an_overlapping_plan_in_the_file_is_refused(admin_user, two_plans):
    errors = bad(
        admin_user,
        [["境南地域社協", 2021, 2025, "スローガン", "重なる計画", None, None, None, None], GOOD],
    )
    assert errors == [
        "シート「計画」2行目：境南地域社協（令和3年度〜令和7年度）：境南地域社協には計画期間が重なる計画"
        "（令和元年度〜令和5年度）がすでにあります。期間を見直すか、その計画を編集してください。"
    ]
    assert not Plan.objects.filter(start_year=2025).exists()


def test_progress_outside_the_period_or_of_unknown_themes_is_refused(admin_user, two_plans):
    plan_rows = [
        ["本町地域社協", 2020, 2024, "スローガン", "世代を越えて", None, None, None, None],
        ["本町地域社協", 2020, 2024, "取り組み", "隣近所とのつながり", None, None, None, None],
    ]
    errors = bad(
        admin_user,
        plan_rows,
        [
            ["本町地域社協", 2020, 2024, "隣近所とのつながり", "令和7年度", "実施中", None],
            ["本町地域社協", 2020, 2024, "ないテーマ", 2021, "実施中", None],
            ["本町地域社協", 2020, 2024, "隣近所とのつながり", 2021, "がんばった", None],
            ["境南地域社協", 2019, 2023, "防災・減災を軸にした支え合い", 2020, "達成", None],
        ],
    )
    assert errors == [
        "シート「進捗」2行目「年度」：令和7年度は、この計画の期間（本町地域社協（令和2年度〜令和6年度））の外です。",
        "シート「進捗」3行目「取り組みのテーマ」：テーマ「ないテーマ」の取り組みが、「計画」シートの本町地域社協（令和2年度〜令和6年度）にありません。",
        "シート「進捗」4行目「状況」：状況「がんばった」は使えません。「未着手」、「実施中」、「達成」、「見直し」のどれかです。",
        "シート「進捗」5行目：境南地域社協（令和元年度〜令和5年度）の計画が「計画」シートにありません。",
    ]


def test_a_file_that_is_not_a_plan_workbook_is_refused(admin_user, db):
    with pytest.raises(PlanImportError) as error:
        import_plans(by=admin_user, data=b"a,b\n1,2\n", filename="plans.csv")
    assert "Excel ファイル（.xlsx）で取り込んでください" in str(error.value)
    other = write_xlsx([("Sheet1", ["a"], [["b"]])])
    with pytest.raises(PlanImportError) as error:
        import_plans(by=admin_user, data=other, filename="plans.xlsx")
    assert "シート「計画」がありません" in str(error.value)
    missing_column = write_xlsx([("計画", ["地域社協", "開始年度"], [["境南地域社協", 2019]])])
    with pytest.raises(PlanImportError) as error:
        import_plans(by=admin_user, data=missing_column, filename="plans.xlsx")
    assert "必要な見出しがありません" in str(error.value)


def test_the_import_screen_shows_every_problem(staff_client, two_plans, city):
    data = write_xlsx(
        [
            (
                "計画",
                PLAN_COLUMNS,
                [["どこか地域社協", 2019, 2023, "スローガン", "x", None, None, None, None]],
            )
        ]
    )
    response = staff_client.post("/plans/import/", {"file": SimpleUploadedFile("plans.xlsx", data)})
    text = response.content.decode()
    assert "取り込みませんでした（1件の問題）" in text
    assert "地域社協「どこか地域社協」はマスタにありません" in text

    good = export_plans(Plan.objects.with_contents())
    response = staff_client.post(
        "/plans/import/", {"file": SimpleUploadedFile("plans.xlsx", good)}, follow=True
    )
    assert "計画を0件追加し、2件更新しました。" in response.content.decode(), (
        response.content.decode()[-3000:]
    )
