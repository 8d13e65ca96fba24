"""The REST API under /api/v1/ (django-ninja; see docs/api.md).

Each operation declares its rule with `@ruled("thing.action")`: the token's scope and its
account's role are checked before the operation runs, the objects by the pages' own
checkpoints (`get_record_for_user`, `get_referral_for_user`), changes by the pages' own
services (their audit entries and conflict rules). tests/api/test_matrix.py asks every
operation as every role."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from tsunagu.api import schemas as s
from tsunagu.api.auth import TokenAuth, allow
from tsunagu.api.problems import PROBLEM_TYPE, Problem, from_exception, validation_problem
from tsunagu.cases.access import get_referral_for_user
from tsunagu.cases.models import Referral
from tsunagu.cases.referrals import update_referral
from tsunagu.core.access import can
from tsunagu.directory.entities import ENTITIES
from tsunagu.lib.fiscal import DateParseError, fiscal_year_label, fiscal_year_of, parse_date
from tsunagu.records.access import get_record_for_user
from tsunagu.records.forms import RecordForm
from tsunagu.records.models import ActivityKind, Category, ConsulterType, SupportRecord
from tsunagu.records.queries import parse_filter
from tsunagu.records.rules import NOTE_HIDDEN
from tsunagu.records.services import EditConflict, create_record, log_note_read, update_record
from tsunagu.records.support_kind import support_kind_of
from tsunagu.reports.builder import Scope
from tsunagu.reports.period import Period, PeriodError, parse_period
from tsunagu.reports.renderers.jsonio import report_to_dict
from tsunagu.reports.services import figures_for

MAX_PAGE = 200
YEAR = Path(..., ge=1989, le=2200)
PK = Path(..., ge=1, le=2**31 - 1)
API_DESCRIPTION = (
    "つなぐの REST API です。管理者が発行した個人用トークンを "
    "`Authorization: Bearer <トークン>` で送ります。できることは、トークンの持ち主が画面で"
    "できることと同じで、範囲が「読み取り」のトークンは登録・変更ができません。"
    "エラーは RFC 9457 の application/problem+json で、detail に日本語の説明が入ります。"
)


class ProblemDocumentedApi(NinjaAPI):
    """The document names the media type errors really have: every 4xx answer is
    application/problem+json (RFC 9457), which django-ninja would document as
    application/json. Found by the schema-driven fuzzing (tests/api/test_fuzz.py)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {PROBLEM_TYPE: content["application/json"]}
        return schema


api = ProblemDocumentedApi(
    title="つなぐ API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

PROBLEMS = {code: s.ProblemOut for code in (400, 401, 403, 404, 413, 422, 429)}
WRITE_PROBLEMS = {**PROBLEMS, 412: s.ProblemOut, 428: s.ProblemOut}


def ruled(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The operation follows rule `name`: refused (403) unless the token's scope and its
    account's role allow it; objects are then checked by the checkpoints."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            allow(request, name)
            return view(request, *args, **kwargs)

        wrapped.api_rule = name  # type: ignore[attr-defined]
        return wrapped

    return decorator


# --- errors ---------------------------------------------------------------------------


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return from_exception(exc, request.path)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return from_exception(validation_problem(list(exc.errors)), request.path)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return from_exception(
        Problem(
            401,
            "APIトークンがありません。Authorization: Bearer <トークン> を付けてください。",
            headers={"WWW-Authenticate": "Bearer"},
        ),
        request.path,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = (
        "本文を JSON として読めませんでした。UTF-8 の JSON を送ってください。"
        if exc.status_code == 400
        else str(exc)
    )
    return from_exception(Problem(exc.status_code, detail), request.path)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return from_exception(
        Problem(404, "指定されたものは見つかりません（ないか、このトークンでは見られません）。"),
        request.path,
    )


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return from_exception(Problem(403, str(exc) or "権限がありません。"), request.path)


def _form_problem(error: DjangoValidationError | dict[str, Any]) -> Problem:
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            items = [(f, str(m)) for f, msgs in error.message_dict.items() for m in msgs]
        else:
            items = [("本文", str(m)) for m in error.messages]
    else:
        items = [(f, str(m)) for f, msgs in error.items() for m in msgs]
    said = [{"field": "本文" if f == "__all__" else f, "detail": m} for f, m in items]
    return Problem(422, " ".join(d["detail"] for d in said), errors=said)


# --- directory and yearly lists ----------------------------------------------------------


@api.get(
    "/directory/{slug}",
    response={200: s.EntityOut, **PROBLEMS},
    summary="マスタの一覧",
    tags=["マスタ"],
    auth=TokenAuth("directory.view"),
)
@ruled("directory.view")
def directory_entries(request: HttpRequest, slug: str) -> Any:
    entity = ENTITIES.get(slug)
    if entity is None:
        raise Problem(404, f"マスタ「{slug}」はありません。使えるのは {', '.join(ENTITIES)} です。")
    entries = [
        {
            "id": row.pk,
            "name": str(getattr(row, "name", row)),
            "active": bool(getattr(row, "active", True)),
            "columns": {c.label: str(c.value(row)) for c in entity.columns},
        }
        for row in entity.queryset().order_by("pk")
    ]
    return {"slug": slug, "title": entity.title, "entries": entries}


def _term(term: Any) -> dict[str, Any]:
    return {
        "id": term.pk,
        "name": term.name,
        "code": term.code,
        "order": term.order,
        "retired": term.retired,
        "predecessors": sorted(p.pk for p in term.predecessors.all()),
        "successors": sorted(p.pk for p in term.successors.all()),
    }


@api.get(
    "/categories/{fiscal_year}",
    response={200: s.YearListsOut, **PROBLEMS},
    summary="年度の活動種別と相談内容の分類（前後年度とのつながり付き）",
    tags=["分類"],
    auth=TokenAuth("category.view"),
)
@ruled("category.view")
def year_lists(request: HttpRequest, fiscal_year: int = YEAR) -> Any:
    kinds = ActivityKind.objects.in_year(fiscal_year).prefetch_related("predecessors", "successors")
    categories = Category.objects.in_year(fiscal_year).prefetch_related(
        "predecessors", "successors"
    )
    return {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "consulter_types": [
            {
                "id": t.pk,
                "name": t.name,
                "code": t.code,
                "has_categories": t.has_categories,
                "active": t.active,
            }
            for t in ConsulterType.objects.all()
        ],
        "activity_kinds": [_term(k) for k in kinds],
        "categories": [
            {**_term(c), "consulter_type": c.consulter_type_id, "catch_all": c.catch_all}
            for c in categories
        ],
    }


# --- records ------------------------------------------------------------------------------


class RecordQuery(s.Strict):
    fy: int | None = Field(default=None, ge=1989, le=2200, description="年度（省略時は今年度）")
    zone: int | None = Field(default=None, ge=1, le=2**31 - 1)
    region: int | None = Field(default=None, ge=1, le=2**31 - 1)
    staff: int | None = Field(default=None, ge=1, le=2**31 - 1)
    kind: int | None = Field(default=None, ge=1, le=2**31 - 1)
    consulter_type: int | None = Field(default=None, ge=1, le=2**31 - 1)
    category: int | None = Field(default=None, ge=1, le=2**31 - 1)
    agency: int | None = Field(default=None, ge=1, le=2**31 - 1)
    place: s.PlaceCode | None = None
    follow_up: Literal["open", "due"] | None = None
    q: str | None = Field(default=None, max_length=100, description="メモを検索（職員・管理者）")
    ordering: Literal["id", "-id"] = "-id"
    after: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="前のページの next_after"
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


def _summary(record: SupportRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "version": record.version,
        "date": record.date,
        "fiscal_year": record.fiscal_year,
        "activity_kind": record.activity_kind_id,
        "place": record.place,
        "staff": record.staff_id,
        "zone": record.zone_id,
        "region": record.region_id,
        "target_group": record.target_group_id,
        "target_region": record.target_region_id,
        "consulter_type": record.consulter_type_id,
        "categories": [c.pk for c in record.categories.all()],
        "agencies": [
            {"agency": link.agency_id, "action": link.action} for link in record.agency_links.all()
        ],
        "initiated": record.initiated,
        "support_kind": record.support_kind,
        "follow_up": record.follow_up,
        "follow_up_due": record.follow_up_due,
    }


def _detail(request: HttpRequest, record: SupportRecord) -> dict[str, Any]:
    user = request.user
    readable = can(user, "record.view_note", record)
    if readable and record.note:
        log_note_read(by=user, record=record)  # type: ignore[arg-type]
    hidden = None
    if not readable:
        hidden = (
            NOTE_HIDDEN if can(user, "record.view_note") else "閲覧の権限ではメモは読めません。"
        )
    return {
        **_summary(record),
        "time": record.time,
        "duration_minutes": record.duration_minutes,
        "consent": record.consent,
        "support_kind_effective": support_kind_of(record).value,
        "note": record.note if readable else None,
        "note_hidden": hidden,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


@api.get(
    "/records",
    response={200: s.RecordPage, **PROBLEMS},
    summary="支援記録の一覧（一覧画面と同じ絞り込み、id によるキーセット方式のページ送り）",
    tags=["支援記録"],
    auth=TokenAuth("record.view"),
)
@ruled("record.view")
def record_list(request: HttpRequest, filters: Query[RecordQuery]) -> Any:
    user = request.user
    params = QueryDict(mutable=True)
    for name in ("fy", *ID_PARAMS, "place", "follow_up", "q"):
        value = getattr(filters, name)
        if value is not None:
            params[name] = str(value)
    record_filter = parse_filter(params)
    if record_filter.errors:
        raise Problem(422, " ".join(record_filter.errors))
    records = record_filter.apply(
        SupportRecord.objects.alive(),
        search_notes=can(user, "record.view_note"),
        today=timezone.localdate(),
        user=user,
    )
    if filters.after is not None:
        after = {"id__gt" if filters.ordering == "id" else "id__lt": filters.after}
        records = records.filter(**after)
    page = list(records.with_related().order_by(filters.ordering)[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [_summary(r) for r in page],
        "next_after": page[-1].pk if more and page else None,
    }


ID_PARAMS = ("zone", "region", "staff", "kind", "consulter_type", "category", "agency")


def _etag(record: SupportRecord) -> str:
    return f'"{record.version}"'


@api.get(
    "/records/{record_id}",
    response={200: s.RecordOut, **PROBLEMS},
    summary="支援記録（メモは読める人だけ。ETag は版）",
    tags=["支援記録"],
    auth=TokenAuth("record.view"),
)
@ruled("record.view")
def record_detail(request: HttpRequest, response: HttpResponse, record_id: int = PK) -> Any:
    record = get_record_for_user(request, record_id)
    response["ETag"] = _etag(record)
    return _detail(request, record)


def _form_data(payload: s.RecordIn) -> QueryDict:
    data = QueryDict(mutable=True)
    data["date"] = payload.date.isoformat()
    data["activity_kind"] = str(payload.activity_kind)
    data["place"] = payload.place
    if payload.target_group is not None and payload.target_region is not None:
        raise Problem(
            422, "支援先は target_group（活動団体）か target_region（地域社協）のどちらか一つです。"
        )
    if payload.target_group is not None:
        data["target"] = f"g:{payload.target_group}"
    elif payload.target_region is not None:
        data["target"] = f"r:{payload.target_region}"
    for name in ("staff", "zone", "region", "consulter_type", "duration_minutes"):
        value = getattr(payload, name)
        if value is not None:
            data[name] = str(value)
    if payload.time is not None:
        data["time"] = payload.time.strftime("%H:%M")
    if payload.follow_up_due is not None:
        data["follow_up_due"] = payload.follow_up_due.isoformat()
    for name in ("initiated", "consent", "follow_up"):
        if getattr(payload, name):
            data[name] = "on"
    if payload.support_kind is not None:
        data["support_kind"] = payload.support_kind
    data["note"] = payload.note
    data.setlist("categories", [str(pk) for pk in payload.categories])
    data["agencies"] = ",".join(f"{a.agency}:{a.action}" for a in payload.agencies)
    return data


def _valid_form(payload: s.RecordIn, record: SupportRecord | None = None) -> RecordForm:
    try:
        parse_date(payload.date)  # the entry form's range: 明治 to the last year tsunagu knows
    except DateParseError as error:
        raise _form_problem({"date": [str(error)]}) from None
    form = RecordForm(
        _form_data(payload),
        fiscal_year=fiscal_year_of(payload.date),
        instance_staff=record.staff if record is not None else None,
    )
    form.for_new_row()  # a change carries its version in If-Match (_expected_version), not here
    if not form.is_valid():
        raise _form_problem(
            {f: [e["message"] for e in errs] for f, errs in form.errors.get_json_data().items()}
        )
    return form


@api.post(
    "/records",
    response={201: s.RecordOut, **PROBLEMS},
    summary="支援記録の登録",
    tags=["支援記録"],
    auth=TokenAuth("record.create"),
)
@ruled("record.create")
def record_create(request: HttpRequest, response: HttpResponse, payload: s.RecordIn) -> Any:
    form = _valid_form(payload)
    try:
        record = create_record(by=request.user, data=form.record_data())  # type: ignore[arg-type]
    except DjangoValidationError as error:
        raise _form_problem(error) from None
    record = SupportRecord.objects.with_related().get(pk=record.pk)
    response["ETag"] = _etag(record)
    return Status(201, _detail(request, record))


def _expected_version(request: HttpRequest) -> int:
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise Problem(
            428,
            "変更には If-Match ヘッダーが必要です。記録を読んだときの ETag をそのまま付けてください。",
        )
    value = raw.removeprefix("W/").strip('"')
    if not value.isdecimal():
        raise Problem(412, f"If-Match の値（{raw[:40]}）はこの記録の ETag ではありません。")
    return int(value)


@api.put(
    "/records/{record_id}",
    response={200: s.RecordOut, **WRITE_PROBLEMS},
    summary="支援記録の変更（If-Match に読んだときの ETag。古ければ 412）",
    tags=["支援記録"],
    auth=TokenAuth("record.edit"),
)
@ruled("record.edit")
def record_update(
    request: HttpRequest, response: HttpResponse, payload: s.RecordIn, record_id: int = PK
) -> Any:
    record = get_record_for_user(request, record_id, write=True)
    expected = _expected_version(request)
    form = _valid_form(payload, record)
    try:
        update_record(
            by=request.user,  # type: ignore[arg-type]
            record=record,
            data=form.record_data(),
            expected_version=expected,
        )
    except EditConflict as error:
        who = error.record.updated_by.display_name if error.record.updated_by else "別の職員"
        raise Problem(
            412,
            f"この記録は、読んだ後に{who}さんが保存しました（現在の版は {error.record.version}）。"
            "上書きしないよう保存を止めました。読み直してから変更してください。",
            headers={"ETag": _etag(error.record)},
        ) from None
    except DjangoValidationError as error:
        raise _form_problem(error) from None
    record = SupportRecord.objects.with_related().get(pk=record.pk)
    response["ETag"] = _etag(record)
    return _detail(request, record)


# --- the report -----------------------------------------------------------------------------


class ReportQuery(s.Strict):
    period: str | None = Field(
        default=None,
        max_length=40,
        description=(
            "年度の中の期間（2020-04、2020-Q1、2020-H1、2020-04..2020-09、"
            "2020-05-03..2020-08-20。Q・H は年度の四半期・半期）。省略すると年度全体"
        ),
    )


def _report_period(text: str, fiscal_year: int) -> Period:
    """The period asked for, read as `tsunagu report --period` reads it; 422 with the
    parser's own sentence, or when it lies in another fiscal year than the path's."""
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise Problem(422, str(error), errors=[{"field": "period", "detail": str(error)}]) from None
    if period.fiscal_year != fiscal_year:
        detail = (
            f"期間（{period.span}）は{fiscal_year_label(period.fiscal_year)}の期間です。"
            f"/reports/{period.fiscal_year} で尋ねるか、"
            f"{fiscal_year_label(fiscal_year)}の中の期間を指定してください。"
        )
        raise Problem(422, detail, errors=[{"field": "period", "detail": detail}])
    return period


@api.get(
    "/reports/{fiscal_year}",
    response={200: s.ReportOut, **PROBLEMS},
    summary=(
        "年度の実績報告（docs/report-json.md の JSON。締めた年度は公表値）。"
        "period で年度の中の期間（月・四半期・半期・日付の範囲）"
    ),
    tags=["実績報告"],
    auth=TokenAuth("report.view"),
)
@ruled("report.view")
def report(request: HttpRequest, filters: Query[ReportQuery], fiscal_year: int = YEAR) -> Any:
    period = None if filters.period is None else _report_period(filters.period, fiscal_year)
    return report_to_dict(figures_for(fiscal_year, Scope(), period).report)


# --- referrals ------------------------------------------------------------------------------


class ReferralQuery(s.Strict):
    after: int | None = Field(default=None, ge=0, le=2**31 - 1)
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "case": referral.case_id,
        "record": referral.record_id,
        "agency": referral.agency_id,
        "agency_name": referral.agency.name,
        "referred_on": referral.referred_on,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "last_update_on": referral.last_update_on,
        "staff": referral.staff_id,
        "request": referral.request,
        "outcome": referral.outcome,
    }


@api.get(
    "/referrals",
    response={200: s.ReferralPage, **PROBLEMS},
    summary="紹介の一覧（自分の担当の紹介。管理者はすべて）",
    tags=["紹介"],
    auth=TokenAuth("referral.view"),
)
@ruled("referral.view")
def referral_list(request: HttpRequest, filters: Query[ReferralQuery]) -> Any:
    referrals = Referral.objects.visible_to(request.user).with_related().order_by("id")
    if filters.after is not None:
        referrals = referrals.filter(id__gt=filters.after)
    page = list(referrals[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"items": [_referral(r) for r in page], "next_after": page[-1].pk if more else None}


@api.get(
    "/referrals/{referral_id}",
    response={200: s.ReferralOut, **PROBLEMS},
    summary="紹介",
    tags=["紹介"],
    auth=TokenAuth("referral.view"),
)
@ruled("referral.view")
def referral_detail(request: HttpRequest, referral_id: int = PK) -> Any:
    return _referral(get_referral_for_user(request, referral_id))


@api.post(
    "/referrals/{referral_id}/updates",
    response={200: s.ReferralOut, **PROBLEMS},
    summary="紹介先の対応状況を記録（受理・対応中・完了・不調）",
    tags=["紹介"],
    auth=TokenAuth("referral.edit"),
)
@ruled("referral.edit")
def referral_update(
    request: HttpRequest, payload: s.ReferralUpdateIn, referral_id: int = PK
) -> Any:
    referral = get_referral_for_user(request, referral_id, write=True)
    try:
        update_referral(
            by=request.user,  # type: ignore[arg-type]
            referral=referral,
            status=payload.status,
            updated_on=payload.updated_on,
            note=payload.note,
        )
    except DjangoValidationError as error:
        raise _form_problem(error) from None
    return _referral(Referral.objects.with_related().get(pk=referral.pk))
