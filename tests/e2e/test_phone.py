"""Every page fits a phone: at 390 px wide (a common phone held upright) no page scrolls
sideways, and the controls of entry forms are big enough for a thumb. A wide table may
scroll inside its own container (.table-wrap), the page may not.

The pages are every URL of the app (tests/url_catalogue.py, from the URL conf), opened
as the demo council's administrator with the demo's records and the access world's
objects (a case, a grant, a plan, a volunteer…), so a new page is walked without being
added here."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.access_world import World, build_world
from tests.e2e.conftest import login
from tests.url_catalogue import pages
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.demo.management.commands import demo as demo_command

PHONE = {"width": 390, "height": 844}
THUMB = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5, Apple's HIG)
SHOTS = "/tmp/phone-shots"  # noqa: S108 - for a person to look at, nothing secret

# The elements that stick out to the right, innermost first: what made the page wide.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || scrolls(el)) continue;
    const own = getComputedStyle(el).overflowX;
    const leaf = ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1);
    if (!leaf && own !== "auto" && own !== "scroll") continue;
    const name = el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "");
    out.push(`${name} 「${(el.textContent || "").trim().slice(0, 20)}」 right=${Math.round(box.right)}`);
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, culprits: out.slice(0, 4)};
}"""

# Controls of the page's entry forms that are visible and shorter than a thumb.
SMALL = """(thumb) => {
  const out = [];
  const controls = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea, button, .button, .choice";
  for (const form of document.querySelectorAll("main form.form[method=post]")) {
    for (const el of form.querySelectorAll(controls)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || el.closest(".choice") && el.tagName === "INPUT") continue;
      if (box.height < thumb - 0.5) {
        out.push(`${el.tagName.toLowerCase()}[${el.name || el.className}] ${Math.round(box.height)}px`);
      }
    }
  }
  return out;
}"""

# An entry form (a POST form of class "form") with fields opens with focus on the first
# (data-autofocus, tsunagu.js)…
UNFOCUSED_FORM = """() => {
  const form = document.querySelector("main form.form[method=post]");
  const fields = form ? [...form.querySelectorAll("input:not([type=hidden]), select, textarea")] : [];
  const visible = fields.some((f) => !f.disabled && f.getClientRects().length);
  return visible && !document.activeElement.closest("main form");
}"""
# …except where the form comes after what the page shows, and focus would jump past it.
FORM_BELOW_THE_PAGE = {
    "api_tokens:list": "issuing a token, above the list of tokens issued",
    "cases:referral_detail": "the progress of a referral, below the referral",
    "grants:detail": "the next step of a grant, below its history",
    "plans:targets": "adding a target, below the list of targets",
    "reports:page": "reopening a closed year, below the figures",
}


def demo_world(monkeypatch: pytest.MonkeyPatch) -> World:
    """The access world's objects, then the demo council around them. The demo refuses a
    database with accounts of its own (a real council's, in real life); the world's
    accounts are the test's, so the check is set aside here. The world has its own plan
    and grant for the region both share, this year, so the demo's plans and grants stay
    out (the world's are on their pages)."""
    world = build_world()
    monkeypatch.setattr(demo_command, "accounts_not_of_the_demo", list)
    apps = tuple(app for app in demo_command.DEMO_APPS if app not in ("plans", "grants"))
    monkeypatch.setattr(demo_command, "DEMO_APPS", apps)
    call_command("demo", stdout=StringIO())
    return world


def test_every_page_fits_a_phone_and_its_forms_a_thumb(
    new_page, transactional_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    world = demo_world(monkeypatch)
    page = new_page(**PHONE)
    login(page, "admin", DEMO_PASSWORD)

    wide, small, broken, walked, redirected, unfocused = [], [], [], [], [], []
    template_text = []
    for address in pages(world):
        answer = page.request.get(address.path, max_redirects=0)
        if answer.status == 405:
            continue  # takes only POST: a button on another page, not a page
        if answer.status == 302:
            redirected.append(address.name)
            continue
        if answer.status != 200 or "text/html" not in answer.headers["content-type"]:
            broken.append(f"{address.path}: {answer.status} {answer.headers['content-type']}")
            continue
        page.goto(address.path)
        walked.append(address.name)
        found = page.evaluate(OVERFLOW)
        if found["scroll"] > found["inner"]:
            wide.append(f"{address.path}: {found['scroll']}px {found['culprits']}")
        small += [f"{address.path}: {control}" for control in page.evaluate(SMALL, THUMB)]
        # A multi-line {# … #} is not a comment to Django: it shows on the page.
        if page.evaluate("/[{][#%]/.test(document.body.innerText)"):
            template_text.append(address.path)
        if address.name not in FORM_BELOW_THE_PAGE and page.evaluate(UNFOCUSED_FORM):
            unfocused.append(address.path)

    assert not broken, "\n".join(broken)
    assert redirected == ["login"]  # a signed-in user is sent on to the home page
    assert not template_text, f"template code shown on the page: {template_text}"
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
    assert not small, "controls smaller than a thumb:\n" + "\n".join(small)
    assert not unfocused, "entry forms that open without focus on a field (data-autofocus):\n" + (
        "\n".join(unfocused)
    )
    assert {"dashboard", "records:list", "records:new", "cases:detail", "grants:detail"} <= set(
        walked
    )
    assert len(walked) >= 70


def test_screenshots_of_the_main_pages_at_phone_width(
    new_page, transactional_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """For a person to look at (saved under /tmp/phone-shots/): the layout test above
    measures widths, not whether the page reads well."""
    world = demo_world(monkeypatch)
    page = new_page(**PHONE)
    login(page, "admin", DEMO_PASSWORD)
    for name, path in (
        ("home", "/"),
        ("records", "/records/"),
        ("case", f"/cases/{world['case'].pk}/"),
        ("record_new", "/records/new/"),
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
