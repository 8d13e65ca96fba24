"""The Content Security Policy refuses nothing that the app itself does.

Every inline script, inline style or foreign asset would be refused by the browser and
reported on the console; a page that relied on one would silently lose a button or a
style. The test walks the demo council's pages as an administrator, uses the forms that
load parts of themselves, and counts the browser's refusals."""

from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command

from tests.e2e.conftest import login
from tsunagu.demo.directory import DEMO_PASSWORD

SKIP = ("/logout/", "/download", "/export", ".xlsx", ".csv", ".json", "/print")


def test_no_page_breaks_the_content_security_policy(
    new_page, live_server, transactional_db
) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    page = new_page()
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: (
            refusals.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(page, "admin", DEMO_PASSWORD)

    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < 45:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(live_server.url).netloc or parts.query:
                continue
            if any(skip in parts.path for skip in SKIP) or parts.path in seen:
                continue
            queue.append(parts.path)

    # The parts that load themselves: the suggestions under the note and the date's
    # categories on the entry form, and the API's document viewer.
    page.goto("/records/new/")
    page.get_by_label("メモ").press_sequentially("サロンの運営について相談")
    page.wait_for_timeout(800)
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui")

    assert len(seen) >= 30
    assert refusals == []
