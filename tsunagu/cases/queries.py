"""Reads over many cases: the counts everyone may see, and the rows of the export."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from tsunagu.cases.models import Case, CaseStatus, NeedKind, Referral, ReferralStatus
from tsunagu.cases.referrals import referral_counts_by_agency_group
from tsunagu.directory.models import Zone
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.lib.tabular import Cell


@dataclass(frozen=True)
class CaseCounts:
    by_status: list[tuple[str, int]]
    open_by_need: list[tuple[str, int]]
    open_by_zone: list[tuple[str, int]]
    referrals_by_status: list[tuple[str, int]]
    referrals_by_group: list[tuple[str, int]]
    fiscal_year_label: str
    total: int


def case_counts(today: date) -> CaseCounts:
    """Counts only: no pseudonym, no date, nothing that points at one person."""
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    open_cases = Case.objects.open()
    needs = (
        NeedKind.objects.annotate(n=Count("cases", filter=Q(cases__in=open_cases)))
        .filter(Q(active=True) | Q(n__gt=0))
        .order_by("order", "id")
    )
    zone_counts = Counter(open_cases.values_list("zone_id", flat=True))
    zones = [z for z in Zone.objects.order_by("order", "id") if z.active or zone_counts[z.pk]]
    referrals = dict(Referral.objects.values_list("status").annotate(n=Count("id")))
    fiscal_year = fiscal_year_of(today)
    by_group = referral_counts_by_agency_group(fiscal_year)
    return CaseCounts(
        by_status=[(str(label), statuses.get(value, 0)) for value, label in CaseStatus.choices],
        open_by_need=[(n.name, n.n) for n in needs],
        open_by_zone=[(z.name, zone_counts.get(z.pk, 0)) for z in zones],
        referrals_by_status=[
            (str(label), referrals.get(value, 0)) for value, label in ReferralStatus.choices
        ],
        referrals_by_group=sorted(by_group.items(), key=lambda item: -item[1]),
        fiscal_year_label=fiscal_year_label(fiscal_year),
        total=sum(statuses.values()),
    )


EXPORT_HEADERS = [
    "番号",
    "仮名・イニシャル",
    "年代",
    "圏域",
    "地域社協",
    "困りごと",
    "状況",
    "受付日",
    "終了日",
    "終了の理由",
    "担当職員",
    "打診",
    "マッチング（継続中）",
    "紹介",
    "同意の記録",
    "匿名化",
]


def export_rows(cases: Any) -> list[list[Cell]]:
    """One row per case, in a constant number of queries. Names and contacts are left
    out: the export is for counting and hand-over, not for a roster."""
    cases = (
        cases.with_related()
        .annotate(
            ask_count=Count("asks", distinct=True),
            match_count=Count("matches", filter=Q(matches__ended_on__isnull=True), distinct=True),
            referral_count=Count("referrals", distinct=True),
        )
        .order_by("id")
    )
    rows: list[list[Cell]] = []
    for case in cases:
        rows.append(
            [
                case.pk,
                case.pseudonym,
                case.get_age_band_display(),
                case.zone.name,
                case.region.name if case.region else "",
                "、".join(n.name for n in case.needs.all()),
                case.get_status_display(),
                case.opened_on,
                case.closed_on,
                case.get_close_reason_display() if case.close_reason else "",
                "、".join(u.display_name for u in case.staff.all()),
                case.ask_count,
                case.match_count,
                case.referral_count,
                "あり" if case.has_consent else "なし",
                "済" if case.is_anonymised else "",
            ]
        )
    return rows
