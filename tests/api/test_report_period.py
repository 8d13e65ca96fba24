"""GET /reports/{fiscal_year}?period=…: the report of a part of the year, read as the page
and `tsunagu report --period` read it (reports/period.py), on the demo's 令和2年度."""

import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.api.conftest import Api
from tests.api.test_api import is_problem
from tests.conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.api.services import issue_token


@pytest.fixture(scope="module")
def api(django_db_setup: None, django_db_blocker: Any) -> Iterator[Api]:
    """A viewer's read token on the demo pinned at 令和2年度."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", last_year=2020, stdout=StringIO())
        admin = make_user("api-kanri", Role.ADMIN)
        viewer = make_user("api-etsuran", Role.VIEWER)
        issued = issue_token(
            by=admin,
            user=viewer,
            name="市の集計",
            scope="read",
            expires_at=timezone.now() + timedelta(days=1),
        )
        yield Api(issued.secret)
        transaction.set_rollback(True)


def totals(body: dict[str, Any]) -> dict[str, int]:
    return {
        **{section["title"]: section["total"] for section in body["sections"]},
        "関係機関別": body["agency_table"]["total"],
    }


@pytest.mark.django_db
def test_a_period_is_the_report_the_command_gives(api: Api, tmp_path: Path) -> None:
    response = api.get("/reports/2020", data={"period": "2020-H1"})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["period_label"] == "令和2年度 上半期（令和2年4月〜9月）"
    assert body["comparison_label"] == "前年同期比"
    written = tmp_path / "上半期.json"
    call_command("report", period="2020-H1", format="json", output=str(written), stdout=StringIO())
    assert body == json.loads(written.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_two_halves_add_up_to_the_year(api: Api) -> None:
    year = api.get("/reports/2020").json()
    first, second = (
        api.get("/reports/2020", data={"period": p}).json() for p in ("2020-H1", "2020-H2")
    )
    assert "period_label" not in year
    assert 0 < sum(totals(first).values()) < sum(totals(year).values())
    assert {k: totals(first)[k] + totals(second)[k] for k in totals(year)} == totals(year)


@pytest.mark.django_db
def test_a_period_is_written_as_people_write_it(api: Api) -> None:
    quarter = api.get("/reports/2020", data={"period": "２０２０ーQ１"}).json()  # full width
    assert quarter["period_label"] == "令和2年度 第1四半期（令和2年4月〜6月）"
    assert api.get("/reports/2020", data={"period": "2020-04..2020-06"}).json() == quarter
    assert (
        api.get("/reports/2020", data={"period": "2020"}).json() == api.get("/reports/2020").json()
    )


@pytest.mark.parametrize(
    ("period", "said"),
    [
        ("2020-Q5", "「2020-Q5」は期間として読み取れません。四半期は Q1〜Q4、半期は H1・H2 です。"),
        ("2020-13", "「2020-13」はありえない日付です。"),
        ("2020-09..2020-04", "期間の終わり（令和2年4月30日）が始まり（令和2年9月1日）より前です。"),
        ("2020-10..2021-06", "期間が令和2年度と令和3年度にまたがっています。"),
        ("", "期間が入力されていません。"),
        (
            "2021-Q1",
            "期間（令和3年4月〜6月）は令和3年度の期間です。/reports/2021 で尋ねるか、"
            "令和2年度の中の期間を指定してください。",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_period_is_refused_in_japanese(api: Api, period: str, said: str) -> None:
    body = is_problem(api.get("/reports/2020", data={"period": period}), 422)
    assert body["detail"].startswith(said)
    assert body["errors"] == [{"field": "period", "detail": body["detail"]}]


@pytest.mark.django_db
def test_the_document_names_the_period(api: Api) -> None:
    document = api.get("/openapi.json").json()
    parameters = document["paths"]["/api/v1/reports/{fiscal_year}"]["get"]["parameters"]
    period = next(p for p in parameters if p["name"] == "period")
    assert period["in"] == "query" and "2020-Q1" in period["description"]
