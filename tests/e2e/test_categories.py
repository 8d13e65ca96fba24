"""The yearly-list editor is a compact table: one row per category (issue #13, point 11)."""

from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.accounts.models import Role
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.records.models import Category


def test_twenty_categories_fit_in_little_more_than_a_screen(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    make_user("kanri", Role.ADMIN)
    needs = setting["types"]["ニーズを抱えている個人"]
    fy = fiscal_year_of(timezone.localdate())
    for i in range(18):
        Category.objects.create(
            fiscal_year=fy, consulter_type=needs, name=f"相談内容{i + 1}", order=10 + i
        )
    login(page, "kanri", PASSWORD)
    page.goto(f"/categories/{needs.pk}/?year={fy}")
    assert page.get_by_label("20行目の名称", exact=True).input_value() == "相談内容18"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the editor is {height} px tall for 20 categories"
    page.get_by_label("3行目の名称", exact=True).fill("相談内容（改）")
    page.get_by_role("button", name="一覧を保存").click()
    assert Category.objects.filter(fiscal_year=fy, name="相談内容（改）").exists()
