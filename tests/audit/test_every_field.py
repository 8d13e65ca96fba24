"""Generated from the declarations: for every audited model that has an edit service,
changing any one editable field through that service writes exactly one audit row that
names the field in Japanese, with personal values masked."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from tests.cases.conftest import case_values, make_lists
from tests.conftest import make_user
from tests.plans.conftest import plan_data
from tests.volunteers.conftest import TODAY, make_year, person
from tests.volunteers.test_services import offer_values
from tsunagu.accounts.models import Role
from tsunagu.audit.descriptions import describe_changes
from tsunagu.audit.models import AuditEntry
from tsunagu.audit.registry import declarations
from tsunagu.audit.services import MASK
from tsunagu.cases.models import ConsentPurpose, NeedKind
from tsunagu.cases.needs import ensure_need_kinds
from tsunagu.cases.services import CASE_FIELDS, create_case, update_case
from tsunagu.directory import forms as directory_forms
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region
from tsunagu.directory.services import save_entry
from tsunagu.grants.services.lifecycle import LineInput, apply_grant, update_application
from tsunagu.grants.services.programme import SourceInput, save_programme
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.plans.services import InitiativeData, create_plan, update_plan
from tsunagu.records.models import ActivityKind, ConsulterType, ReportStyle
from tsunagu.records.services import SCALAR_FIELDS, RecordData, create_record, update_record
from tsunagu.volunteers.availability import parse_availability, to_json
from tsunagu.volunteers.defaults import ensure_defaults
from tsunagu.volunteers.services.help_requests import REQUEST_FIELDS, save_help_request
from tsunagu.volunteers.services.offers import record_offer, update_offer
from tsunagu.volunteers.services.registrations import (
    VOLUNTEER_FIELDS,
    VolunteerData,
    register_volunteer,
    update_volunteer,
)

World = SimpleNamespace
Value = Callable[[World, Any], Any]

# Set by the system, or by another service than the edit (which writes its own row).
SYSTEM = {
    "created_by": "登録者は作成時に決まります。",
    "version": "版は保存のたびに進みます（二重保存の防止、core/concurrency.py）。",
}


@dataclass
class Editor:
    """How to make one row of a model and change one of its fields through its service."""

    action: str
    make: Callable[[World], models.Model]
    edit: Callable[[World, Any, dict[str, Any]], None]  # (world, row, {field: new, ...})
    not_edited: dict[str, str]  # fields this service does not set, and why
    values: dict[str, Value] = field(default_factory=dict)  # a valid new value
    along: dict[str, dict[str, Any]] = field(default_factory=dict)  # must change with it
    keys: dict[str, str] = field(default_factory=dict)  # logged under another key


# --- cases ------------------------------------------------------------------------------


def make_case(world: World) -> Any:
    values = case_values(
        world.city,
        world.today - timedelta(days=30),
        family_name="見本",
        given_name="花子",
        family_name_kana="ミホン",
        given_name_kana="ハナコ",
        contact="090-1234-5678",
        birth_year=1950,
        consent_given_by="本人",
        consent_on=world.today - timedelta(days=30),
        consent_purposes=[ConsentPurpose.RECORD],
    )
    return create_case(
        by=world.staff,
        values=values,
        needs=[world.need],
        staff=[world.staff],
        today=world.today,
        not_duplicate=True,
    )


def edit_case(world: World, case: Any, new: dict[str, Any]) -> None:
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    update_case(
        by=world.staff,
        case=case,
        values={**values, **new},
        needs=list(case.needs.all()),
        staff=list(case.staff.all()),
        not_duplicate=True,
        today=world.today,
        expected_version=case.version,
    )


CASE = Editor(
    action="cases.case.updated",
    make=make_case,
    edit=edit_case,
    not_edited={
        **SYSTEM,
        "status": "状況は change_status が変え、cases.case.status_changed を残します。",
        "closed_on": "終了日は change_status が決めます。",
        "close_reason": "終了の理由は change_status が決めます。",
        "anonymised_at": "匿名化は retention が行い、cases.case.anonymised を残します。",
    },
    values={
        "when_needed": lambda w, old: "水曜の午後",
        "consent_purposes": lambda w, old: [*old, ConsentPurpose.GROUPS],
        "region": lambda w, old: w.city["kyonan"],
        "zone": lambda w, old: w.city["west"],
    },
    # A zone is taken from the region when there is one.
    along={"zone": {"region": None}},
)


# --- volunteers ---------------------------------------------------------------------------


def make_volunteer(world: World) -> Any:
    return register_volunteer(
        by=world.staff,
        data=VolunteerData(values=person(note="腰痛あり")),
        place="office",
        allow_duplicate=True,
        today=TODAY,
    )


def edit_volunteer(world: World, volunteer: Any, new: dict[str, Any]) -> None:
    values = {name: getattr(volunteer, name) for name in VOLUNTEER_FIELDS}
    update_volunteer(
        by=world.staff,
        volunteer=volunteer,
        data=VolunteerData(values={**values, **new}),
        allow_duplicate=True,
        today=TODAY,
        expected_version=volunteer.version,
    )


VOLUNTEER = Editor(
    action="volunteers.volunteer.updated",
    make=make_volunteer,
    edit=edit_volunteer,
    not_edited={**SYSTEM, "record": "数えられる支援記録は登録時に決まります。"},
    values={
        "availability": lambda w, old: to_json(parse_availability("火曜の午前")),
        "registered_on": lambda w, old: old - timedelta(days=1),
    },
    along={"kind": {"group_name": "見本の会"}},
)


def make_offer(world: World) -> Any:
    return record_offer(
        by=world.staff,
        values=offer_values(pickup_note="裏口", recipient_note="", note="玄関先で"),
        place="phone",
        today=TODAY,
    )


def edit_offer(world: World, offer: Any, new: dict[str, Any]) -> None:
    update_offer(
        by=world.staff, offer=offer, values=new, today=TODAY, expected_version=offer.version
    )


OFFER = Editor(
    action="volunteers.offer.updated",
    make=make_offer,
    edit=edit_offer,
    not_edited={**SYSTEM, "record": "数えられる支援記録は受付時に決まります。"},
    values={
        "given_on": lambda w, old: date(2020, 8, 1),
        "recipient_case_id": lambda w, old: make_case(w).pk,
    },
)


def make_request(world: World) -> Any:
    return save_help_request(
        by=world.staff,
        values={
            "group": world.city["hidamari"],
            "requested_on": date(2020, 6, 1),
            "title": "サロンの話し相手",
            "starts_on": date(2020, 7, 1),
            "ends_on": date(2020, 9, 30),
            "people_needed": 2,
            "status": "open",
        },
        skills=[],
    )


def edit_request(world: World, help_request: Any, new: dict[str, Any]) -> None:
    values = {name: getattr(help_request, name) for name in REQUEST_FIELDS}
    save_help_request(
        by=world.staff,
        values={**values, **new},
        skills=list(help_request.skills.all()),
        help_request=help_request,
        expected_version=help_request.version,
    )


REQUEST = Editor(
    action="volunteers.request.updated",
    make=make_request,
    edit=edit_request,
    not_edited=SYSTEM,
    values={
        "availability": lambda w, old: to_json(parse_availability("土曜の午後")),
        "group": lambda w, old: ActivityGroup.objects.create(
            name="子ども食堂 にこにこ", kind=w.city["salon"], zone=w.city["east"]
        ),
    },
)


# --- records ------------------------------------------------------------------------------


def make_record(world: World) -> Any:
    return create_record(
        by=world.staff,
        data=RecordData(
            values={
                "date": world.today - timedelta(days=3),
                "activity_kind": world.lists["kind:出向き・参加"],
                "place": "phone",
                "note": "ご近所の方から",
            }
        ),
        today=world.today,
    )


def edit_record(world: World, record: Any, new: dict[str, Any]) -> None:
    values = {name: getattr(record, name) for name in SCALAR_FIELDS}
    update_record(
        by=world.staff,
        record=record,
        data=RecordData(values={**values, **new}, categories=list(record.categories.all())),
        expected_version=record.version,
        today=world.today,
    )


RECORD = Editor(
    action="records.record.updated",
    make=make_record,
    edit=edit_record,
    not_edited={
        **SYSTEM,
        "version": "版は保存のたびに進みます。",
        "updated_by": "更新者は保存した人です。",
        "deleted_at": "削除はごみ箱へ移す delete_record が行います。",
        "deleted_by": "削除はごみ箱へ移す delete_record が行います。",
        "import_batch": "取り込みで決まります。",
    },
    values={
        "date": lambda w, old: old - timedelta(days=1),
        "activity_kind": lambda w, old: w.lists["kind:話し合いへの参加"],
        "consulter_type": lambda w, old: ConsulterType.objects.filter(
            report_style=ReportStyle.TOTAL
        ).first(),
        "region": lambda w, old: w.city["honcho"],
        "target_region": lambda w, old: w.city["honcho"],
        "target_group": lambda w, old: w.city["hidamari"],
    },
    along={
        "follow_up": {"follow_up_due": timezone.localdate() + timedelta(days=7)},
        # A consulter type belongs to a consultation (the counting rule, records.services).
        "consulter_type": {"activity_kind": lambda w: w.lists["kind:相談対応"]},
    },
)


# --- directory ----------------------------------------------------------------------------


def directory_editor(
    form_class: type, make: Callable[[World], Any], **extra: dict[str, Any]
) -> Editor:
    def edit(world: World, entry: Any, new: dict[str, Any]) -> None:
        data = model_to_dict(entry, fields=list(form_class._meta.fields))
        for name, value in new.items():
            data[name] = value.pk if isinstance(value, models.Model) else value
        data["version"] = entry.version  # as the edit page carries it
        form = form_class(data={k: v for k, v in data.items() if v is not None}, instance=entry)
        assert form.is_valid(), form.errors
        save_entry(by=world.admin, form=form)

    return Editor(
        action="directory.entry.updated",
        make=make,
        edit=edit,
        not_edited={
            "version": SYSTEM["version"],
            "active": "有効・無効は set_entry_active が変え、別の行を残します。",
        },
        **extra,
    )


DIRECTORY = {
    "directory.zone": directory_editor(directory_forms.ZoneForm, lambda w: w.city["east"]),
    "directory.region": directory_editor(
        directory_forms.RegionForm,
        lambda w: Region.objects.create(
            name="北町地域社協", zone=w.city["east"], representative="見本 一郎", order=4
        ),
    ),
    "directory.groupkind": directory_editor(
        directory_forms.GroupKindForm, lambda w: w.city["salon"]
    ),
    "directory.activitygroup": directory_editor(
        directory_forms.ActivityGroupForm,
        lambda w: ActivityGroup.objects.create(
            name="見守りの会",
            kind=w.city["salon"],
            zone=w.city["east"],
            region=w.city["honcho"],
            contact="090-2222-3333",
        ),
        # A group's region lies in its zone.
        values={"region": lambda w, old: w.midori},
        along={"zone": {"region": None}},
    ),
    "directory.agencygroup": directory_editor(
        directory_forms.AgencyGroupForm, lambda w: AgencyGroup.objects.create(name="福祉課")
    ),
    "directory.agency": directory_editor(
        directory_forms.AgencyForm,
        lambda w: Agency.objects.create(
            name="高齢者支援課", group=AgencyGroup.objects.create(name="高齢福祉課")
        ),
    ),
}

# --- plans and grants ---------------------------------------------------------------------


def make_plan(world: World) -> Any:
    return create_plan(by=world.admin, data=plan_data(world.city["honcho"]))


def edit_plan(world: World, plan: Any, new: dict[str, Any]) -> None:
    data = replace(
        plan_data(plan.region),
        start_year=plan.start_year,
        end_year=plan.end_year,
        layout=plan.layout,
        initiatives_heading=plan.initiatives_heading,
        initiatives=[
            InitiativeData(i.theme, i.action_list, pk=i.pk) for i in plan.initiatives.all()
        ],
    )
    update_plan(by=world.admin, plan=plan, data=replace(data, **new), expected_version=plan.version)


PLAN = Editor(
    action="plans.plan.updated",
    make=make_plan,
    edit=edit_plan,
    not_edited={
        **SYSTEM,
        "region": "計画の地域社協は変えられません（別の地域社協の計画は新しく作ります）。",
        "version": "版は保存のたびに進みます。",
        "updated_by": "更新者は保存した人です。",
    },
    values={"start_year": lambda w, old: old - 1},
    # The log shows the period as one line, 「計画期間：令和元年度〜令和5年度 → …」.
    keys={"start_year": "period", "end_year": "period"},
)


def make_grant(world: World) -> Any:
    programme = save_programme(
        by=world.admin, fiscal_year=2020, cap=300_000, sources=[SourceInput("自主財源", 900_000)]
    )
    return apply_grant(
        by=world.staff,
        programme=programme,
        region=world.city["honcho"],
        plan="高齢者サロン（月1回）",
        applied_amount=200_000,
        applied_on=date(2020, 4, 20),
        expenses=[LineInput("会場費", 200_000, "サロンの会場")],
    )


def edit_grant(world: World, grant: Any, new: dict[str, Any]) -> None:
    values = {"plan": grant.plan, "applied_amount": grant.applied_amount, **new}
    update_application(
        by=world.staff,
        grant=grant,
        expected_version=grant.version,
        expenses=[LineInput("会場費", 200_000, "サロンの会場")],
        **values,
    )


LATER_STAGE = "申請の後の段階（決定・支払い・報告・精算）のサービスが変えます。"
GRANT = Editor(
    action="grants.grant.application_updated",
    make=make_grant,
    edit=edit_grant,
    # The amount applied for may not exceed the budget's expenses.
    values={"applied_amount": lambda w, old: old - 1},
    not_edited={
        "programme": "助成の年度は申請時に決まります。",
        "region": "地域社協は申請時に決まります。",
        "applied_on": "申請日は申請時に決まります。",
        "applied_by": "申請者は申請した人です。",
        "state": LATER_STAGE,
        "version": "版は保存のたびに進みます。",
        "updated_by": "更新者は保存した人です。",
        **{
            name: LATER_STAGE
            for name in (
                "decided_amount",
                "decided_on",
                "decided_by",
                "exception_reason",
                "paid_amount",
                "paid_on",
                "paid_by",
                "spent_amount",
                "income_amount",
                "reported_on",
                "reported_by",
                "returned_amount",
                "settled_on",
                "settled_by",
            )
        },
    },
)

EDITORS: dict[str, Editor] = {
    "cases.case": CASE,
    "volunteers.volunteer": VOLUNTEER,
    "volunteers.donationoffer": OFFER,
    "volunteers.helprequest": REQUEST,
    "records.supportrecord": RECORD,
    "plans.plan": PLAN,
    "grants.grant": GRANT,
    **DIRECTORY,
}

# Audited models whose rows have no one-field edit service; their services are tested
# in their apps.
NO_FIELD_EDITS = {
    "accounts.user": "職員アカウントは画面のフォームごと保存します（tests/accounts）。",
    "api.apitoken": "APIトークンは発行と取り消しだけです。",
    "cases.needkind": "困りごとの種類は一覧ごと保存します。",
    "cases.referral": "紹介は経過（状況）を足すだけで、項目の編集はありません。",
    "directory.municipalityprofile": "市区町村の概要は年度ごとに保存します。",
    "grants.fundraisingdrive": "募金の一覧は一覧ごと保存します。",
    "grants.fundraisingmethod": "募金の一覧は一覧ごと保存します。",
    "grants.fundraisingtotal": "募金額は表ごと保存します。",
    "grants.grantprogramme": "助成の年度は上限額・財源ごと保存します。",
    "plans.initiative": "取り組みは計画ごと保存します。",
    "plans.plantarget": "計画の対象は名前だけで、一覧ごと保存します。",
    "records.activitykind": "年度の一覧は一覧ごと保存します。",
    "records.category": "年度の一覧は一覧ごと保存します。",
    "records.consultertype": "相談者区分は一覧ごと保存します。",
    "reports.yearclosure": "年度の締めは締めと解除だけです。",
    "volunteers.match": "マッチングは記録・見直し・終了だけです。",
}


def edited_fields(label: str) -> list[str]:
    editor = EDITORS[label]
    model = apps.get_model(label)
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in editor.not_edited
    ]


CASES = [(label, name) for label in sorted(EDITORS) for name in edited_fields(label)]


def test_every_audited_model_is_edited_here_or_says_why_not() -> None:
    declared = set(declarations())
    assert not set(EDITORS) & set(NO_FIELD_EDITS)
    assert declared == set(EDITORS) | set(NO_FIELD_EDITS), declared ^ (
        set(EDITORS) | set(NO_FIELD_EDITS)
    )
    for label, editor in EDITORS.items():
        names = {f.name for f in apps.get_model(label)._meta.concrete_fields}
        assert set(editor.not_edited) <= names, label


def test_every_personal_field_is_edited_here() -> None:
    """A personal field this test skips would be one whose change may leave no trace."""
    for label, editor in EDITORS.items():
        assert not declarations()[label].personal & set(editor.not_edited), label


@pytest.fixture
def world(db: None, staff_user: Any, city: dict[str, Any]) -> World:
    today = timezone.localdate()
    ensure_need_kinds()
    ensure_defaults()
    make_year(2020)
    GroupKind.objects.create(name="子ども食堂", order=2)
    AgencyGroup.objects.create(name="生活福祉課", order=9)
    return World(
        staff=staff_user,
        admin=make_user("kanri2", Role.ADMIN, last_name="管理", first_name="二郎"),
        midori=Region.objects.create(name="緑町地域社協", zone=city["east"], order=3),
        city=city,
        today=today,
        lists=make_lists(fiscal_year_of(today)),
        need=NeedKind.objects.get(name="買い物支援"),
    )


def new_value(world: World, model_field: models.Field, old: Any) -> Any:
    """A different value the service accepts, from the field's type alone."""
    if model_field.choices:
        return next(value for value, _ in model_field.choices if value != old)
    if isinstance(model_field, models.BooleanField):
        return not old
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.all()
        if old is not None:
            related = related.exclude(pk=old.pk)
        if model_field.related_model is ActivityKind:
            related = related.filter(fiscal_year=old.fiscal_year)
        found = related.first()
        assert found is not None, f"no other {model_field.related_model.__name__}"
        return found
    if isinstance(model_field, models.DateField):
        return (old or world.today) - timedelta(days=1)
    if isinstance(model_field, models.TimeField):
        return time(10, 30) if old != time(10, 30) else time(11, 0)
    if isinstance(model_field, models.IntegerField):
        return (old or 0) + 1
    if isinstance(model_field, models.CharField | models.TextField):
        return f"{old or ''}追記"
    raise AssertionError(f"give Editor.values a value for {model_field}")


@pytest.mark.parametrize(("label", "name"), CASES, ids=[f"{m}.{f}" for m, f in CASES])
def test_changing_one_field_writes_one_row_naming_it(world: World, label: str, name: str) -> None:
    editor = EDITORS[label]
    spec = declarations()[label]
    model = apps.get_model(label)
    row = editor.make(world)
    row = model._default_manager.get(pk=row.pk)
    model_field = model._meta.get_field(name)
    old = getattr(row, name)
    make = editor.values.get(name)
    new = make(world, old) if make is not None else new_value(world, model_field, old)
    assert new != old
    before = AuditEntry.objects.filter(action=editor.action).count()

    along = {k: v(world) if callable(v) else v for k, v in editor.along.get(name, {}).items()}
    editor.edit(world, row, {name: new, **along})

    entries = AuditEntry.objects.filter(action=editor.action).order_by("id")[before:]
    assert len(entries) == 1, f"{label}.{name}: {len(entries)} audit rows"
    entry = entries[0]
    assert entry.target_id == str(row.pk)
    key = editor.keys.get(name, name)
    assert key in entry.changes
    labels = dict(describe_changes(entry.target_type, entry.changes))
    if key == name:
        assert str(model_field.verbose_name) in labels
    else:
        assert spec.labels[key] in labels
    if name in spec.personal:
        stored = entry.changes[name]
        assert MASK in stored, stored
        for value in (old, new):
            if value not in ("", None):
                assert str(value) not in str(entry.changes), value
    # The label never holds what the personal fields say.
    for personal in spec.personal:
        value = getattr(model._default_manager.get(pk=row.pk), personal)
        if isinstance(value, str) and len(value) > 1:
            assert value not in entry.target_label
