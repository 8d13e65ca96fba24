"""What a printed page keeps and leaves out (issue #13, point 11).

A printed report or カルテ is a document for a meeting: no navigation and no download links,
and no heading left at the foot of a page without the table it introduces."""

from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.directory.models import Region
from tsunagu.records.models import Place
from tsunagu.records.services import RecordData, create_record

HIDDEN_IN_PRINT = ".site-header, .downloads, .breadcrumb, .no-print, .button"


def printed(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.emulate_media(media="print")


def test_the_printed_report_and_karte_leave_out_links_and_keep_headings(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    create_record(
        by=setting["staff"],
        data=RecordData(
            values={
                "date": timezone.localdate(),
                "staff": setting["staff"],
                "activity_kind": setting["kinds"]["出向き・参加"],
                "place": Place.OUTREACH,
                "target_group": setting["group"],
            },
        ),
    )
    login(page, "sato", PASSWORD)
    region = Region.objects.get(name="本町地域社協")
    for url in ("/reports/", f"/plans/regions/{region.pk}/"):
        printed(page, url)
        shown = page.locator(HIDDEN_IN_PRINT).evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent.trim())"
        )
        assert shown == [], f"{url} prints {shown}"
        breaks = page.locator("h2").evaluate_all(
            "els => els.map(e => getComputedStyle(e).breakAfter)"
        )
        assert breaks and set(breaks) == {"avoid"}, f"{url}: {breaks}"
