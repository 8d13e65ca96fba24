"""The demo volunteer centre: registrations (invented people with obviously made-up
names, and a few groups), insurance, donation offers, groups' requests and matches.

Registrations and offers of 平成30年度〜令和2年度 are linked to the demo consultations
already written for those years (「ボランティアしたい」「寄付（寄贈）したい」), so the demo
report does not change; those of the current year create their records as staff would.
Running it again adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.demo.years import DemoYears, demo_years
from tsunagu.directory.models import ActivityGroup, Region, Zone
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_bounds
from tsunagu.lib.textnorm import normalize
from tsunagu.records.defaults import VOLUNTEER_TYPE
from tsunagu.records.models import Place, SupportRecord
from tsunagu.volunteers.availability import parse_availability, to_json
from tsunagu.volunteers.consultations import (
    DONATION_CATEGORY,
    REGISTRATION_CATEGORY,
)
from tsunagu.volunteers.defaults import ensure_defaults
from tsunagu.volunteers.matching import suggest_volunteers
from tsunagu.volunteers.models import (
    Condition,
    InsurancePlan,
    OfferStatus,
    Pickup,
    RequestStatus,
    Skill,
    Volunteer,
    VolunteerKind,
)
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import record_match
from tsunagu.volunteers.services.offers import record_offer
from tsunagu.volunteers.services.registrations import (
    VolunteerData,
    enrol_insurance,
    register_volunteer,
)

SEED = 2020
PAST_YEARS = (2018, 2019, 2020)
# Registrations and offers per past year: fewer than the demo consultations of each kind.
REGISTRATIONS_PER_YEAR = {2018: 6, 2019: 5, 2020: 6}
OFFERS_PER_YEAR = {2018: 5, 2019: 6, 2020: 8}
CURRENT_OFFERS = 6

# Made-up family names that no one would take for a real person's (見本 = "sample").
FAMILY = [
    ("見本", "ミホン"),
    ("仮野", "カリノ"),
    ("例田", "レイダ"),
    ("試野", "タメシノ"),
    ("架空", "カクウ"),
    ("模擬", "モギ"),
    ("仮住", "カリズミ"),
    ("見立", "ミタテ"),
    ("例川", "レイカワ"),
    ("試川", "タメシカワ"),
]
GIVEN = [
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("美咲", "ミサキ"),
    ("健太", "ケンタ"),
    ("陽子", "ヨウコ"),
    ("誠", "マコト"),
    ("由美", "ユミ"),
    ("翔", "ショウ"),
    ("恵子", "ケイコ"),
    ("修", "オサム"),
    ("さくら", "サクラ"),
    ("大輔", "ダイスケ"),
    ("和子", "カズコ"),
    ("浩二", "コウジ"),
    ("結衣", "ユイ"),
]
PEOPLE = 30
GROUPS = [
    ("デモ傾聴グループ こもれび", "デモケイチョウグループ コモレビ", 8, ["傾聴", "話し相手"]),
    ("デモ大学ボランティアサークル", "デモダイガクボランティアサークル", 15, ["子どもの遊び相手"]),
    ("デモ朗読の会 ひびき", "デモロウドクノカイ ヒビキ", 6, ["朗読"]),
]
AVAILABILITY = [
    "火・木の午前",
    "平日午後",
    "土日",
    "月水金の午前",
    "水曜午後",
    "毎日夜",
    "火曜午前、金曜夜",
    "土曜終日",
    "月・火の午後",
    "金曜の午前と午後",
]
SKILL_SETS = [
    ["見守り", "話し相手"],
    ["買い物支援"],
    ["子どもの遊び相手"],
    ["通院付き添い", "送迎"],
    ["傾聴", "話し相手"],
    ["朗読"],
    ["調理", "行事の手伝い"],
    ["見守り", "買い物支援", "送迎"],
    ["パソコン・スマホ"],
    ["清掃・片付け", "行事の手伝い"],
]
ITEMS = [
    ("未使用のタオル", "段ボール2箱", Condition.UNUSED),
    ("お米", "30kg", Condition.NEW),
    ("車いす", "1台", Condition.GOOD),
    ("子ども服", "1箱", Condition.GOOD),
    ("文房具", "一式", Condition.NEW),
    ("絵本", "40冊", Condition.USED),
    ("食器", "2箱", Condition.UNUSED),
    ("レトルト食品", "3箱", Condition.NEW),
    ("ベビーカー", "1台", Condition.USED),
    ("毛糸", "1袋", Condition.UNUSED),
]
# group, title, skills, availability, people needed, place
REQUESTS = [
    (
        "いきいきサロンひだまり",
        "サロンの会場準備と参加者の話し相手",
        ["話し相手", "行事の手伝い"],
        "火曜午後",
        2,
        "一小地区コミュニティセンター",
    ),
    (
        "みどり台こども食堂",
        "調理と配膳、食後の子どもの遊び相手",
        ["調理", "子どもの遊び相手"],
        "金曜夜",
        3,
        "みどり台会館",
    ),
    (
        "テンミリオンハウス花の家",
        "利用者への朗読と傾聴",
        ["朗読", "傾聴"],
        "平日午前",
        1,
        "テンミリオンハウス花の家",
    ),
    (
        "境南いきいきサロン",
        "参加者の送迎と見守り",
        ["送迎", "見守り"],
        "木曜午後",
        2,
        "境南コミュニティセンター",
    ),
    (
        "ひまわりフードパントリー",
        "食品の仕分けと配布の手伝い",
        ["行事の手伝い"],
        "土曜午前",
        4,
        "二小地区集会所",
    ),
]
FREQUENCIES = ["月2回", "毎週", "月1回"]


@dataclass
class _Counts:
    volunteers: int = 0
    offers: int = 0
    linked: int = 0
    enrolments: int = 0
    requests: int = 0
    matches: int = 0


def load_demo(*, by: User, years: DemoYears | None = None) -> str:
    """Load the demo volunteer centre once. Returns a one-line summary in Japanese."""
    years = years or demo_years()
    ensure_defaults()
    if Volunteer.objects.filter(name_key=normalize(_person_name(0))).exists():
        return f"ボランティアセンター：読み込み済み（登録 {Volunteer.objects.count()}件）"
    if not Region.objects.exists():
        return "ボランティアセンター：地域社協がないため読み込みませんでした"
    rng = random.Random(SEED)  # noqa: S311 - demo data, not a secret
    today = years.today
    counts = _Counts()
    skipped: list[str] = []
    with transaction.atomic():
        volunteers = _registrations(by, rng, years, counts, skipped)
        _insurance(by, volunteers, years, counts)
        _offers(by, rng, years, counts, skipped)
        _requests(by, today, counts)
        log_action(
            by=by,
            action="volunteers.demo_loaded",
            label="デモ用のボランティアセンター",
            changes={
                "登録": counts.volunteers,
                "寄付・寄贈": counts.offers,
                "保険加入": counts.enrolments,
                "募集": counts.requests,
                "マッチング": counts.matches,
            },
        )
    note = f"（{'、'.join(dict.fromkeys(skipped))}）" if skipped else ""
    return (
        f"ボランティアセンター：登録 {counts.volunteers}件、寄付・寄贈 {counts.offers}件"
        f"（登録と寄付のうち既存の相談記録に結び付け {counts.linked}件）、保険加入 {counts.enrolments}件、"
        f"募集 {counts.requests}件、マッチング {counts.matches}件{note}"
    )


def _person_name(i: int) -> str:
    family, _ = FAMILY[i % len(FAMILY)]
    given, _ = GIVEN[(i * 7) % len(GIVEN)]
    return f"{family} {given}"


def _linkable(category_code: str, fiscal_year: int, related_name: str) -> list[SupportRecord]:
    return list(
        SupportRecord.objects.alive()
        .in_fiscal_year(fiscal_year)
        .filter(
            consulter_type__code=VOLUNTEER_TYPE,
            categories__code=category_code,
            **{f"{related_name}__isnull": True},
        )
        .distinct()
        .order_by("date", "id")
    )


def _current_dates(rng: random.Random, today: date, n: int) -> list[date]:
    start, _ = fiscal_year_bounds(current_fiscal_year(today))
    span = max((today - start).days, 0)
    return sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(n))


def _plan(rng: random.Random, years: DemoYears) -> list[tuple[int | None, date | None]]:
    """(demo year to link in, or None for the current year; its date when current)."""
    today = years.today
    slots: list[tuple[int | None, date | None]] = [
        (years.year(story), None)
        for story in PAST_YEARS
        for _ in range(REGISTRATIONS_PER_YEAR[story])
    ]
    current = PEOPLE + len(GROUPS) - len(slots)
    slots += [(None, d) for d in _current_dates(rng, today, current)]
    return slots


def _registrations(
    by: User, rng: random.Random, years: DemoYears, counts: _Counts, skipped: list[str]
) -> list[Volunteer]:
    today = years.today
    skills = {s.name: s for s in Skill.objects.all()}
    regions = list(Region.objects.active().select_related("zone"))
    zones = list(Zone.objects.active())
    records = {
        fy: _linkable(REGISTRATION_CATEGORY, fy, "volunteer_registration")
        for fy in map(years.year, PAST_YEARS)
    }
    volunteers = []
    for i, (past_year, day) in enumerate(_plan(rng, years)):
        record = None
        if past_year is not None:
            if not records[past_year]:
                skipped.append("過去の年度の相談記録がない分は省略")
                continue
            record = records[past_year].pop(rng.randrange(len(records[past_year])))
            day = record.date
        assert day is not None
        if i < PEOPLE:
            family, family_kana = FAMILY[i % len(FAMILY)]
            given, given_kana = GIVEN[(i * 7) % len(GIVEN)]
            values = {
                "kind": VolunteerKind.PERSON,
                "family_name": family,
                "given_name": given,
                "family_name_kana": family_kana,
                "given_name_kana": given_kana,
                "birth_year": rng.randint(1945, 2003),
            }
            # Shifted by the tens so that people of one family name do not all match.
            skill_names = SKILL_SETS[(i + 3 * (i // 10)) % len(SKILL_SETS)]
        else:
            name, kana, members, skill_names = GROUPS[i - PEOPLE]
            values = {
                "kind": VolunteerKind.GROUP,
                "group_name": name,
                "group_name_kana": kana,
                "member_count": members,
            }
        region_choice = rng.sample(regions, k=1 + (i % 3 == 0))
        values |= {
            "availability": to_json(
                parse_availability(AVAILABILITY[(i + 7 * (i // 10)) % len(AVAILABILITY)])
            ),
            "contact": f"090-0000-{i:04d}（デモ）",
            "consent_to_introduce": i % 9 != 4,
            "active": i % 11 != 7,
            "registered_on": day,
            "note": "デモ用の架空の登録です。",
        }
        data = VolunteerData(
            values=values,
            skills=[skills[n] for n in skill_names if n in skills],
            regions=region_choice,
            zones=[rng.choice(zones)] if i % 5 == 0 and zones else [],
        )
        try:
            volunteer = register_volunteer(
                by=by,
                data=data,
                place=record.place if record else rng.choice([Place.OFFICE, Place.PHONE]),
                record=record,
                allow_duplicate=True,
                today=today,
            )
        except ValidationError:
            # The current year's lists lack the category: nothing to count it under.
            skipped.append("今年度の分類がない分は省略")
            continue
        counts.volunteers += 1
        counts.linked += record is not None
        volunteers.append(volunteer)
    return volunteers


def _insurance(by: User, volunteers: list[Volunteer], years: DemoYears, counts: _Counts) -> None:
    plans = list(InsurancePlan.objects.active())
    if not plans:
        return
    today = years.today
    current = current_fiscal_year(today)
    last, last_end = years.last, fiscal_year_bounds(years.last)[1]
    for i, volunteer in enumerate(volunteers):
        enrolled = [last, current] if volunteer.registered_on <= last_end else [current]
        for fy in dict.fromkeys(enrolled):
            # Some have not renewed yet this year (and those who paused never do).
            if fy == current and (not volunteer.active or i % 4 == 3):
                continue
            start, _ = fiscal_year_bounds(fy)
            enrolled_on = max(start, volunteer.registered_on)
            if enrolled_on > today:
                continue
            enrol_insurance(
                by=by,
                volunteer=volunteer,
                plan=plans[1 if i % 5 == 2 and len(plans) > 1 else 0],
                fiscal_year=fy,
                enrolled_on=enrolled_on,
                insured_count=volunteer.member_count or 1,
            )
            counts.enrolments += 1


def _offers(
    by: User, rng: random.Random, years: DemoYears, counts: _Counts, skipped: list[str]
) -> None:
    today = years.today
    recipients = list(
        ActivityGroup.objects.filter(
            kind__name__in=["子ども食堂", "フードパントリー", "テンミリオンハウス", "居場所"]
        )
    )
    n = 0
    plan: list[tuple[SupportRecord | None, date]] = []
    for story in PAST_YEARS:
        records = _linkable(DONATION_CATEGORY, years.year(story), "donation_offer")
        if len(records) < OFFERS_PER_YEAR[story]:
            skipped.append("過去の年度の相談記録がない分は省略")
        for past in rng.sample(records, k=min(OFFERS_PER_YEAR[story], len(records))):
            plan.append((past, past.date))
    plan += [(None, d) for d in _current_dates(rng, today, CURRENT_OFFERS)]
    for record, day in plan:
        item, quantity, condition = ITEMS[n % len(ITEMS)]
        n += 1
        given = record is not None or n % 3 == 0
        declined = record is not None and n % 7 == 0
        recipient = rng.choice(recipients) if recipients and given and not declined else None
        values = {
            "offered_on": day,
            "item": item,
            "quantity": quantity,
            "condition": condition,
            "donor_name": "" if n % 4 == 0 else f"{FAMILY[n % len(FAMILY)][0]}様（デモ）",
            "contact": "" if n % 4 == 0 else f"03-0000-{n:04d}（デモ）",
            "pickup": [Pickup.BRING, Pickup.COLLECT, Pickup.DIRECT][n % 3],
            "pickup_note": "",
            "status": (
                OfferStatus.DECLINED
                if declined
                else OfferStatus.GIVEN
                if recipient is not None
                else OfferStatus.ARRANGING
                if n % 2
                else OfferStatus.RECEIVED
            ),
            "recipient_group": recipient,
            "recipient_case_id": None,
            "recipient_note": "",
            "given_on": min(day + timedelta(days=7), today) if recipient is not None else None,
            "note": "デモ用の架空の申し出です。",
        }
        try:
            record_offer(
                by=by,
                values=values,
                place=record.place if record else Place.PHONE,
                record=record,
                today=today,
            )
        except ValidationError:
            skipped.append("今年度の分類がない分は省略")
            continue
        counts.offers += 1
        counts.linked += record is not None


def _requests(by: User, today: date, counts: _Counts) -> None:
    groups = {g.name: g for g in ActivityGroup.objects.select_related("region", "zone")}
    skills = {s.name: s for s in Skill.objects.all()}
    start, _ = fiscal_year_bounds(current_fiscal_year(today))
    for i, (group_name, title, skill_names, when, people, place) in enumerate(REQUESTS):
        group = groups.get(group_name)
        if group is None:
            continue
        requested_on = min(start + timedelta(days=10 * i), today)
        help_request = save_help_request(
            by=by,
            values={
                "group": group,
                "requested_on": requested_on,
                "title": title,
                "description": "",
                "schedule": group.schedule,
                "availability": to_json(parse_availability(when)),
                "starts_on": None,
                "ends_on": None,
                "place": place,
                "people_needed": people,
                "status": RequestStatus.OPEN,
            },
            skills=[skills[n] for n in skill_names if n in skills],
        )
        counts.requests += 1
        if i >= 3:
            continue  # left open, for the matching screen to show
        suggestions = suggest_volunteers(
            skills=skill_names,
            region=group.region,
            zone=group.zone,
            available=help_request.slots,
            limit=2,
            today=today,
        )
        for j, suggestion in enumerate(suggestions[: 1 + (i == 1)]):
            started_on = requested_on + timedelta(days=14)
            if started_on > today:
                started_on = today
            record_match(
                by=by,
                help_request=help_request,
                volunteer=suggestion.volunteer,
                frequency=FREQUENCIES[(i + j) % len(FREQUENCIES)],
                started_on=started_on,
                # One review falls due today so the home page shows it.
                next_review_on=today if i == 0 else today + timedelta(days=30 * (i + j + 1)),
                reasons=suggestion.reason_text,
                today=today,
            )
            counts.matches += 1
