import time
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, screenshot
from tsunagu.accounts.models import Role
from tsunagu.core.dates import show_date
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.records.codes import settle_codes
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import (
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
    SupportRecord,
)
from tsunagu.records.services import RecordData, create_record


@pytest.fixture
def setting(transactional_db):  # type: ignore[no-untyped-def]
    """This fiscal year's lists and a small directory."""
    ensure_consulter_types()  # a transactional test starts from a flushed database
    staff = make_user("sato", Role.STAFF, last_name="佐藤", first_name="美咲")
    other = make_user("suzuki", Role.STAFF, last_name="鈴木", first_name="大輔")
    zone = Zone.objects.create(name="東部圏域", staff=staff)
    region = Region.objects.create(name="本町地域社協", zone=zone)
    salon = GroupKind.objects.create(name="サロン")
    group = ActivityGroup.objects.create(
        name="いきいきサロンひだまり", kind=salon, zone=zone, region=region
    )
    houkatsu = AgencyGroup.objects.create(name="在宅介護・地域包括支援センター")
    Agency.objects.create(name="みどり台在宅介護・地域包括支援センター", group=houkatsu)
    fy = fiscal_year_of(timezone.localdate())
    kinds = {
        name: ActivityKind.objects.create(fiscal_year=fy, name=name, order=i)
        for i, name in enumerate(["出向き・参加", "話し合いへの参加", "相談対応", "その他"])
    }
    types = {t.name: t for t in ConsulterType.objects.all()}
    for type_name, names in {
        "ニーズを抱えている個人": ["福祉サービス・相談機関への紹介", "近況報告など"],
        "ボランティア希望（活動）者": ["寄付（寄贈）したい", "ボランティアしたい"],
    }.items():
        for i, name in enumerate(names):
            Category.objects.create(
                fiscal_year=fy, consulter_type=types[type_name], name=name, order=i
            )
    settle_codes(fy)  # as the list editor does: the outing screen finds 出向き・参加 by its code
    return {"staff": staff, "other": other, "group": group, "kinds": kinds, "types": types}


def test_salon_visit_with_two_consultations_and_a_referral_by_keyboard(page, setting) -> None:  # type: ignore[no-untyped-def]
    login(page, "sato", PASSWORD)
    started = time.monotonic()
    page.goto("/records/outing/")
    # Support target: typed in kana-insensitive form, picked with the arrow keys.
    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ﾋﾀﾞﾏﾘ")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
    target.press("ArrowDown")
    target.press("Enter")
    expect(target).to_have_value("いきいきサロンひだまり")

    first = page.locator("[data-formset-row]").nth(0)
    first.get_by_role("radio", name="ニーズを抱えている個人").press("Space")
    first.get_by_role("checkbox", name="福祉サービス・相談機関への紹介").press("Space")
    agencies = first.get_by_role("combobox", name="関係機関")
    agencies.press_sequentially("包括")
    expect(
        first.get_by_role("option", name="みどり台在宅介護・地域包括支援センター")
    ).to_be_visible()
    agencies.press("Enter")
    expect(
        first.get_by_role("combobox", name="みどり台在宅介護・地域包括支援センターへの対応")
    ).to_have_value("referral")
    first.get_by_label("メモ").press_sequentially("見守りについて相談。地域包括へつないだ。")

    second = page.locator("[data-formset-row]").nth(1)
    second.get_by_role("radio", name="ボランティア希望（活動）者").press("Space")
    second.get_by_role("checkbox", name="ボランティアしたい").press("Space")
    page.get_by_role("button", name="まとめて保存").press("Enter")

    expect(page.get_by_text("出向き先での記録を3件保存しました。")).to_be_visible()
    elapsed = time.monotonic() - started
    assert elapsed < 60
    screenshot(page, "records")

    records = SupportRecord.objects.order_by("id")
    assert [r.activity_kind.name for r in records] == ["出向き・参加", "相談対応", "相談対応"]
    assert {r.target_group for r in records} == {setting["group"]}
    assert {r.place for r in records} == {Place.OUTREACH}
    referral = records[1].agency_links.get()
    assert referral.action == AgencyAction.REFERRAL
    assert [c.name for c in records[2].categories.all()] == ["ボランティアしたい"]


def test_quick_entry_screen(page, setting) -> None:  # type: ignore[no-untyped-def]
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="出向き・参加").press("Space")
    page.get_by_role("combobox", name="支援先").press_sequentially("さろん")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
    page.get_by_role("combobox", name="支援先").press("Enter")
    # A date in a year without lists redraws the choices and says so.
    page.get_by_label("日付").fill("2001-05-01")
    page.get_by_label("日付").press("Tab")
    expect(page.get_by_text("平成13年度の活動種別がまだありません")).to_be_visible()
    page.get_by_label("日付").fill(timezone.localdate().isoformat())
    page.get_by_label("日付").press("Tab")
    page.get_by_role("radio", name="出向き・参加").press("Space")
    screenshot(page, "record_entry")
    page.get_by_role("button", name="保存", exact=True).press("Enter")
    # Saved: the year's list, the new row highlighted.
    expect(page.locator("#saved")).to_contain_text("出向き・参加")
    assert SupportRecord.objects.get().target_group == setting["group"]


def test_two_browsers_editing_the_same_record(new_page, setting) -> None:  # type: ignore[no-untyped-def]
    record = create_record(
        by=setting["staff"],
        data=RecordData(
            values={
                "date": timezone.localdate(),
                "staff": setting["staff"],
                "activity_kind": setting["kinds"]["相談対応"],
                "place": Place.OUTREACH,
                "target_group": setting["group"],
                "consulter_type": setting["types"]["ニーズを抱えている個人"],
                "note": "最初のメモ",
            },
            categories=list(Category.objects.filter(name="近況報告など")),
        ),
    )
    mine, theirs = new_page(), new_page()
    login(mine, "sato", PASSWORD)
    login(theirs, "suzuki", PASSWORD)
    for page in (mine, theirs):
        page.goto(f"/records/{record.pk}/edit/")

    theirs.get_by_role("radio", name="電話").press("Space")
    theirs.get_by_role("button", name="保存", exact=True).press("Enter")
    expect(theirs.get_by_text("記録を保存しました。")).to_be_visible()

    mine.get_by_label("メモ").fill("あとから書いたメモ")
    mine.get_by_role("button", name="保存", exact=True).press("Enter")
    expect(mine.get_by_text("鈴木 大輔さんが保存しました")).to_be_visible()
    expect(
        mine.get_by_role("heading", name="保存されている内容とあなたの入力の違い")
    ).to_be_visible()
    expect(mine.get_by_role("row", name="場所 電話 出向いた先")).to_be_visible()
    screenshot(mine, "edit_conflict")
    record.refresh_from_db()
    assert record.place == Place.PHONE and record.note == "最初のメモ"
    assert record.date == timezone.localdate() and isinstance(record.date, date)


def _last_years_lists(setting) -> int:  # type: ignore[no-untyped-def]
    """The same kinds and categories for the fiscal year before this one."""
    last = fiscal_year_of(timezone.localdate()) - 1
    for i, name in enumerate(setting["kinds"]):
        ActivityKind.objects.create(fiscal_year=last, name=name, order=i)
    for category in Category.objects.all():
        Category.objects.create(
            fiscal_year=last,
            consulter_type=category.consulter_type,
            name=category.name,
            order=category.order,
        )
    settle_codes(last)
    return last


def test_outing_date_change_keeps_target_notes_and_types(page, setting) -> None:  # type: ignore[no-untyped-def]
    last = _last_years_lists(setting)
    login(page, "sato", PASSWORD)
    page.goto("/records/outing/")
    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ひだまり")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
    target.press("Enter")
    page.get_by_label("出向きのメモ").fill("サロンの茶話会に参加。")
    first = page.locator("[data-formset-row]").nth(0)
    first.get_by_role("radio", name="ニーズを抱えている個人").check()
    first.get_by_role("checkbox", name="近況報告など").check()
    first.get_by_label("メモ").fill("買い物に困っているとのこと。")

    # The outing was last June: a date in the year before.
    page.get_by_label("日付").fill(f"{last}-06-12")
    page.get_by_label("日付").press("Tab")
    expect(page.get_by_text(f"{fiscal_year_label(last)}の分類を表示中")).to_be_visible()
    expect(target).to_have_value("いきいきサロンひだまり")
    expect(page.get_by_label("出向きのメモ")).to_have_value("サロンの茶話会に参加。")
    expect(first.get_by_label("メモ")).to_have_value("買い物に困っているとのこと。")
    expect(first.get_by_role("radio", name="ニーズを抱えている個人")).to_be_checked()
    expect(first.get_by_role("checkbox", name="近況報告など")).to_be_checked()
    # A row added afterwards offers the new year's categories.
    page.get_by_role("button", name="相談をもう1件追加").click()
    third = page.locator("[data-formset-row]").nth(2)
    third.get_by_role("radio", name="ボランティア希望（活動）者").check()
    third.get_by_role("checkbox", name="ボランティアしたい").check()
    page.get_by_role("button", name="まとめて保存").click()

    expect(page.get_by_text("出向き先での記録を3件保存しました。")).to_be_visible()
    records = SupportRecord.objects.order_by("id")
    assert {r.fiscal_year for r in records} == {last}
    assert {r.target_group for r in records} == {setting["group"]}
    assert [r.note for r in records] == [
        "サロンの茶話会に参加。",
        "買い物に困っているとのこと。",
        "",
    ]
    assert [c.fiscal_year for r in records for c in r.categories.all()] == [last, last]


def test_back_then_save_again_creates_nothing(page, setting) -> None:  # type: ignore[no-untyped-def]
    last = _last_years_lists(setting)
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="出向き・参加").check()
    page.get_by_label("日付").fill(f"{last}-12-12")
    page.get_by_label("日付").press("Tab")
    expect(page.get_by_text(f"{fiscal_year_label(last)}の分類を表示中")).to_be_visible()
    expect(page.get_by_role("radio", name="出向き・参加")).to_be_checked()
    page.get_by_label("メモ").fill("年末の交流会に参加。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(
        page.get_by_text(f"{show_date(date(last, 12, 12))}の記録（出向き・参加）を保存しました。")
    ).to_be_visible()
    saved = SupportRecord.objects.get()

    page.go_back()
    # The date is what was typed, not today's default.
    expect(page.get_by_label("日付")).to_have_value(f"{last}-12-12")
    expect(page.get_by_label("メモ")).to_have_value("年末の交流会に参加。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("この記録はすでに保存されています。")).to_be_visible()
    assert SupportRecord.objects.count() == 1
    page.get_by_role("link", name="保存された記録を開く").click()
    page.wait_for_url(f"**/records/{saved.pk}/")
    assert saved.date == date(last, 12, 12) and saved.fiscal_year == last
