"""A person's name stays on one line in a narrow table (issue #13, point 11)."""

from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.records.models import Place
from tsunagu.records.services import RecordData, create_record


def test_the_staff_name_does_not_break_mid_name_at_phone_width(new_page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for n in range(3):
        create_record(
            by=setting["staff"],
            data=RecordData(
                values={
                    "date": timezone.localdate(),
                    "staff": setting["staff"],
                    "activity_kind": setting["kinds"]["出向き・参加"],
                    "place": Place.OUTREACH,
                    "target_group": setting["group"],
                    "note": f"長めのメモで列を狭くする{'あいうえお' * 8}{n}",
                },
            ),
        )
    page = new_page(width=390, height=800)
    login(page, "sato", PASSWORD)
    page.goto("/records/")
    name = page.locator("td .person").filter(has_text="佐藤 美咲").first
    box = name.bounding_box()
    line = name.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert box is not None
    assert box["height"] < line * 1.5, "the name wrapped onto a second line"
