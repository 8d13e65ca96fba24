from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.plans.conftest import plan_data
from tsunagu.audit.models import AuditEntry
from tsunagu.core.concurrency import Conflict
from tsunagu.plans.models import (
    Goal,
    Initiative,
    InitiativeRecord,
    InitiativeStatus,
    Plan,
    PlanLayout,
    PlanYear,
    Slogan,
    Status,
)
from tsunagu.plans.services import (
    EditConflict,
    GoalData,
    InitiativeData,
    StatusEntry,
    add_default_targets,
    create_plan,
    delete_plan,
    save_target,
    save_year_statuses,
    set_initiative_status,
    set_record_initiatives,
    update_plan,
)
from tsunagu.records.models import SupportRecord

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def test_a_plan_keeps_its_slogans_goals_and_initiatives_in_order(admin_user, city, targets):
    plan = create_plan(
        by=admin_user,
        data=plan_data(
            city["kyonan"],
            slogans=["世代を越えてつながろう", "人と出会うまち"],
            goals=[
                GoalData(
                    "地域のネットワークをつくる", [targets["高齢者"], targets["マンション住民"]]
                )
            ],
            initiatives=[
                InitiativeData("隣近所とのつながり", ["あいさつ運動", "丁目ごとの交流会"]),
                InitiativeData("居場所づくり（ロビーカフェ）", []),
            ],
            layout=PlanLayout.TABLE,
            initiatives_heading="テーマと取り組み",
        ),
    )
    assert [s.text for s in plan.slogans.all()] == ["世代を越えてつながろう", "人と出会うまち"]
    goal = plan.goals.get()
    assert {t.name for t in goal.targets.all()} == {"高齢者", "マンション住民"}
    assert [(i.theme, i.action_list) for i in plan.initiatives.all()] == [
        ("隣近所とのつながり", ["あいさつ運動", "丁目ごとの交流会"]),
        ("居場所づくり（ロビーカフェ）", []),
    ]
    assert plan.period_label == "令和元年度〜令和5年度"
    entry = AuditEntry.objects.get(action="plans.plan.created")
    assert entry.actor == admin_user
    assert entry.changes["slogans"] == ["世代を越えてつながろう", "人と出会うまち"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"slogans": []}, "スローガンを一つ以上入力してください"),
        ({"slogans": ["  "]}, "1番目のスローガンが空です"),
        ({"goals": [GoalData(" ")]}, "1番目の重点目標が空です"),
        (
            {"initiatives": [InitiativeData("防災", []), InitiativeData("", ["何か"])]},
            "2番目の取り組みのテーマが空です",
        ),
        (
            {"initiatives": [InitiativeData("防災活動", []), InitiativeData("防災 活動", [])]},
            "1番目と2番目の取り組みのテーマ「防災 活動」が同じです",
        ),
        (
            {"start_year": 2023, "end_year": 2019},
            "終了年度（令和元年度）が開始年度（令和5年度）より前です",
        ),
        ({"start_year": 2019, "end_year": 2093}, "10年以内にしてください"),
        ({"initiatives_heading": " "}, "取り組みの見出しを入力してください"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_saved(admin_user, city, overrides, expected):
    with pytest.raises(ValidationError) as error:
        create_plan(by=admin_user, data=plan_data(city["kyonan"], **overrides))
    assert expected in messages_of(error)
    assert not Plan.objects.exists()
    assert not Slogan.objects.exists() and not Initiative.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="plans.").exists()


def test_overlapping_periods_of_one_region_are_refused(admin_user, city, make_plan):
    make_plan(city["kyonan"], start_year=2019, end_year=2023)
    with pytest.raises(ValidationError) as error:
        make_plan(city["kyonan"], start_year=2023, end_year=2027)
    assert "計画期間が重なる計画（令和元年度〜令和5年度）がすでにあります" in messages_of(error)
    # Next to it, or in another region, is fine.
    make_plan(city["kyonan"], start_year=2024, end_year=2028)
    make_plan(city["honcho"], start_year=2020, end_year=2024)
    assert Plan.objects.count() == 3


def test_an_update_keeps_the_history_of_kept_initiatives(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    disaster, parenting = plan.initiatives.all()
    set_initiative_status(
        by=admin_user, initiative=disaster, fiscal_year=2019, status=Status.IN_PROGRESS
    )
    set_initiative_status(
        by=admin_user, initiative=parenting, fiscal_year=2019, status=Status.ACHIEVED
    )
    data = plan_data(
        city["kyonan"],
        initiatives=[
            InitiativeData("防災・減災を軸にした支え合い", ["合同防災訓練"], pk=disaster.pk),
            InitiativeData("カラー広報紙での広報", []),
        ],
    )
    updated = update_plan(by=admin_user, plan=plan, data=data, expected_version=plan.version)
    assert updated.version == 2
    themes = [i.theme for i in updated.initiatives.all()]
    assert themes == ["防災・減災を軸にした支え合い", "カラー広報紙での広報"]
    assert InitiativeStatus.objects.get().initiative_id == disaster.pk
    entry = AuditEntry.objects.get(action="plans.plan.updated")
    assert entry.changes["removed_initiatives"] == ["親子ひろばでの子育て支援"]


def test_a_stale_edit_is_refused(admin_user, staff_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    update_plan(
        by=staff_user, plan=plan, data=plan_data(city["kyonan"], slogans=["新"]), expected_version=1
    )
    with pytest.raises(EditConflict) as error:
        update_plan(
            by=admin_user,
            plan=plan,
            data=plan_data(city["kyonan"], slogans=["古"]),
            expected_version=1,
        )
    assert "職員 二郎さんが保存しました" in messages_of(error)
    assert [s.text for s in Plan.objects.get().slogans.all()] == ["新"]


def test_the_period_cannot_drop_a_year_with_progress(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    initiative = plan.initiatives.first()
    set_initiative_status(
        by=admin_user, initiative=initiative, fiscal_year=2023, status=Status.REVISED
    )
    data = plan_data(
        city["kyonan"],
        end_year=2022,
        initiatives=[
            InitiativeData(i.theme, i.action_list, pk=i.pk) for i in plan.initiatives.all()
        ],
    )
    with pytest.raises(ValidationError) as error:
        update_plan(by=admin_user, plan=plan, data=data, expected_version=plan.version)
    assert "令和5年度の進捗が記録されているため" in messages_of(error)
    plan.refresh_from_db()
    assert plan.end_year == 2023


def test_a_plan_stays_with_its_region(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    with pytest.raises(ValidationError) as error:
        update_plan(by=admin_user, plan=plan, data=plan_data(city["honcho"]), expected_version=1)
    assert "地域社協は変えられません" in messages_of(error)


def test_statuses_only_for_years_of_the_period(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    initiative = plan.initiatives.first()
    with pytest.raises(ValidationError) as error:
        set_initiative_status(
            by=admin_user, initiative=initiative, fiscal_year=2024, status=Status.IN_PROGRESS
        )
    assert messages_of(error) == (
        "令和6年度は、この計画の期間（令和元年度〜令和5年度）の外です。計画期間の中の年度を選んでください。"
    )
    assert not InitiativeStatus.objects.exists()


def year_version(plan, fiscal_year):  # type: ignore[no-untyped-def]
    """The version the year's progress form would carry now."""
    return PlanYear.objects.get(plan=plan, fiscal_year=fiscal_year).version


def test_a_second_save_of_a_years_progress_from_an_old_form_is_refused(admin_user, city, make_plan):  # type: ignore[no-untyped-def]
    plan = make_plan(city["kyonan"])
    first, _ = plan.initiatives.all()
    save_year_statuses(
        by=admin_user, plan=plan, fiscal_year=2020, entries=[StatusEntry(first, Status.ACHIEVED)]
    )
    opened = year_version(plan, 2020)
    save_year_statuses(
        by=admin_user,
        plan=plan,
        fiscal_year=2020,
        entries=[StatusEntry(first, Status.REVISED, "先に保存")],
        expected_version=opened,
    )
    with pytest.raises(Conflict):
        save_year_statuses(
            by=admin_user,
            plan=plan,
            fiscal_year=2020,
            entries=[StatusEntry(first, Status.ACHIEVED, "あとから")],
            expected_version=opened,
        )
    # Opened before the year had any progress, and someone saved meanwhile: refused too.
    with pytest.raises(Conflict):
        save_year_statuses(
            by=admin_user, plan=plan, fiscal_year=2020, entries=[StatusEntry(first, "")]
        )
    assert InitiativeStatus.objects.get().note == "先に保存"


def test_year_statuses_are_saved_all_or_nothing(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    first, second = plan.initiatives.all()
    with pytest.raises(ValidationError) as error:
        save_year_statuses(
            by=admin_user,
            plan=plan,
            fiscal_year=2020,
            entries=[
                StatusEntry(first, Status.ACHIEVED, "できた"),
                StatusEntry(second, "", "メモだけ"),
            ],
        )
    assert "進捗メモがあるので、状況も選んでください" in messages_of(error)
    assert not InitiativeStatus.objects.exists()

    changed = save_year_statuses(
        by=admin_user,
        plan=plan,
        fiscal_year=2020,
        entries=[
            StatusEntry(first, Status.ACHIEVED, "できた"),
            StatusEntry(second, Status.REVISED),
        ],
    )
    assert changed == 2
    entry = AuditEntry.objects.get(action="plans.status.saved")
    assert entry.changes["fiscal_year"] == "令和2年度"
    assert entry.changes[first.theme] == [["", ""], ["達成", "できた"]]
    # Saving the same again changes nothing; clearing removes the row.
    assert (
        save_year_statuses(
            by=admin_user,
            plan=plan,
            fiscal_year=2020,
            entries=[StatusEntry(first, Status.ACHIEVED, "できた")],
            expected_version=year_version(plan, 2020),
        )
        == 0
    )
    save_year_statuses(
        by=admin_user,
        plan=plan,
        fiscal_year=2020,
        entries=[StatusEntry(second, "")],
        expected_version=year_version(plan, 2020),
    )
    assert list(InitiativeStatus.objects.values_list("initiative_id", flat=True)) == [first.pk]


def test_an_initiative_of_another_plan_is_refused(admin_user, city, make_plan):
    plan = make_plan(city["kyonan"])
    other = make_plan(city["honcho"]).initiatives.first()
    with pytest.raises(ValidationError) as error:
        save_year_statuses(
            by=admin_user,
            plan=plan,
            fiscal_year=2020,
            entries=[StatusEntry(other, Status.ACHIEVED)],
        )
    assert "この計画のものではありません" in messages_of(error)


def test_records_link_to_initiatives_of_their_region_and_year(
    admin_user, city, make_plan, make_record
):
    plan = make_plan(city["honcho"])
    first, second = plan.initiatives.all()
    at_group = make_record(
        date(2020, 6, 1), target_group=city["hidamari"], region=city["honcho"], zone=city["east"]
    )
    added, removed = set_record_initiatives(
        by=admin_user, record=at_group, initiatives=[first, second]
    )
    assert (added, removed) == (2, 0)
    assert set_record_initiatives(by=admin_user, record=at_group, initiatives=[second]) == (0, 1)
    assert list(InitiativeRecord.objects.values_list("initiative_id", flat=True)) == [second.pk]
    assert AuditEntry.objects.filter(action="plans.record.linked", actor=admin_user).count() == 2

    elsewhere = make_record(date(2020, 6, 1), target_region=city["kyonan"], region=city["kyonan"])
    with pytest.raises(ValidationError) as error:
        set_record_initiatives(by=admin_user, record=elsewhere, initiatives=[first])
    assert "この記録の地域社協の令和2年度の計画のものではない" in messages_of(error)

    elsewhere.deleted_at = timezone.now()
    elsewhere.save(update_fields=["deleted_at"])
    with pytest.raises(ValidationError) as error:
        set_record_initiatives(by=admin_user, record=elsewhere, initiatives=[])
    assert "削除された記録" in messages_of(error)


def test_a_record_outside_the_period_cannot_serve_the_plan(
    admin_user, city, make_plan, make_record
):
    plan = make_plan(city["honcho"], start_year=2020, end_year=2024)
    record = make_record(date(2019, 10, 1), region=city["honcho"])
    with pytest.raises(ValidationError):
        set_record_initiatives(by=admin_user, record=record, initiatives=[plan.initiatives.first()])
    assert not InitiativeRecord.objects.exists()


def test_deleting_a_plan_removes_its_statuses_and_links_but_not_records(
    admin_user, city, make_plan, make_record
):
    plan = make_plan(city["honcho"])
    initiative = plan.initiatives.first()
    set_initiative_status(
        by=admin_user, initiative=initiative, fiscal_year=2020, status=Status.ACHIEVED
    )
    record = make_record(date(2020, 6, 1), region=city["honcho"])
    set_record_initiatives(by=admin_user, record=record, initiatives=[initiative])
    delete_plan(by=admin_user, plan=plan)
    assert not Plan.objects.exists() and not InitiativeStatus.objects.exists()
    assert not InitiativeRecord.objects.exists() and not Goal.objects.exists()
    assert SupportRecord.objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.filter(action="plans.plan.deleted").count() == 1


def test_target_groups_are_data(admin_user, db):
    assert add_default_targets(by=admin_user) == 9
    assert add_default_targets(by=admin_user) == 0
    with pytest.raises(ValidationError) as error:
        save_target(by=admin_user, target=None, name=" 高齢者 ", order=1)
    assert "すでにあります" in messages_of(error)
    target = save_target(by=admin_user, target=None, name="ひとり親家庭", order=10)
    assert AuditEntry.objects.filter(
        action="plans.target.created", target_id=str(target.pk)
    ).exists()
