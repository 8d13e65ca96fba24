"""Demo grants and fundraising for the demo city (tsunagu/demo/directory.py).

Every grant goes through the real services: the zone's staff member enters the
application and the expense report, the administrator decides, pays and settles. The old
years (written as FY2018–2020, placed by tsunagu/demo/years.py) are settled; this
year's grants are at every step. Fundraising covers the five years to the last (written as
FY2016–2020), with door-to-door giving falling 73% in the last, as in docs/domain.md.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.demo.years import DemoYears, demo_years
from tsunagu.directory.models import Region
from tsunagu.grants.defaults import ensure_fundraising_lists
from tsunagu.grants.models import (
    FundraisingDrive,
    FundraisingMethod,
    FundraisingTotal,
    Grant,
    GrantProgramme,
    GrantState,
)
from tsunagu.grants.services.fundraising import save_fundraising_year
from tsunagu.grants.services.lifecycle import (
    LineInput,
    apply_grant,
    decide_grant,
    pay_grant,
    report_expenses,
    settle_grant,
)
from tsunagu.grants.services.programme import SourceInput, save_programme

OLD_YEARS = (2018, 2019, 2020)
CAP = 300_000

SOURCES = {
    2018: [("歳末たすけあい地域福祉活動募金", 2_650_000), ("自主財源", 1_250_000)],
    2019: [("歳末たすけあい地域福祉活動募金", 2_480_000), ("自主財源", 1_420_000)],
    2020: [
        ("歳末たすけあい地域福祉活動募金", 1_350_000),
        ("自主財源", 1_950_000),
        ("前年度繰越金", 600_000),
    ],
}
CURRENT_SOURCES = [("歳末たすけあい地域福祉活動募金", 1_800_000), ("自主財源", 2_100_000)]

# 費目, 内容
EXPENSE_ITEMS = [
    ("会場費", "サロン・会議の会場使用料"),
    ("茶菓代", "サロンのお茶とお菓子"),
    ("消耗品費", "文具・防災用品"),
    ("印刷費", "広報紙の印刷"),
    ("講師謝礼", "研修会の講師"),
    ("保険料", "行事保険"),
]
PLANS = [
    "高齢者サロン（月1回）、子育てサロン（月2回）、広報紙の発行（年2回）、防災訓練（年1回）",
    "ふれあい給食会（年4回）、見守り訪問、福祉まつり（年1回）、役員研修（年1回）",
    "居場所カフェ（毎週）、丁目の会の交流会（年2回）、広報紙の発行（年3回）",
    "子ども食堂への協力（月1回）、世代間交流会（年2回）、防災マップづくり",
]
EXCEPTION = (
    2019,
    "境南地域社協",
    350_000,
    "地区全体の防災訓練で使う資機材（発電機・簡易トイレ）の購入が必要なため。理事会で承認済み。",
)
# This year's grants by region order: how far each has gone.
CURRENT_STATES = [
    GrantState.SETTLED,
    GrantState.REPORTED,
    GrantState.REPORTED,
    GrantState.PAID,
    GrantState.PAID,
    GrantState.PAID,
    GrantState.PAID,
    GrantState.PAID,
    GrantState.DECIDED,
    GrantState.DECIDED,
    GrantState.APPLIED,
    GrantState.APPLIED,
    GrantState.APPLIED,
]
ORDER = list(GrantState)

# Fundraising (yen), FY2016–2020: method -> amounts; the drives split them.
FUNDRAISING_YEARS = (2016, 2017, 2018, 2019, 2020)
FUNDRAISING = {
    "戸別募金": (4_120_000, 3_980_000, 3_850_000, 3_610_000, 975_000),
    "街頭募金": (420_000, 405_000, 398_000, 380_000, 152_000),
    "法人募金": (1_180_000, 1_210_000, 1_250_000, 1_230_000, 1_050_000),
    "学校募金": (310_000, 298_000, 305_000, 290_000, 126_000),
    "職域募金": (262_000, 258_000, 251_000, 255_000, 240_000),
    "イベント募金": (180_000, 176_000, 190_000, 168_000, None),  # FY2020: no events held
}
# share of each method raised in the year-end drive (the rest in the red-feather drive)
YEAR_END_SHARE = {"戸別募金": 0.42, "街頭募金": 0.35, "法人募金": 0.25}


def load_demo(*, by: User, years: DemoYears | None = None) -> str:
    """Load the demo grants and fundraising; running it again adds nothing."""
    years = years or demo_years()
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "sato"])}
    admin = users.get("admin", by)
    regions = list(Region.objects.filter(active=True).select_related("zone", "zone__staff"))
    if not regions:
        return "助成金：地域社協がないため読み込みませんでした"
    created = 0
    with transaction.atomic():
        today = years.today
        current = years.current
        for story in OLD_YEARS:
            fiscal_year = years.year(story)
            if fiscal_year >= current:
                continue  # the year in progress has this year's grants, below
            programme = _programme(admin, fiscal_year, SOURCES[story])
            for index, region in enumerate(regions):
                created += _grant(
                    admin, programme, region, index, target=GrantState.SETTLED, story=story
                )
        if current not in years.years or years.lives_today:
            programme = _programme(admin, current, CURRENT_SOURCES)
            for index, region in enumerate(regions):
                target = CURRENT_STATES[index % len(CURRENT_STATES)]
                created += _grant(
                    admin,
                    programme,
                    region,
                    index,
                    target=target,
                    today=today,
                    story=years.story(current),
                )
        cells = _fundraising(by, years)
        if created or cells:
            log_action(
                by=by,
                action="grants.demo_loaded",
                label="デモ用の助成金・募金",
                changes={"助成金": created, "募金実績": cells},
            )
    grants = Grant.objects.count()
    totals = FundraisingTotal.objects.count()
    return f"助成金 {grants}件（うち今回追加 {created}件）・募金実績 {totals}件"


def _programme(admin: User, fiscal_year: int, sources: list[tuple[str, int]]) -> GrantProgramme:
    existing = GrantProgramme.objects.filter(fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    return save_programme(
        by=admin,
        fiscal_year=fiscal_year,
        cap=CAP,
        sources=[SourceInput(name, amount) for name, amount in sources],
        note="地域社協・福祉の会の地域福祉活動への助成（デモ）",
    )


def _dates(fiscal_year: int, today: date | None) -> list[date]:
    """Application, decision, payment, report and settlement dates, never after today."""
    planned = [
        date(fiscal_year, 4, 20),
        date(fiscal_year, 5, 25),
        date(fiscal_year, 6, 10),
        date(fiscal_year + 1, 4, 15) if today is None else date(fiscal_year, 10, 30),
        date(fiscal_year + 1, 5, 10) if today is None else date(fiscal_year, 11, 10),
    ]
    if today is None:
        return planned
    dates: list[date] = []
    for day in planned:
        day = min(day, today)
        dates.append(max(day, dates[-1]) if dates else day)
    return dates


def _grant(
    admin: User,
    programme: GrantProgramme,
    region: Region,
    index: int,
    *,
    target: GrantState,
    today: date | None = None,
    story: int,
) -> int:
    """One region's grant of the programme's year; `story` is the year of the data above
    it is drawn from (the programme's own year when the demo is pinned to 2020)."""
    if Grant.objects.filter(programme=programme, region=region).exists():
        return 0
    fiscal_year = programme.fiscal_year
    rng = random.Random(f"{story}-{region.name}")  # noqa: S311 - demo figures
    staff = region.zone.staff or admin
    applied_on, decided_on, paid_on, reported_on, settled_on = _dates(fiscal_year, today)

    exception = EXCEPTION if (story, region.name) == EXCEPTION[:2] else None
    requested = exception[2] if exception else rng.choice([240_000, 270_000, 300_000, 300_000])
    if story == 2020:
        requested = rng.choice([150_000, 200_000, 250_000])  # activities cut back in COVID
    items = rng.sample(EXPENSE_ITEMS, k=rng.randint(3, 5))
    planned = _split(requested + rng.choice([20_000, 40_000, 60_000]), len(items), rng)
    fee = rng.choice([20_000, 30_000, 45_000])
    grant = apply_grant(
        by=staff,
        programme=programme,
        region=region,
        plan=PLANS[index % len(PLANS)],
        applied_amount=requested,
        applied_on=applied_on,
        expenses=[
            LineInput(item, amount, detail)
            for (item, detail), amount in zip(items, planned, strict=True)
        ],
        incomes=[LineInput("参加費", fee, "サロン・行事の参加費")],
    )
    if ORDER.index(target) < ORDER.index(GrantState.DECIDED):
        return 1
    decided = requested if exception else min(requested, CAP)
    grant = decide_grant(
        by=admin,
        grant=grant,
        expected_version=grant.version,
        amount=decided,
        decided_on=decided_on,
        exception_reason=exception[3] if exception else "",
    )
    if ORDER.index(target) < ORDER.index(GrantState.PAID):
        return 1
    grant = pay_grant(
        by=admin, grant=grant, expected_version=grant.version, amount=decided, paid_on=paid_on
    )
    if ORDER.index(target) < ORDER.index(GrantState.REPORTED):
        return 1
    income = fee - rng.choice([0, 5_000, 10_000])
    unused = rng.choice([0, 0, 8_500, 15_200, 31_000])
    if story == 2020:
        unused = rng.choice([62_000, 95_400, 120_000])  # salons cancelled in COVID
    spent = decided + income - unused
    actual = _split(spent, len(items), rng)
    grant = report_expenses(
        by=staff,
        grant=grant,
        expected_version=grant.version,
        expenses=[LineInput(item, amount) for (item, _), amount in zip(items, actual, strict=True)],
        incomes=[LineInput("参加費", income)],
        reported_on=reported_on,
    )
    if ORDER.index(target) < ORDER.index(GrantState.SETTLED):
        return 1
    settle_grant(
        by=admin,
        grant=grant,
        expected_version=grant.version,
        returned_amount=unused,
        settled_on=settled_on,
    )
    return 1


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` yen in `parts` amounts of whole hundreds (the last takes the rest)."""
    weights = [rng.randint(2, 9) for _ in range(parts)]
    amounts = [total * w // sum(weights) // 100 * 100 for w in weights[:-1]]
    return [*amounts, total - sum(amounts)]


def _fundraising(by: User, years: DemoYears) -> int:
    ensure_fundraising_lists()
    drives = {d.name: d for d in FundraisingDrive.objects.all()}
    methods = {m.name: m for m in FundraisingMethod.objects.all()}
    red, year_end = drives.get("赤い羽根共同募金"), drives.get("歳末たすけあい募金")
    if red is None or year_end is None:
        return 0
    cells = 0
    for index, story in enumerate(FUNDRAISING_YEARS):
        fiscal_year = years.year(story)
        if FundraisingTotal.objects.filter(fiscal_year=fiscal_year).exists():
            continue
        amounts: dict[tuple[int, int], int | str | None] = {}
        for name, figures in FUNDRAISING.items():
            method = methods.get(name)
            total = figures[index]
            if method is None or total is None:
                continue
            share = YEAR_END_SHARE.get(name, 0.0)
            later = int(total * share) // 1000 * 1000
            amounts[(red.pk, method.pk)] = total - later
            if later:
                amounts[(year_end.pk, method.pk)] = later
        cells += save_fundraising_year(by=by, fiscal_year=fiscal_year, amounts=amounts)
    return cells
