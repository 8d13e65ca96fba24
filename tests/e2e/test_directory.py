from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.directory.models import ActivityGroup


def test_staff_logs_in_and_sees_the_dashboard_in_japanese(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    login(page, "sato", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.get_by_role("heading", name="ホーム", level=1)).to_be_visible()
    expect(page.get_by_text("佐藤 美咲さん、おつかれさまです。")).to_be_visible()
    expect(page.get_by_text("東部圏域").first).to_be_visible()
    screenshot(page, "dashboard")
    page.get_by_role("link", name="マスタ", exact=True).click()
    expect(page.get_by_role("heading", name="マスタ（市の基本情報）")).to_be_visible()
    page.get_by_role("link", name="活動団体・活動の場").click()
    expect(page.get_by_role("rowheader", name="みどり台こども食堂")).to_be_visible()
    # staff read the directory but cannot add to it
    expect(page.get_by_role("link", name="活動団体・活動の場を追加")).to_have_count(0)


def test_wrong_password_is_explained(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill("sato")
    page.get_by_label("パスワード").fill("machigai")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_text("ユーザー名またはパスワードが違います")).to_be_visible()


def test_admin_adds_and_deactivates_a_group_by_keyboard(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    login(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="マスタ", exact=True).click()
    page.get_by_role("link", name="活動団体・活動の場").click()
    screenshot(page, "directory")
    page.get_by_role("link", name="活動団体・活動の場を追加").click()

    # An empty name is explained and nothing is saved.
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").get_by_text("入力内容を確認してください")).to_be_visible()

    page.get_by_label("名称").fill("ひばり野 シニアカフェ")
    page.get_by_label("種別").select_option(label="居場所")
    page.get_by_label("地域社協").select_option(label="八幡地域社協")
    page.get_by_label("開催日時").fill("毎週木曜日 13:00〜16:00")
    page.get_by_label("開催日時").press("Enter")
    expect(
        page.get_by_text("活動団体・活動の場「ひばり野 シニアカフェ」を追加しました。")
    ).to_be_visible()
    group = ActivityGroup.objects.get(name="ひばり野 シニアカフェ")
    assert group.zone.name == "西部圏域"

    page.get_by_label("名称で検索").fill("ｼﾆｱ")
    page.get_by_role("button", name="表示").click()
    row = page.get_by_role("row").filter(has_text="ひばり野 シニアカフェ")
    expect(row.get_by_role("cell", name="西部圏域")).to_be_visible()
    row.get_by_role("button", name="無効にする").click()
    expect(page.get_by_text("を無効にしました")).to_be_visible()
    group.refresh_from_db()
    assert not group.active
