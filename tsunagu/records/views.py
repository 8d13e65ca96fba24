from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.models import User
from tsunagu.core.access import can, rule
from tsunagu.core.concurrency import edit_page
from tsunagu.core.dates import show_date
from tsunagu.core.params import QueryForm, TextField
from tsunagu.directory.models import ActivityGroup, Agency, Region
from tsunagu.lib.fiscal import (
    DateParseError,
    current_fiscal_year,
    fiscal_year_label,
    fiscal_year_of,
    parse_date,
)
from tsunagu.lib.textnorm import normalize
from tsunagu.records.access import get_record_for_user
from tsunagu.records.forms import (
    CategoryChoices,
    RecordForm,
    carry_categories,
    carry_kind,
    initial_for,
    target_value,
)
from tsunagu.records.models import AgencyAction, SupportRecord
from tsunagu.records.queries import parse_filter, years_with_records
from tsunagu.records.rules import NOTE_HIDDEN, trash_for
from tsunagu.records.services import (
    TRASH_DAYS,
    AlreadySaved,
    EditConflict,
    create_record,
    delete_record,
    find_saved_entry,
    log_note_read,
    new_entry_token,
    purge_record,
    restore_record,
    update_record,
)
from tsunagu.records.support_kind import has_case, support_kind_text
from tsunagu.reports.closures import closed_notice, closed_years, notice_if_closed
from tsunagu.transfer.exporters import records_download_response

PAGE_SIZE = 50
LAST_PLACE_KEY = "records.last_place"
# The list's last filter: /records/ without parameters shows it again.
FILTER_KEY = "records.list_filter"


def list_url(fiscal_year: int, *, saved: Iterable[int] = (), deleted: int | None = None) -> str:
    """The records list of a fiscal year, the saved records highlighted and scrolled to
    (or the deleted one offered back), where a save or a deletion lands."""
    params = QueryDict(mutable=True)
    params["fy"] = str(fiscal_year)
    anchor = ""
    if ids := ",".join(str(pk) for pk in saved):
        params["saved"] = ids
        anchor = "#saved"
    if deleted is not None:
        params["deleted"] = str(deleted)
    return f"{reverse('records:list')}?{params.urlencode(safe=',')}{anchor}"


def fiscal_year_from(value: Any) -> int:
    """The fiscal year of a typed date, whose lists an entry form offers (the record's and
    the outing's); this fiscal year while the date is blank or cannot be read."""
    try:
        return fiscal_year_of(parse_date(value)) if value else current_fiscal_year()
    except DateParseError:
        return current_fiscal_year()


def _form_context(form: RecordForm, **extra: Any) -> dict[str, Any]:
    """What the entry template needs besides the form: categories grouped by type."""
    return {
        "form": form,
        "fiscal_year": form.fiscal_year,
        "fiscal_year_label": fiscal_year_label(form.fiscal_year),
        "category_groups": CategoryChoices.for_year(form.fiscal_year).groups(form),
        "agency_actions": AgencyAction.choices,
        "chosen_agencies": form.chosen_agencies(),
        "target_label": form.target_label(),
        # `record` is a flag, not a record, on the redrawn year choices.
        "support_kind_hints": form.support_kind_hints(
            has_case=isinstance(record := extra.get("record"), SupportRecord) and has_case(record)
        ),
        **extra,
    }


@rule("record.create")
def record_new(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    already_saved = None
    if request.method == "POST":
        form = RecordForm(request.POST, fiscal_year=fiscal_year_from(request.POST.get("date")))
        form.for_new_row()
        # Sent again (Back, then 保存): said before the form is judged, whatever it holds now.
        already_saved = find_saved_entry(request.POST.get("entry_token", ""))
        if already_saved is None and form.is_valid():
            try:
                record = create_record(
                    by=user, data=form.record_data(), entry_token=form.cleaned_data["entry_token"]
                )
            except AlreadySaved:
                already_saved = find_saved_entry(form.cleaned_data["entry_token"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[LAST_PLACE_KEY] = record.place
                messages.success(
                    request,
                    f"{show_date(record.date)}の記録（{record.activity_kind.name}）を保存しました。",
                )
                if "continue" in request.POST:
                    shared = QueryDict(mutable=True)
                    shared.update(
                        {
                            "date": record.date.isoformat(),
                            "place": record.place,
                            "target": target_value(record.target),
                            "activity_kind": str(record.activity_kind_id),
                            "staff": str(record.staff_id or ""),
                        }
                    )
                    return redirect(f"{reverse('records:new')}?{shared.urlencode()}")
                return redirect(list_url(record.fiscal_year, saved=[record.pk]))
    else:
        initial = initial_for(user, request.session.get(LAST_PLACE_KEY))
        initial.update({k: v for k, v in request.GET.items() if k in RecordForm.base_fields})
        initial["entry_token"] = new_entry_token()
        form = RecordForm(initial=initial, fiscal_year=fiscal_year_from(initial.get("date")))
    return render(
        request,
        "records/record_form.html",
        _form_context(
            form,
            title="記録の入力",
            closed_notice=notice_if_closed(form.fiscal_year, "create"),
            already_saved=already_saved,
        ),
    )


@rule("record.create")
@require_POST
def record_choices(request: AuthenticatedRequest) -> HttpResponse:
    """What depends on the fiscal year, redrawn for a newly typed date (htmx, out of band).

    The lists of activity kinds and categories are yearly, so a date in another year needs
    other choices; every other field stays as typed in the page, untouched. Posted, not put
    in a URL: the form holds the note."""
    fiscal_year = fiscal_year_from(request.POST.get("date"))
    kind, kind_notice = carry_kind(request.POST.get("activity_kind"), fiscal_year)
    categories, category_notices = carry_categories(request.POST.getlist("categories"), fiscal_year)
    initial: dict[str, Any] = {key: request.POST.get(key) for key in RecordForm.base_fields}
    initial.update(activity_kind=kind, categories=categories)
    form = RecordForm(initial=initial, fiscal_year=fiscal_year)
    return render(
        request,
        "records/_record_year_choices.html",
        _form_context(
            form,
            oob=True,
            kind_notices=[kind_notice] if kind_notice else [],
            category_notices=category_notices,
            # The edit screen posts the version it opened and the record's stored year.
            closed_notice=_entry_notice(fiscal_year, _posted_year(request.POST))
            if request.POST.get("version")
            else notice_if_closed(fiscal_year, "create"),
            record=bool(request.POST.get("version")),
        ),
    )


@rule("record.edit")
@edit_page("records:edit", SupportRecord)
def record_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, write=True)
    user: User = request.user
    conflict = None
    if request.method == "POST":
        form = RecordForm(
            request.POST,
            fiscal_year=fiscal_year_from(request.POST.get("date")),
            instance_staff=record.staff,
        )
        if form.is_valid():
            try:
                update_record(
                    by=user,
                    record=record,
                    data=form.record_data(),
                    expected_version=form.expected_version,
                )
            except EditConflict as error:
                conflict = error
                form.show_conflict(error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "記録を保存しました。")
                return redirect(list_url(record.fiscal_year, saved=[record.pk]))
    else:
        form = RecordForm(
            initial=_initial_from(record),
            fiscal_year=record.fiscal_year,
            instance_staff=record.staff,
        )
        log_note_read(by=user, record=record)
    return render(
        request,
        "records/record_form.html",
        _form_context(
            form,
            title="記録の編集",
            record=record,
            conflict=conflict,
            closed_notice=_entry_notice(form.fiscal_year, record.fiscal_year),
        ),
    )


def _entry_notice(fiscal_year: int, stored_year: int | None) -> str:
    """The edit screen's warning: the record's year is closed, or its new date's year is
    (moving a record in or out of a closed year changes that year's figures alike)."""
    closed = closed_years()
    if stored_year is not None and stored_year in closed:
        return closed_notice(stored_year, "edit")
    if fiscal_year in closed:
        return closed_notice(fiscal_year, "create")
    return ""


def _posted_year(data: QueryDict) -> int | None:
    value = data.get("stored_year", "")
    return int(value) if value.isdecimal() and len(value) <= 4 else None


def _initial_from(record: SupportRecord) -> dict[str, Any]:
    return {
        "date": record.date.isoformat(),
        "time": record.time,
        "duration_minutes": record.duration_minutes,
        "staff": record.staff_id,
        "activity_kind": record.activity_kind_id,
        "place": record.place,
        "target": target_value(record.target),
        "zone": record.zone_id,
        "region": record.region_id,
        "consulter_type": record.consulter_type_id,
        "categories": [c.pk for c in record.categories.all()],
        "agencies": ",".join(
            f"{link.agency_id}:{link.action}" for link in record.agency_links.all()
        ),
        "initiated": record.initiated,
        "support_kind": record.support_kind or "",
        "consent": record.consent,
        "note": record.note,
        "follow_up": record.follow_up,
        "follow_up_due": record.follow_up_due.isoformat() if record.follow_up_due else "",
        "version": record.version,
    }


@rule("record.view")
def record_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk)
    user: User = request.user
    show_note = can(user, "record.view_note", record)
    if show_note and record.note:
        log_note_read(by=user, record=record)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "support_kind": support_kind_text(record),
            "show_note": show_note,
            # Said only where a writer would otherwise read the note: a viewer reads none.
            "note_hidden": NOTE_HIDDEN if can(user, "record.view_note") and not show_note else "",
            "may_edit": can(user, "record.edit", record),
            "closed_notice": notice_if_closed(record.fiscal_year, "delete"),
        },
    )


@rule("record.delete")
@require_POST
def record_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, action="record.delete")
    delete_record(by=request.user, record=record)
    messages.success(
        request,
        f"{show_date(record.date)}の記録（{record.activity_kind.name}）をごみ箱に移しました。"
        f"{TRASH_DAYS}日間は「ごみ箱」から元に戻せます。",
    )
    return redirect(list_url(record.fiscal_year, deleted=record.pk))


@rule("record.view")
def record_list(request: AuthenticatedRequest) -> HttpResponseBase:
    user: User = request.user
    if not request.GET and (remembered := request.session.get(FILTER_KEY)):
        params = QueryDict(mutable=True)
        params.update(remembered)
        return redirect(f"{reverse('records:list')}?{params.urlencode()}")
    record_filter = parse_filter(request.GET)
    for error in record_filter.errors:
        messages.error(request, error)
    records = record_filter.apply(
        SupportRecord.objects.alive(),
        search_notes=can(user, "record.view_note"),
        today=timezone.localdate(),
        user=user,
    )
    download = request.GET.get("download")
    if download in ("xlsx", "csv"):
        return _download(request, records, download, record_filter.fiscal_year)
    query = record_filter.query
    if query.get("clear"):
        request.session.pop(FILTER_KEY, None)
    elif not query.get("saved") and query.get("deleted") is None:
        # A landing after a save or a deletion is not a filter the user chose.
        _remember(request, record_filter.remembered())
    saved = set(query.get("saved", []))
    page_number = request.GET.get("page")
    if saved and page_number is None:
        page_number = str(_page_of(records, saved))
    page = Paginator(records.with_related(), PAGE_SIZE).get_page(page_number)
    # Only rows on this page, which the user sees anyway: an id of another record says nothing.
    first_saved = next((r.pk for r in page if r.pk in saved), None)
    return render(
        request,
        "records/record_list.html",
        {
            "page": page,
            "filter": record_filter,
            "choices": record_filter.choices(),
            "years": [(fy, fiscal_year_label(fy)) for fy in years_with_records()],
            "fiscal_year_label": fiscal_year_label(record_filter.fiscal_year),
            "can_search_notes": can(user, "record.view_note"),
            "query_string": request.GET.urlencode(),
            "saved": saved,
            "first_saved": first_saved,
            "undo": _undoable(user, query.get("deleted")),
        },
    )


def _remember(request: AuthenticatedRequest, chosen: dict[str, str]) -> None:
    if request.session.get(FILTER_KEY) == chosen:
        return  # unchanged: no session write
    if chosen:
        request.session[FILTER_KEY] = chosen
    else:
        request.session.pop(FILTER_KEY, None)


def _page_of(records: Any, saved: set[int]) -> int:
    """The page of the list (ordered newest first) on which the first saved record is."""
    first = records.filter(pk__in=saved).order_by("-date", "-id").values_list("date", "id").first()
    if first is None:
        return 1
    day, pk = first
    before = records.filter(Q(date__gt=day) | Q(date=day, id__gt=pk)).count()
    return int(before // PAGE_SIZE + 1)


def _undoable(user: User, pk: int | None) -> SupportRecord | None:
    """The record just deleted, if it is in the trash and the user may restore it."""
    if pk is None:
        return None
    record = SupportRecord.objects.in_trash().select_related("activity_kind").filter(pk=pk).first()
    return record if record is not None and can(user, "record.restore", record) else None


def _download(
    request: AuthenticatedRequest, records: Any, fmt: str, fiscal_year: int
) -> HttpResponseBase:
    # record.export is asked by the exporter (core/exporters.py): refused, not a page.
    return records_download_response(
        records, fmt, f"支援記録_{fiscal_year_label(fiscal_year)}", by=request.user
    )


@rule("record.restore")
def trash(request: AuthenticatedRequest) -> HttpResponse:
    """What the user may restore: administrators everything, staff their own."""
    user: User = request.user
    records = (
        trash_for(user, SupportRecord.objects.in_trash())
        .with_related()
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    closed = closed_years()
    for record in page:
        # Said in the confirmation before a record of a closed year comes back.
        record.closed_notice = (
            closed_notice(record.fiscal_year, "restore") if record.fiscal_year in closed else ""
        )
    return render(
        request,
        "records/trash.html",
        {
            "page": page,
            "trash_days": TRASH_DAYS,
            "may_purge": can(user, "record.purge"),
        },
    )


@rule("record.restore")
@require_POST
def record_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, action="record.restore")
    restore_record(by=request.user, record=record)
    messages.success(request, f"{show_date(record.date)}の記録を元に戻しました。")
    if request.POST.get("back") == "list":
        return redirect(list_url(record.fiscal_year, saved=[record.pk]))
    return redirect("records:trash")


@rule("record.purge")
@require_POST
def record_purge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, action="record.purge")
    purge_record(by=request.user, record=record)
    messages.success(request, "記録を完全に削除しました。この操作は元に戻せません。")
    return redirect("records:trash")


class LookupQuery(QueryForm):
    q = TextField(label="名前")


@rule("record.create")
def lookup(request: AuthenticatedRequest, source: str) -> JsonResponse:
    """Names matching what the user typed, on the normalised name or reading (kana, width)."""
    # JSON for the pickers: an unusable ?q= (NUL, too long) finds everything, said nowhere.
    key = normalize(LookupQuery.parse(request.GET).get("q", ""))
    results: list[dict[str, str]] = []
    if source == "targets":
        groups = ActivityGroup.objects.active().select_related("kind", "region", "zone")
        regions = Region.objects.active().select_related("zone")
        groups = groups.matching(key)
        regions = regions.matching(key)
        results += [
            {"value": f"r:{r.pk}", "label": r.name, "hint": f"地域社協・{r.zone.name}"}
            for r in regions[:10]
        ]
        results += [
            {
                "value": f"g:{g.pk}",
                "label": g.name,
                "hint": f"{g.kind.name}・{(g.region or g.zone).name}",
            }
            for g in groups[:15]
        ]
    elif source == "agencies":
        agencies = Agency.objects.active().select_related("group")
        agencies = agencies.matching(key, via="group")
        results = [
            {
                "value": str(a.pk),
                "label": a.name,
                "hint": a.group.name if a.group.name != a.name else "",
            }
            for a in agencies[:15]
        ]
    return JsonResponse({"results": results})
