"""The yearly-list editor on a phone (issue #10): at 390 px the demo's longest category
list neither widens the page nor scrolls sideways inside its table; each row stacks into
a card whose fields say what they are. At 1280 px it stays the compact table."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from tests.e2e.conftest import login
from tests.e2e.test_phone import PHONE
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.records.models import Category, ConsulterType

SHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at

# How far the table (or anything in it) reaches beyond its box, and beyond the window.
WIDTHS = """() => {
  const wrap = document.querySelector(".table-wrap");
  const right = Math.max(...[...wrap.querySelectorAll("input, select, summary, a, label, span")]
    .filter((el) => el.getClientRects().length)
    .map((el) => el.getBoundingClientRect().right));
  return {page: document.documentElement.scrollWidth, inner: wrap.scrollWidth,
          box: wrap.clientWidth, right: right, window: window.innerWidth};
}"""


def longest_list() -> tuple[ConsulterType, int, int]:
    """The consulter type whose list of this year is the demo's longest."""
    fy = fiscal_year_of(timezone.localdate())
    top = (
        Category.objects.filter(fiscal_year=fy)
        .values("consulter_type")
        .annotate(n=Count("id"))
        .order_by("-n", "consulter_type")
        .first()
    )
    assert top is not None
    return ConsulterType.objects.get(pk=top["consulter_type"]), fy, top["n"]


def same_line(page, one: str, other: str) -> bool:  # type: ignore[no-untyped-def]
    a = page.get_by_label(one, exact=True).bounding_box()
    b = page.get_by_label(other, exact=True).bounding_box()
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_the_longest_list_fits_a_phone_and_stays_a_table_on_a_desktop(
    new_page, transactional_db
) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", stdout=StringIO())
    ctype, fy, count = longest_list()
    assert count >= 8
    address = f"/categories/{ctype.pk}/?year={fy}"

    phone = new_page(**PHONE)
    login(phone, "admin", DEMO_PASSWORD)
    phone.goto(address)
    phone.screenshot(path=f"{SHOTS}/ten-categories-390.png", full_page=True)
    found = phone.evaluate(WIDTHS)
    assert found["page"] <= 390, found
    assert found["inner"] <= found["box"], f"the table scrolls sideways: {found}"
    assert found["right"] <= found["window"], found
    # Each row is a card: its fields are named on the screen, not by a column heading
    # out of sight, and the その他扱い box is there to tick.
    first = phone.locator("tbody tr").first
    assert (
        first.locator("td[data-label='表示順']").evaluate(
            "el => getComputedStyle(el, '::before').content"
        )
        == '"表示順"'
    )
    assert phone.get_by_label("1行目の名称", exact=True).bounding_box()["width"] > 250
    catch_all = phone.get_by_label(f"{count}行目のその他扱い", exact=True)
    catch_all.scroll_into_view_if_needed()
    assert catch_all.is_visible()
    assert not phone.locator("thead").first.is_visible()

    desktop = new_page(1280, 860)
    login(desktop, "admin", DEMO_PASSWORD)
    desktop.goto(address)
    desktop.screenshot(path=f"{SHOTS}/ten-categories-1280.png", full_page=True)
    assert desktop.locator("thead").first.is_visible()
    assert desktop.locator("table.entry-table").evaluate("el => getComputedStyle(el).display") == (
        "table"
    )
    # One line per entry: the name, its checkboxes and 分割する side by side.
    assert same_line(desktop, "1行目の名称", "1行目のその他扱い")
    assert not same_line(phone, "1行目の名称", "1行目のその他扱い")

    # The card still saves: the first entry becomes the list's その他扱い at phone width.
    name = phone.get_by_label("1行目の名称", exact=True).input_value()
    for box in phone.locator("input[name$='-catch_all']:checked").all():
        box.uncheck()
    phone.get_by_label("1行目のその他扱い", exact=True).check()
    phone.get_by_role("button", name="一覧を保存").click()
    phone.get_by_text("を保存しました。").wait_for()
    marked = Category.objects.filter(fiscal_year=fy, consulter_type=ctype, catch_all=True)
    assert [c.name for c in marked] == [name]
