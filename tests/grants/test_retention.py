"""Grant records are kept 10 years: nothing deletes them earlier."""

from datetime import date

import pytest
from django.db.models import ProtectedError

from tsunagu.directory.models import Region
from tsunagu.grants.models import Grant, GrantProgramme, RetentionError, retention_end


def test_retention_ends_ten_fiscal_years_later() -> None:
    assert retention_end(2020) == date(2031, 3, 31)
    assert retention_end(2018) == date(2029, 3, 31)


def test_a_grant_cannot_be_deleted_before_its_retention_ends(applied: Grant) -> None:
    with pytest.raises(RetentionError, match="10年間保存"):
        applied.delete()
    with pytest.raises(RetentionError):
        Grant.objects.all().delete()
    with pytest.raises(RetentionError):
        GrantProgramme.objects.all().delete()
    assert Grant.objects.count() == 1


def test_the_council_of_a_grant_cannot_be_deleted(applied: Grant) -> None:
    region = Region.objects.get(pk=applied.region_id)
    with pytest.raises(ProtectedError):
        region.delete()


def test_a_grant_past_its_retention_may_go(applied: Grant, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2031, 4, 1))
    applied.delete()
    assert not Grant.objects.exists()


def test_no_code_in_the_app_deletes_grants() -> None:
    """The only deletes in tsunagu/grants are of budget lines being rewritten before a
    decision, funding sources of a programme, and fundraising cells: never a grant."""
    from pathlib import Path

    import tsunagu.grants

    root = Path(tsunagu.grants.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if ".delete()" in line and "def delete" not in line and "super().delete" not in line:
                assert any(
                    ok in line
                    for ok in (
                        "lines.all().delete()",
                        "line.delete()",
                        "source.delete()",
                        "row.delete()",
                    )
                ), (path, line)
