"""A small council with one real object of every kind the URLs take, for the tests that
ask every URL and every rule as every role: an administrator, the staff member assigned
to a case (who wrote its records), another staff member, a read-only account."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.cases.conftest import case_values, make_lists
from tests.volunteers.conftest import TODAY as VOLUNTEER_TODAY
from tests.volunteers.conftest import make_year, register
from tests.volunteers.test_services import offer_values
from tsunagu.accounts.models import Role, User
from tsunagu.api.services import issue_token
from tsunagu.cases.models import NeedKind
from tsunagu.cases.needs import ensure_need_kinds
from tsunagu.cases.referrals import refer_from_case
from tsunagu.cases.services import add_follow_up, create_case, record_ask, record_match
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region, Zone
from tsunagu.grants.services.lifecycle import LineInput, apply_grant
from tsunagu.grants.services.programme import SourceInput, save_programme
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.plans.models import PlanTarget
from tsunagu.plans.services import GoalData, InitiativeData, PlanData, create_plan
from tsunagu.records.models import ActivityKind, Category, ConsulterType, SupportRecord
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.volunteers.defaults import ensure_defaults
from tsunagu.volunteers.models import InsurancePlan, RequestStatus
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import record_match as match_volunteer
from tsunagu.volunteers.services.offers import record_offer
from tsunagu.volunteers.services.registrations import enrol_insurance

ROLES = ("admin", "assigned", "other", "viewer")
CASE_NOTE_WORD = "Tさん"  # the case's pseudonym, written in its referral record's note


@dataclass
class World:
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)
    fiscal_year: int = 0

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


def _user(username: str, role: Role, family: str) -> User:
    return User.objects.create_user(
        username=username, password=None, role=role, last_name=family, first_name="太郎"
    )


def _record(by: User, kind: ActivityKind, ctype: ConsulterType, cat: Category, note: str) -> Any:
    return create_record(
        by=by,
        data=RecordData(
            values={
                "date": timezone.localdate(),
                "staff": by,
                "activity_kind": kind,
                "place": "phone",
                "consulter_type": ctype,
                "note": note,
            },
            categories=[cat],
        ),
    )


def build_world() -> World:
    today = timezone.localdate()
    fy = fiscal_year_of(today)
    users = {
        "admin": _user("w-kanri", Role.ADMIN, "管理"),
        "assigned": _user("w-tanto", Role.STAFF, "担当"),
        "other": _user("w-hoka", Role.STAFF, "他所"),
        "viewer": _user("w-etsuran", Role.VIEWER, "閲覧"),
    }
    admin, assigned, other = users["admin"], users["assigned"], users["other"]
    east = Zone.objects.create(name="東部圏域", staff=assigned, order=1)
    west = Zone.objects.create(name="西部圏域", order=2)
    honcho = Region.objects.create(name="本町地域社協", zone=east, order=1)
    kyonan = Region.objects.create(name="境南地域社協", zone=west, order=2)
    salon = GroupKind.objects.create(name="サロン", order=1)
    group = ActivityGroup.objects.create(
        name="サロンひだまり", kind=salon, zone=east, region=honcho
    )
    houkatsu = Agency.objects.create(
        name="みどり台地域包括支援センター",
        group=AgencyGroup.objects.create(name="在宅介護・地域包括支援センター", order=1),
    )
    make_lists(fy - 1)
    lists = make_lists(fy)
    ensure_need_kinds()
    need = NeedKind.objects.get(name="買い物支援")

    case = create_case(
        by=assigned,
        values=case_values({"east": east, "honcho": honcho}, today - timedelta(days=30)),
        needs=[need],
        staff=[assigned],
        today=today,
    )
    ask = record_ask(by=assigned, case=case, group=group, asked_on=today - timedelta(days=20))
    case_match = record_match(
        by=assigned,
        case=case,
        group=group,
        frequency="月2回",
        started_on=today - timedelta(days=10),
    )
    follow_up = add_follow_up(by=assigned, case=case, due_on=today, what="様子を聞く")
    referral = refer_from_case(
        by=assigned,
        case=case,
        agency=houkatsu,
        referred_on=today - timedelta(days=5),
        request="ケアプランの相談",
        consent_basis="consent",
    )
    assert referral.record is not None and CASE_NOTE_WORD in referral.record.note

    kind = lists["kind:相談対応"]
    ctype = ConsulterType.objects.get(name="ニーズを抱えている個人")
    category = lists["cat:近況報告など"]
    others_record = _record(other, kind, ctype, category, "ほかの職員の相談メモ")
    own_record = _record(assigned, kind, ctype, category, "担当の相談メモ")
    deleted_own = _record(assigned, kind, ctype, category, "担当が削除したメモ")
    delete_record(by=assigned, record=deleted_own)
    deleted_other = _record(other, kind, ctype, category, "ほかの職員が削除したメモ")
    delete_record(by=other, record=deleted_other)
    deleted_case = _record(assigned, kind, ctype, category, "個別支援の削除したメモ")
    case.records.add(deleted_case)
    delete_record(by=assigned, record=deleted_case)

    programme = save_programme(
        by=admin,
        fiscal_year=fy,
        cap=300_000,
        sources=[SourceInput("歳末たすけあい地域福祉活動募金", 1_000_000)],
    )
    grant = apply_grant(
        by=assigned,
        programme=programme,
        region=honcho,
        plan="高齢者サロン（月1回）",
        applied_amount=200_000,
        applied_on=today,
        expenses=[LineInput("会場費", 200_000, "サロンの会場")],
    )

    target = PlanTarget.objects.create(name="高齢者", order=1)
    plan = create_plan(
        by=admin,
        data=PlanData(
            region=honcho,
            start_year=fy - 1,
            end_year=fy + 3,
            slogans=["笑顔あふれる本町"],
            goals=[GoalData("集える場をつくる", targets=[target])],
            initiatives=[InitiativeData("防災を軸にした支え合い", ["合同防災訓練"])],
        ),
    )

    ensure_defaults()
    make_year(fiscal_year_of(VOLUNTEER_TODAY))
    volunteer = register(assigned)
    enrolment = enrol_insurance(
        by=assigned,
        volunteer=volunteer,
        plan=InsurancePlan.objects.order_by("id").first(),  # type: ignore[arg-type]
        fiscal_year=fy,
        enrolled_on=today,
        insured_count=1,
    )
    offer = record_offer(
        by=assigned,
        values=offer_values(),
        place="phone",
        today=VOLUNTEER_TODAY,
    )
    help_request = save_help_request(
        by=assigned,
        values={
            "group": group,
            "requested_on": today - timedelta(days=3),
            "title": "サロンの話し相手",
            "people_needed": 2,
            "status": RequestStatus.OPEN,
        },
        skills=[],
    )
    volunteer_match = match_volunteer(
        by=assigned,
        help_request=help_request,
        volunteer=volunteer,
        frequency="月1回",
        started_on=today - timedelta(days=2),
    )
    api_token = issue_token(
        by=admin,
        user=other,
        name="市の集計",
        scope="read",
        expires_at=timezone.now() + timedelta(days=30),
    ).token
    return World(
        users=users,
        fiscal_year=fy,
        objects={
            "case": case,
            "ask": ask,
            "case_match": case_match,
            "follow_up": follow_up,
            "referral": referral,
            "need": need,
            "case_record": SupportRecord.objects.get(pk=referral.record_id),
            "others_record": others_record,
            "own_record": own_record,
            "deleted_own": deleted_own,
            "deleted_other": deleted_other,
            "deleted_case": deleted_case,
            "kind": kind,
            "consulter_type": ctype,
            "grant": grant,
            "free_region": kyonan,
            "region": honcho,
            "group": group,
            "plan": plan,
            "target": target,
            "volunteer": volunteer,
            "enrolment": enrolment,
            "offer": offer,
            "help_request": help_request,
            "volunteer_match": volunteer_match,
            "account": other,
            "api_token": api_token,
        },
    )
