"""One date style on every page and in every message (issue #13, point 11).

Era by default (令和2年6月10日), western (2020年6月10日) where the council sets
TSUNAGU_DATE_STYLE=western; never the ISO 2020-06-10 of a file on a page."""

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

import tsunagu
from tests.conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.core.dates import show_date, show_datetime
from tsunagu.records.models import ActivityKind, Place
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.settings import envchoice

ISO = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")


def test_era_is_the_default_and_western_is_a_choice(settings: Any) -> None:
    assert show_date(date(2019, 5, 1)) == "令和元年5月1日"
    settings.TSUNAGU_DATE_STYLE = "western"
    assert show_date(date(2019, 5, 1)) == "2019年5月1日"


def test_a_moment_is_shown_in_local_time(settings: Any) -> None:
    moment = datetime(2020, 6, 9, 23, 30, 5, tzinfo=ZoneInfo("UTC"))  # 08:30 on the 10th in Tokyo
    assert show_datetime(moment) == "令和2年6月10日 08:30"
    assert show_datetime(moment, seconds=True) == "令和2年6月10日 08:30:05"


def test_the_filters_follow_the_setting(settings: Any) -> None:
    template = Template("{% load tsunagu %}{{ d|jdate }}／{{ d|jmonthday }}／{{ m|jdatetime }}")
    context = Context(
        {"d": date(2020, 6, 10), "m": datetime(2020, 6, 10, 9, 5, tzinfo=ZoneInfo("Asia/Tokyo"))}
    )
    assert template.render(context) == "令和2年6月10日／6月10日／令和2年6月10日 09:05"
    settings.TSUNAGU_DATE_STYLE = "western"
    assert template.render(context) == "2020年6月10日／6月10日／2020年6月10日 09:05"


def test_a_misspelt_style_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSUNAGU_DATE_STYLE", "wareki")
    with pytest.raises(ImproperlyConfigured, match="TSUNAGU_DATE_STYLE の値「wareki」は使えません"):
        envchoice("TSUNAGU_DATE_STYLE", "era", ("era", "western"))


@pytest.mark.django_db
def test_the_record_pages_show_one_date_style(client: Any, settings: Any) -> None:
    staff = make_user("sato", Role.STAFF)
    client.force_login(staff)
    fy = 2020
    kind = ActivityKind.objects.create(fiscal_year=fy, name="出向き・参加", order=1)
    kept, gone = (
        create_record(
            by=staff,
            data=RecordData(
                values={
                    "date": date(2020, 6, 10),
                    "staff": staff,
                    "activity_kind": kind,
                    "place": Place.OUTREACH,
                }
            ),
        )
        for _ in range(2)
    )
    delete_record(by=staff, record=gone)
    for url in ("/records/?fy=2020", f"/records/{kept.pk}/", "/records/trash/"):
        page = client.get(url).content.decode()
        # Typed values, links, and the help that shows which forms a typed date may take.
        shown = re.sub(
            r'(value|href|datetime|placeholder)="[^"]*"|<p [^>]*class="help[^"]*"[^>]*>.*?</p>',
            "",
            page,
        )
        assert "令和2年6月10日" in page, url
        assert not ISO.search(shown), f"{url}: {ISO.search(shown)}"
        assert "2020年6月10日" not in page, url
    assert "令和2年6月10日（令和2年6月10日）" not in page, url
    settings.TSUNAGU_DATE_STYLE = "western"
    assert "2020年6月10日（令和2年6月10日）" in client.get(f"/records/{kept.pk}/").content.decode()


def test_no_template_formats_a_date_by_hand() -> None:
    root = Path(tsunagu.__file__).parent
    by_hand = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\|\s*date\s*:", line) and 'value="' not in line
    ]
    assert by_hand == [], "use |jdate, |jdatetime or |jmonthday"
