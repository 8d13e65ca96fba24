"""The yearly grant programme: the cap of one grant and the funding sources of the year."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import Conflict, claim_version
from tsunagu.grants.models import FundingSource, GrantProgramme
from tsunagu.grants.services.checks import check_year, yen
from tsunagu.lib.amounts import format_yen
from tsunagu.lib.textnorm import normalize


@dataclass(frozen=True)
class SourceInput:
    name: str
    amount: int | str


def save_programme(
    *,
    by: User,
    fiscal_year: int,
    cap: int | str,
    sources: Sequence[SourceInput],
    note: str = "",
    expected_version: int | None = None,
) -> GrantProgramme:
    """Create or change a year's grant programme: its cap and its funding sources.

    `expected_version`: the programme's version when the form was opened, None when the
    year had none yet (then a programme saved meanwhile by someone else is a conflict)."""
    require(by, "grant.configure")
    check_year(fiscal_year)
    cap = yen(cap, "上限額", minimum=1)
    rows: list[tuple[str, int]] = []
    seen: set[str] = set()
    for source in sources:
        name = (source.name or "").strip()
        if not name and str(source.amount or "").strip() == "":
            continue
        if not name:
            raise ValidationError("財源の名称を入力してください。")
        if normalize(name) in seen:
            raise ValidationError(f"財源「{name}」が2回あります。1行にまとめてください。")
        seen.add(normalize(name))
        rows.append((name, yen(source.amount, f"財源「{name}」の金額")))
    with transaction.atomic():
        programme, created = GrantProgramme.objects.select_for_update().get_or_create(
            fiscal_year=fiscal_year, defaults={"cap": cap, "note": note.strip()}
        )
        before = {
            "cap": programme.cap,
            "note": programme.note,
            "財源": _sources_text(programme.sources.all()) if not created else "",
        }
        if not created:
            if expected_version is None:
                raise Conflict(programme)
            claim_version(programme, expected_version)
            highest = (
                programme.grants.exclude(decided_amount=None)
                .filter(exception_reason="")
                .order_by("-decided_amount")
                .values_list("decided_amount", flat=True)
                .first()
            )
            if highest is not None and cap < highest:
                raise ValidationError(
                    f"{programme.fiscal_year_label}には上限額の例外なしで{format_yen(highest)}と決定した助成金があるため、"
                    f"上限額をそれより低い{format_yen(cap)}にはできません。"
                )
            programme.cap = cap
            programme.note = note.strip()
            programme.save(update_fields=["cap", "note"])
        existing = {normalize(s.name): s for s in programme.sources.all()}
        for order, (name, amount) in enumerate(rows):
            source = existing.pop(normalize(name), None)
            if source is None:
                FundingSource.objects.create(
                    programme=programme, name=name, amount=amount, order=order
                )
            elif (source.name, source.amount, source.order) != (name, amount, order):
                source.name, source.amount, source.order = name, amount, order
                source.save(update_fields=["name", "amount", "order"])
        for source in existing.values():
            source.delete()
        after = {
            "cap": programme.cap,
            "note": programme.note,
            "財源": _sources_text(programme.sources.all()),
        }
        if created:
            log_action(by=by, action="grants.programme.created", target=programme, changes=after)
        else:
            changes = audit_diff(before, after)
            if changes:
                log_action(
                    by=by, action="grants.programme.updated", target=programme, changes=changes
                )
    return programme


def _sources_text(sources: Iterable[FundingSource]) -> str:
    return "、".join(f"{s.name} {format_yen(s.amount)}" for s in sources)
