"""The demo council's individual support cases: the three real-shaped examples of
docs/domain.md 「つなぐ」, with their asks, matches, referrals and follow-ups, dated relative to
today so that the home page has something to show. Pseudonyms only, all invented; every
step goes through the services as the assigned staff member would have done it."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.cases.models import AgeBand, AskAnswer, Case, ConsentBasis, ConsentPurpose, NeedKind
from tsunagu.cases.needs import ensure_need_kinds, link_defaults
from tsunagu.cases.referrals import (
    consultation_kind,
    default_referral_category,
    individual_type,
    refer_from_case,
    referral_categories,
    update_referral,
)
from tsunagu.cases.services import (
    add_follow_up,
    answer_ask,
    create_case,
    link_record,
    record_ask,
    record_match,
)
from tsunagu.demo.years import DemoYears
from tsunagu.directory.models import ActivityGroup, Agency, Region
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import Place, SupportRecord
from tsunagu.records.services import RecordData, create_record


@dataclass(frozen=True)
class Ask:
    group: str
    days_ago: int
    occasion: str
    request: str
    answer: str = AskAnswer.PENDING
    answered_days_ago: int = 0
    answer_note: str = ""


@dataclass(frozen=True)
class Helper:
    group: str
    need: str
    frequency: str
    days_ago: int
    note: str
    review_in_days: int | None = None


@dataclass(frozen=True)
class Step:
    status: str
    days_ago: int
    note: str


@dataclass(frozen=True)
class Referral:
    agency: str
    days_ago: int
    basis: str
    request: str
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class DemoCase:
    pseudonym: str
    staff: str
    region: str
    age_band: str
    needs: tuple[str, ...]
    when_needed: str
    summary: str
    opened_days_ago: int
    consent_by: str
    asks: tuple[Ask, ...] = ()
    helpers: tuple[Helper, ...] = ()
    referrals: tuple[Referral, ...] = ()
    follow_ups: tuple[tuple[int, str], ...] = field(default=())  # (days from today, what)


CASES = (
    DemoCase(
        pseudonym="T・Hさん",
        staff="takahashi",
        region="境南地域社協",
        age_band=AgeBand.SEVENTIES,
        needs=("買い物支援",),
        when_needed="火曜の午前",
        summary="視覚障害があり要支援2の認定。一人暮らし。近くのスーパーへの買い物に、月2回ほど付き添いがほしい。地域包括支援センターのケアマネジャーから相談。",
        opened_days_ago=150,
        consent_by="本人",
        asks=(
            Ask(
                "買い物サポート あゆみ",
                140,
                "定例会",
                "視覚障害のある方の買い物の付き添い（月2回・火曜午前）をお願いできるか。",
                AskAnswer.ACCEPTED,
                130,
                "会員2人で交代して付き添える。初回は社協職員も同行してほしい。",
            ),
        ),
        helpers=(
            Helper(
                "買い物サポート あゆみ",
                "買い物支援",
                "月2回（第1・第3火曜の午前）",
                120,
                "スーパーまで歩いて付き添い、商品を読み上げて一緒に選ぶ。",
                review_in_days=-3,
            ),
        ),
        referrals=(
            Referral(
                "ひばり野在宅介護・地域包括支援センター",
                145,
                ConsentBasis.CONSENT,
                "ケアプランに買い物の付き添いを位置づけられるか、担当ケアマネジャーと相談したい。",
                (
                    Step("accepted", 140, "担当ケアマネジャーが受けてくれた。"),
                    Step(
                        "done", 100, "担当者会議で共有し、ケアプランに地域の支えとして記載された。"
                    ),
                ),
            ),
        ),
        follow_ups=((20, "あゆみの会員と本人に、付き添いの様子を聞く"),),
    ),
    DemoCase(
        pseudonym="Yさん親子",
        staff="suzuki",
        region="中町地域社協",
        age_band=AgeBand.ELEMENTARY,
        needs=("子どもの遊び相手・学習支援", "話し相手"),
        when_needed="水曜の午後",
        summary="小学4年生の子が学校に行けていない。子どもには一緒に遊べる相手を、母親には気軽に話せる相手をつくりたい。",
        opened_days_ago=95,
        consent_by="母親",
        asks=(
            Ask(
                "中町こども食堂 にこにこ",
                90,
                "運営会議",
                "学校に行けていない子が、食堂の時間に来て遊べるようにできるか。",
                AskAnswer.ACCEPTED,
                80,
                "大学生ボランティアが遊び相手になれる。開店前の準備から手伝ってもらってもよい。",
            ),
            Ask(
                "傾聴ボランティア こころ",
                88,
                "定例会",
                "子育てに悩む母親の話し相手になってもらえないか。",
                AskAnswer.ACCEPTED,
                70,
                "月2回、こども食堂の時間に合わせて会員が話を聞く。",
            ),
        ),
        helpers=(
            Helper(
                "中町こども食堂 にこにこ",
                "子どもの遊び相手・学習支援",
                "月1回（第2水曜の夕方）",
                75,
                "開店準備を手伝い、大学生ボランティアと遊ぶ。",
                review_in_days=30,
            ),
            Helper(
                "傾聴ボランティア こころ",
                "話し相手",
                "月2回",
                60,
                "母親の話し相手。こども食堂の時間に合わせて。",
                review_in_days=45,
            ),
        ),
        referrals=(
            Referral(
                "教育支援課",
                85,
                ConsentBasis.MEETING,
                "学校と家庭の状況を共有し、登校以外の学びの場について相談したい（支援会議で検討）。",
                (
                    Step("accepted", 80, "担当指導主事が受けた。"),
                    Step("in_progress", 40, "適応指導教室の見学を調整中。"),
                ),
            ),
        ),
        follow_ups=((14, "こども食堂での子どもの様子を確認する"),),
    ),
    DemoCase(
        pseudonym="S・Kさん",
        staff="sato",
        region="本町地域社協",
        age_band=AgeBand.TWENTIES,
        needs=("見守り",),
        when_needed="平日の午前",
        summary="20代の男性。知的障害があり、毎朝ひとりで歩いて通所先へ向かう。交通量の多い交差点が心配と家族から相談。",
        opened_days_ago=55,
        consent_by="本人と父親",
        asks=(
            Ask(
                "本町一丁目の会",
                50,
                "定例会",
                "朝の通所の時間に、通り道で見守ってもらえないか。",
                AskAnswer.ACCEPTED,
                35,
                "朝の散歩やごみ出しのついでに、交差点付近で声をかける。",
            ),
        ),
        helpers=(
            Helper(
                "本町一丁目の会",
                "見守り",
                "平日の朝（8時ごろ）",
                30,
                "交差点付近で声かけ。気づいたことは社協に連絡。",
                review_in_days=60,
            ),
        ),
        referrals=(
            Referral(
                "障害者福祉課",
                45,
                ConsentBasis.CONSENT,
                "相談支援専門員と、地域の見守りについて情報を共有したい。",
                (Step("accepted", 44, "相談支援専門員につないでもらえた。"),),
            ),
        ),
        follow_ups=((-2, "一丁目の会に朝の見守りの様子を確認する"),),
    ),
)


def load_demo(*, by: User, today: date | None = None, years: DemoYears | None = None) -> str:
    today = today or (years.today if years else timezone.localdate())
    if Case.objects.filter(pseudonym__in=[c.pseudonym for c in CASES]).exists():
        return "個別支援：読み込み済みのため追加していません"
    users = {u.username: u for u in User.objects.filter(username__in={c.staff for c in CASES})}
    if len(users) < len({c.staff for c in CASES}) or not ActivityGroup.objects.exists():
        return "個別支援：デモのマスタがないため読み込みませんでした"
    with transaction.atomic():
        ensure_need_kinds()
        link_defaults()
        counts = [0, 0, 0, 0]
        for demo in CASES:
            case = _load_case(demo, users[demo.staff], today)
            counts[0] += 1
            counts[1] += case.asks.count()
            counts[2] += case.matches.count()
            counts[3] += case.referrals.count()
        log_action(by=by, action="cases.demo_loaded", changes={"cases": counts[0]})
    return (
        f"個別支援 {counts[0]}件（打診{counts[1]}件・マッチング{counts[2]}件・紹介{counts[3]}件）"
    )


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def _need(name: str) -> NeedKind:
    return NeedKind.objects.get(name_key=normalize(name))


def _group(name: str) -> ActivityGroup:
    return ActivityGroup.objects.get(name_key=normalize(name))


def _load_case(demo: DemoCase, staff: User, today: date) -> Case:
    region = Region.objects.get(name_key=normalize(demo.region))
    opened_on = _ago(today, demo.opened_days_ago)
    case = create_case(
        by=staff,
        values={
            "pseudonym": demo.pseudonym,
            "age_band": demo.age_band,
            "zone": region.zone,
            "region": region,
            "when_needed": demo.when_needed,
            "summary": demo.summary,
            "opened_on": opened_on,
            "consent_given_by": demo.consent_by,
            "consent_on": opened_on,
            "consent_purposes": [ConsentPurpose.GROUPS, ConsentPurpose.AGENCIES],
        },
        needs=[_need(n) for n in demo.needs],
        staff=[staff],
        today=today,
    )
    link_record(by=staff, case=case, record=_first_consultation(case, staff, opened_on, today))
    for ask in demo.asks:
        made = record_ask(
            by=staff,
            case=case,
            group=_group(ask.group),
            asked_on=_ago(today, ask.days_ago),
            occasion=ask.occasion,
            request=ask.request,
            today=today,
        )
        if ask.answer != AskAnswer.PENDING:
            answer_ask(
                by=staff,
                ask=made,
                answer=ask.answer,
                answered_on=_ago(today, ask.answered_days_ago),
                note=ask.answer_note,
                today=today,
            )
    for helper in demo.helpers:
        record_match(
            by=staff,
            case=case,
            group=_group(helper.group),
            need=_need(helper.need),
            frequency=helper.frequency,
            started_on=_ago(today, helper.days_ago),
            next_review_on=(
                today + timedelta(days=helper.review_in_days)
                if helper.review_in_days is not None
                else None
            ),
            note=helper.note,
            today=today,
        )
    for demo_referral in demo.referrals:
        referral = refer_from_case(
            by=staff,
            case=case,
            agency=Agency.objects.get(name_key=normalize(demo_referral.agency)),
            referred_on=_ago(today, demo_referral.days_ago),
            request=demo_referral.request,
            consent_basis=demo_referral.basis,
            today=today,
        )
        for step in demo_referral.steps:
            update_referral(
                by=staff,
                referral=referral,
                status=step.status,
                updated_on=_ago(today, step.days_ago),
                note=step.note,
                today=today,
            )
    for days, what in demo.follow_ups:
        add_follow_up(
            by=staff, case=case, due_on=today + timedelta(days=days), what=what, today=today
        )
    return case


def _first_consultation(case: Case, staff: User, on: date, today: date) -> SupportRecord:
    """The consultation in which the need was first heard: 「具体的な活動への紹介」."""
    fiscal_year = fiscal_year_of(on)
    categories = referral_categories(fiscal_year)
    category = next(
        (c for c in categories if normalize("具体的な活動") in c.name_key),
        default_referral_category(fiscal_year),
    )
    return create_record(
        by=staff,
        data=RecordData(
            values={
                "date": on,
                "staff": staff,
                "activity_kind": consultation_kind(fiscal_year),
                "place": Place.PHONE,
                "zone": case.zone,
                "region": case.region,
                "consulter_type": individual_type(),
                "consent": True,
                "note": f"個別支援 {case.number}（{case.pseudonym}）の受付",
            },
            categories=[category] if category else [],
        ),
        today=today,
    )
