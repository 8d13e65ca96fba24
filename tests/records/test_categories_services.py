"""Services of the yearly lists, called directly."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from tests.records.category_data import category, consultation, consulter_type, kind, make_year
from tsunagu.audit.models import AuditEntry
from tsunagu.records.categories import edits
from tsunagu.records.categories.edits import current_entries
from tsunagu.records.categories.queries import list_digest, year_list
from tsunagu.records.categories.schemes import ACTIVITY_KINDS, Scheme
from tsunagu.records.categories.services import (
    EntrySpec,
    YearListError,
    save_year_list,
    start_year,
)
from tsunagu.records.lineage import Shape, TermSpec, shapes
from tsunagu.records.models import ActivityKind, Category, SupportRecord

NEEDS = "ニーズを抱えている個人"


@pytest.fixture
def fy2020(db: None) -> None:
    make_year(2020)


@pytest.fixture
def fy2021(fy2020: None, admin_user) -> None:  # type: ignore[no-untyped-def]
    start_year(by=admin_user, fiscal_year=2021)


def names(fiscal_year: int, scheme: Scheme) -> list[str]:
    return [t.name for t in year_list(fiscal_year, scheme)]


def lineage(fiscal_year: int, scheme: Scheme) -> dict[str, Shape]:
    return shapes([TermSpec(e.name, e.predecessors) for e in current_entries(fiscal_year, scheme)])


def test_starting_a_year_copies_every_list_each_continuing_its_source(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    Category.objects.filter(name="その他").update(retired=True)
    copied = start_year(by=admin_user, fiscal_year=2021)
    assert copied == 3 + 2 + 2  # kinds, needs without the retired one, volunteers
    assert names(2021, ACTIVITY_KINDS) == ["出向き・参加", "話し合いへの参加", "相談対応"]
    assert names(2021, consulter_type(NEEDS)) == ["福祉サービス・相談機関への紹介", "近況報告など"]
    copy = category(2021, "近況報告など")
    assert list(copy.predecessors.all()) == [category(2020, "近況報告など")]
    assert set(lineage(2021, ACTIVITY_KINDS).values()) == {Shape.CONTINUED}
    entry = AuditEntry.objects.get(action="categories.year.started")
    assert entry.target_label == "令和3年度"
    assert entry.changes["写した相談内容の分類"] == 4


def test_a_year_is_started_once(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="令和3年度の一覧はすでにあります。"):
        start_year(by=admin_user, fiscal_year=2021)


def test_a_year_without_a_previous_one_cannot_be_copied(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="前年度（令和3年度）の一覧がないため、写せません。"):
        start_year(by=admin_user, fiscal_year=2022)
    assert not ActivityKind.objects.filter(fiscal_year=2022).exists()


def test_a_rename_keeps_the_entry_its_records_point_to(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    entry = category(2021, "近況報告など")
    record = consultation(entry)
    edits.rename(by=admin_user, entry=entry, name="近況報告")
    entry.refresh_from_db()
    assert entry.name == "近況報告"
    assert list(record.categories.all()) == [entry]
    assert lineage(2021, consulter_type(NEEDS))["近況報告"] is Shape.RENAMED
    log = AuditEntry.objects.get(action="categories.list.saved")
    assert log.changes["名称変更"] == "「近況報告など」→「近況報告」"
    assert log.target_label == "令和3年度 ニーズを抱えている個人の相談内容の分類"


def test_two_entries_can_swap_names(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    entries = current_entries(2021, needs)
    entries[0], entries[1] = (
        replace(entries[0], name=entries[1].name),
        replace(entries[1], name=entries[0].name),
    )
    save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert names(2021, needs) == ["近況報告など", "福祉サービス・相談機関への紹介", "その他"]


def test_an_unused_entry_split_is_replaced_by_the_new_ones(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    edits.split(
        by=admin_user, entry=category(2021, "近況報告など"), into=["近況報告", "居場所に参加したい"]
    )
    assert names(2021, needs) == [
        "福祉サービス・相談機関への紹介",
        "近況報告",
        "居場所に参加したい",
        "その他",
    ]
    shape = lineage(2021, needs)
    assert shape["近況報告"] is shape["居場所に参加したい"] is Shape.SPLIT
    source = category(2020, "近況報告など")
    assert {s.name for s in source.successors.all()} == {"近況報告", "居場所に参加したい"}
    assert AuditEntry.objects.filter(action="categories.entry.split").count() == 1


def test_a_used_entry_split_stays_retired_with_its_records(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    entry = category(2021, "近況報告など")
    record = consultation(entry)
    edits.split(by=admin_user, entry=entry, into=["近況報告", "居場所に参加したい"])
    entry.refresh_from_db()
    assert entry.retired
    assert list(record.categories.all()) == [entry]
    # Its records are still compared with last year's, together with the new entries.
    shape = lineage(2021, consulter_type(NEEDS))
    assert shape["近況報告など"] is shape["近況報告"] is Shape.SPLIT


def test_a_split_keeping_the_old_name_keeps_the_entry(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    entry = category(2021, "近況報告など")
    edits.split(by=admin_user, entry=entry, into=["近況報告など", "居場所に参加したい"])
    entry.refresh_from_db()
    assert not entry.retired
    assert names(2021, consulter_type(NEEDS))[1:3] == ["近況報告など", "居場所に参加したい"]


def test_a_split_needs_two_different_names(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="違う名称で二つ以上"):
        edits.split(by=admin_user, entry=category(2021, "その他"), into=["その他", "ｿﾉ他"])


def test_merged_entries_become_one_continuing_both(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    first, second = category(2021, "福祉サービス・相談機関への紹介"), category(2021, "近況報告など")
    edits.merge(by=admin_user, entries=[first, second], into_name="紹介・近況")
    assert names(2021, needs) == ["紹介・近況", "その他"]
    merged = category(2021, "紹介・近況")
    assert {p.name for p in merged.predecessors.all()} == {
        "福祉サービス・相談機関への紹介",
        "近況報告など",
    }
    assert lineage(2021, needs)["紹介・近況"] is Shape.MERGED
    assert not Category.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_a_merge_into_an_existing_name_keeps_that_entry_and_its_records(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    keeper, other = category(2021, "近況報告など"), category(2021, "その他")
    record = consultation(keeper)
    edits.merge(by=admin_user, entries=[other, keeper], into_name="近況報告など")
    keeper.refresh_from_db()
    assert list(record.categories.all()) == [keeper]
    assert {p.name for p in keeper.predecessors.all()} == {"近況報告など", "その他"}
    assert not Category.objects.filter(pk=other.pk).exists()


def test_merge_refuses_entries_of_different_lists(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="同じ年度の同じ一覧"):
        edits.merge(
            by=admin_user,
            entries=[category(2021, "その他"), category(2020, "近況報告など")],
            into_name="まとめ",
        )


def test_retired_entries_stay_with_their_records(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    entry = kind(2021, "話し合いへの参加")
    edits.retire(by=admin_user, entry=entry)
    entry.refresh_from_db()
    assert entry.retired
    assert "話し合いへの参加" not in [k.name for k in ActivityKind.objects.in_year(2021).active()]
    assert AuditEntry.objects.get(action="categories.list.saved").changes["使用終了"] == (
        "話し合いへの参加"
    )


def test_removing_an_entry_with_records_is_refused_and_nothing_saved(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    consultation(category(2021, "その他"))
    entries = current_entries(2021, needs)
    entries = [replace(entries[0], name="紹介"), entries[1]]  # その他 left out
    with pytest.raises(YearListError) as caught:
        save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert caught.value.general == [
        "「その他」は1件の記録で使われているため削除できません。削除せずに「使用終了」にしてください。"
    ]
    assert names(2021, needs) == ["福祉サービス・相談機関への紹介", "近況報告など", "その他"]
    assert not AuditEntry.objects.filter(action="categories.list.saved").exists()


def test_removing_an_unused_entry_deletes_it(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    entries = current_entries(2021, needs)[:2]
    save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert names(2021, needs) == ["福祉サービス・相談機関への紹介", "近況報告など"]
    assert AuditEntry.objects.get(action="categories.list.saved").changes["削除"] == "その他"


def test_an_entry_continued_next_year_cannot_be_removed(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    entries = current_entries(2020, needs)[:2]
    with pytest.raises(YearListError, match="令和3年度の「その他」に引き継がれているため"):
        save_year_list(by=admin_user, fiscal_year=2020, scheme=needs, entries=entries)


def test_lineage_to_a_name_last_year_did_not_have_is_refused(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    entries = [*current_entries(2021, needs), EntrySpec("食料支援", predecessors=("食料支援",))]
    with pytest.raises(YearListError) as caught:
        save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert caught.value.for_entry(3) == [
        "「食料支援」の前年度「食料支援」は前年度の一覧にありません。"
        "前年度の名称をそのまま書くか、新しい分類なら空欄にしてください。"
    ]
    assert not Category.objects.filter(name="食料支援").exists()


def test_names_equal_after_normalisation_are_refused(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(YearListError, match="「ｿﾉ他」が二度あります"):
        edits.add(by=admin_user, fiscal_year=2021, scheme=consulter_type(NEEDS), name="ｿﾉ他")


def test_predecessors_may_only_come_from_the_same_list(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        YearListError, match="前年度「ボランティアしたい」は前年度の一覧にありません"
    ):
        edits.add(
            by=admin_user,
            fiscal_year=2021,
            scheme=consulter_type(NEEDS),
            name="ボランティアをしたい個人",
            predecessors=["ボランティアしたい"],
        )


def test_a_list_changed_meanwhile_is_refused(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    digest = list_digest(year_list(2021, needs))
    edits.rename(by=admin_user, entry=category(2021, "その他"), name="そのほか")
    with pytest.raises(YearListError, match="ほかの人がこの一覧を変更しました"):
        save_year_list(
            by=admin_user,
            fiscal_year=2021,
            scheme=needs,
            entries=current_entries(2021, needs),
            expected_digest=digest,
        )


def test_a_total_only_consulter_type_has_no_list(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="合計だけを数えるため"):
        edits.add(
            by=admin_user,
            fiscal_year=2021,
            scheme=consulter_type("市民社協の事業"),
            name="講座について",
        )


def test_orders_are_renumbered_and_ties_keep_the_row_order(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    entries = current_entries(2021, ACTIVITY_KINDS)
    entries = [
        replace(entries[0], order=2),
        replace(entries[1], order=1),
        EntrySpec("働きかけ", order=2),
        replace(entries[2], order=None),
    ]
    save_year_list(by=admin_user, fiscal_year=2021, scheme=ACTIVITY_KINDS, entries=entries)
    kinds = year_list(2021, ACTIVITY_KINDS)
    assert [(k.order, k.name) for k in kinds] == [
        (1, "話し合いへの参加"),
        (2, "出向き・参加"),
        (3, "働きかけ"),
        (4, "相談対応"),
    ]
    changes = AuditEntry.objects.get(action="categories.list.saved").changes
    assert changes["並び順"] == "変更しました" and changes["追加"] == "働きかけ"


def test_saving_an_unchanged_list_logs_nothing(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    result = save_year_list(
        by=admin_user,
        fiscal_year=2021,
        scheme=ACTIVITY_KINDS,
        entries=current_entries(2021, ACTIVITY_KINDS),
    )
    assert result.changes == {}
    assert not AuditEntry.objects.filter(action="categories.list.saved").exists()


def test_changing_next_years_list_never_touches_this_years_records(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    records = {name: consultation(category(2020, name)) for name in names(2020, needs)}
    before_2020 = [(t.pk, t.name, t.retired) for t in year_list(2020, needs)]

    edits.rename(by=admin_user, entry=category(2021, "その他"), name="そのほか")
    edits.split(by=admin_user, entry=category(2021, "近況報告など"), into=["近況報告", "居場所"])
    edits.retire(by=admin_user, entry=category(2021, "福祉サービス・相談機関への紹介"))
    save_year_list(
        by=admin_user,
        fiscal_year=2021,
        scheme=needs,
        entries=[e for e in current_entries(2021, needs) if e.name != "居場所"],
    )

    assert [(t.pk, t.name, t.retired) for t in year_list(2020, needs)] == before_2020
    for name, record in records.items():
        assert [c.name for c in record.categories.all()] == [name]
        assert SupportRecord.objects.get(pk=record.pk).fiscal_year == 2020


# --- The catch-all (その他扱い) ------------------------------------------------------------


def mark_catch_all(fiscal_year: int, name: str) -> None:
    Category.objects.filter(fiscal_year=fiscal_year, name=name).update(catch_all=True)


def catch_alls(fiscal_year: int) -> list[str]:
    return list(
        Category.objects.filter(fiscal_year=fiscal_year, catch_all=True).values_list(
            "name", flat=True
        )
    )


def test_starting_a_year_carries_the_catch_all(fy2020, admin_user) -> None:  # type: ignore[no-untyped-def]
    mark_catch_all(2020, "その他")
    start_year(by=admin_user, fiscal_year=2021)
    assert catch_alls(2021) == ["その他"]


def test_one_catch_all_per_list_in_the_database(fy2020) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    mark_catch_all(2020, "その他")
    # Another list of the same year may have its own.
    mark_catch_all(2020, "寄付（寄贈）したい")
    with pytest.raises(IntegrityError), transaction.atomic():
        mark_catch_all(2020, "近況報告など")


def test_the_catch_all_moves_to_another_entry_in_one_save(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    mark_catch_all(2021, "その他")
    entries = current_entries(2021, needs)
    # Marking the first row before the mark is taken off the last must not collide.
    entries[0] = replace(entries[0], catch_all=True)
    entries[2] = replace(entries[2], catch_all=False)
    result = save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert catch_alls(2021) == ["福祉サービス・相談機関への紹介"]
    assert result.changes["その他扱い"] == "福祉サービス・相談機関への紹介"
    assert result.changes["その他扱いの解除"] == "その他"


def test_a_second_catch_all_in_a_list_is_refused_naming_the_row(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    mark_catch_all(2021, "その他")
    entries = current_entries(2021, needs)
    entries[1] = replace(entries[1], catch_all=True)
    with pytest.raises(YearListError) as refused:
        save_year_list(by=admin_user, fiscal_year=2021, scheme=needs, entries=entries)
    assert refused.value.for_entry(2) == [
        "「その他」と「近況報告など」の両方が「その他扱い」になっています。"
        "その他扱いにできるのは、一つの一覧に一つだけです。"
    ]
    assert catch_alls(2021) == ["その他"]


def test_a_new_entry_named_sonota_is_the_catch_all_unless_another_is(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    volunteers = consulter_type("ボランティア希望（活動）者")
    edits.add(by=admin_user, fiscal_year=2021, scheme=volunteers, name="その他")
    assert Category.objects.get(
        fiscal_year=2021, consulter_type=volunteers, name="その他"
    ).catch_all
    needs = consulter_type(NEEDS)
    Category.objects.filter(fiscal_year=2021, consulter_type=needs, name="その他").delete()
    mark_catch_all(2021, "近況報告など")
    edits.add(by=admin_user, fiscal_year=2021, scheme=needs, name="その他")
    marked = Category.objects.filter(fiscal_year=2021, consulter_type=needs, catch_all=True)
    assert [c.name for c in marked] == ["近況報告など"]


def test_splitting_into_sonota_and_merging_the_catch_all(fy2021, admin_user) -> None:  # type: ignore[no-untyped-def]
    needs = consulter_type(NEEDS)
    Category.objects.filter(fiscal_year=2021, consulter_type=needs, name="その他").delete()
    edits.split(by=admin_user, entry=category(2021, "近況報告など"), into=["近況報告", "その他"])
    marked = Category.objects.get(fiscal_year=2021, consulter_type=needs, catch_all=True)
    assert marked.name == "その他"
    consultation(marked)
    edits.merge(
        by=admin_user,
        entries=[category(2021, "近況報告"), marked],
        into_name="近況報告・その他",
    )
    # The merged category is the catch-all; the old one stays for its record, unmarked.
    assert Category.objects.get(pk=marked.pk).retired
    assert [
        c.name
        for c in Category.objects.filter(fiscal_year=2021, consulter_type=needs, catch_all=True)
    ] == ["近況報告・その他"]
