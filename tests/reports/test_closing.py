from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tsunagu.audit.models import AuditEntry
from tsunagu.records.models import SupportRecord
from tsunagu.records.services import delete_record
from tsunagu.reports.services import close_year, figures_for, reopen_year


def test_closed_year_figures_do_not_move(two_years, admin_user, staff_user) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    published = figures_for(2020)
    delete_record(
        by=staff_user, record=SupportRecord.objects.filter(fiscal_year=2020).consultations().first()
    )
    after = figures_for(2020)
    assert after.report == published.report
    assert after.differences  # … but the page can say what changed
    assert any(d.label == "合計" and d.published == d.current + 1 for d in after.differences)


def test_closing_twice_and_closing_the_current_year_are_refused(two_years, admin_user) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    with pytest.raises(ValidationError, match="すでに締められています"):
        close_year(by=admin_user, fiscal_year=2020)
    with pytest.raises(ValidationError, match="まだ終わっていない"):
        close_year(by=admin_user, fiscal_year=date.today().year + 1)  # noqa: DTZ011


def test_reopen_is_logged_with_its_reason(two_years, admin_user) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    with pytest.raises(ValidationError):
        reopen_year(by=admin_user, fiscal_year=2020, reason=" ")
    reopen_year(by=admin_user, fiscal_year=2020, reason="入力漏れがあったため")
    assert figures_for(2020).closure is None
    entry = AuditEntry.objects.get(action="reports.year.reopened")
    assert entry.actor == admin_user and entry.changes["reason"] == "入力漏れがあったため"
    close_year(by=admin_user, fiscal_year=2020)  # can be closed again


def test_report_page_for_every_role_and_closing_by_admin_only(
    two_years, admin_user, staff_user, viewer_user
) -> None:  # type: ignore[no-untyped-def]
    clients = {}
    for user in (admin_user, staff_user, viewer_user):
        clients[user.role] = Client()
        clients[user.role].force_login(user)
    for client in clients.values():
        page = client.get("/reports/", {"fy": "令和2年度"}).content.decode()
        assert "■ ニーズを抱えている個人の相談 5件（－2件）" in page
    assert clients["staff"].post("/reports/close/", {"fy": "2020"}).status_code == 403
    assert clients["viewer"].post("/reports/close/", {"fy": "2020"}).status_code == 403
    clients["admin"].post("/reports/close/", {"fy": "2020"})
    page = clients["viewer"].get("/reports/", {"fy": "2020"}).content.decode()
    assert "公表値" in page


def test_bad_fiscal_year_is_explained(admin_client, db) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/reports/", {"fy": "令和ゼロ年"}).content.decode()
    assert "年度として読み取れません" in page


def test_downloads(admin_client, two_years) -> None:  # type: ignore[no-untyped-def]
    for fmt, kind in [
        ("text", "text/plain"),
        ("json", "application/json"),
        ("xlsx", "spreadsheetml"),
        ("csv", "zip"),
    ]:
        response = admin_client.get("/reports/download/", {"fy": "2020", "format": fmt})
        assert response.status_code == 200 and kind in response["Content-Type"], fmt
    assert (
        admin_client.get("/reports/download/", {"fy": "2020", "format": "pdf"}).status_code == 404
    )


def test_editing_a_record_of_a_closed_year_warns(two_years, admin_user, staff_client) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    record = SupportRecord.objects.filter(fiscal_year=2020).first()
    page = staff_client.get(f"/records/{record.pk}/edit/").content.decode()
    assert "締められています。直しても公表済みの集計は変わりません" in page
