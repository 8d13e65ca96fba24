"""Bulk entry for one outing: the consultations taken at one salon visit share date,
place and target, and are written on one screen."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.models import User
from tsunagu.core.access import rule
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.forms import (
    CategoryChoices,
    ConsultationFormSet,
    OutingForm,
    carry_categories,
    carry_kind,
    initial_for,
)
from tsunagu.records.models import AgencyAction
from tsunagu.records.services import (
    AlreadySaved,
    RecordData,
    find_saved_entry,
    new_entry_token,
    record_outing,
)
from tsunagu.records.views import LAST_PLACE_KEY, fiscal_year_from, list_url
from tsunagu.reports.closures import notice_if_closed

MAX_ROWS = 30  # the formset's max_num


@rule("record.create")
def outing_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    already_saved = None
    if request.method == "POST":
        fiscal_year = fiscal_year_from(request.POST.get("date"))
        form = OutingForm(request.POST, fiscal_year=fiscal_year)
        formset = ConsultationFormSet(request.POST, prefix="c", fiscal_year=fiscal_year)  # type: ignore[call-arg]
        # Sent again (Back, then 保存): said before the form is judged, whatever it holds now.
        already_saved = find_saved_entry(request.POST.get("entry_token", ""))
        if already_saved is None and form.is_valid() and formset.is_valid():
            shared = form.shared_values()
            kind = form.cleaned_data["consultation_kind"]
            consultations = []
            for sub in formset:
                if sub.is_blank():
                    continue
                values, categories, agencies = sub.consultation_values()
                consultations.append(
                    RecordData(
                        values={**values, "activity_kind": kind},
                        categories=categories,
                        agencies=agencies,
                    )
                )
            visit = None
            if form.cleaned_data.get("visit_kind"):
                visit = {
                    "activity_kind": form.cleaned_data["visit_kind"],
                    "note": form.cleaned_data.get("visit_note", ""),
                }
            try:
                records = record_outing(
                    by=user,
                    shared=shared,
                    visit=visit,
                    consultations=consultations,
                    entry_token=form.cleaned_data["entry_token"],
                )
            except AlreadySaved:
                already_saved = find_saved_entry(form.cleaned_data["entry_token"])
            except ValidationError as error:
                # The service speaks of one record's fields, most of them on the rows.
                form.add_error(None, error.messages)
            else:
                request.session[LAST_PLACE_KEY] = shared["place"]
                messages.success(request, f"出向き先での記録を{len(records)}件保存しました。")
                return redirect(list_url(records[0].fiscal_year, saved=[r.pk for r in records]))
    else:
        initial = initial_for(user, request.session.get(LAST_PLACE_KEY))
        if request.GET.get("date"):
            initial["date"] = request.GET["date"]
        initial["entry_token"] = new_entry_token()
        fiscal_year = fiscal_year_from(initial["date"])
        form = OutingForm(initial=initial, fiscal_year=fiscal_year)
        formset = ConsultationFormSet(prefix="c", fiscal_year=fiscal_year)  # type: ignore[call-arg]
    return render(
        request,
        "records/outing_form.html",
        {
            **_context(form, formset),
            "closed_notice": notice_if_closed(form.fiscal_year, "create"),
            "already_saved": already_saved,
        },
    )


@rule("record.create")
@require_POST
def outing_choices(request: HttpRequest) -> HttpResponse:
    """What depends on the fiscal year, redrawn for a newly typed date (htmx, out of band):
    the two activity kinds and each row's categories. The target, the notes and the rest
    of every row are not sent back: they stay in the page as typed."""
    post = request.POST
    fiscal_year = fiscal_year_from(post.get("date"))
    initial: dict[str, Any] = {key: post.get(key) for key in OutingForm.base_fields}
    kind_notices = []
    for name, label in (("visit_kind", "出向きの記録"), ("consultation_kind", "相談の活動種別")):
        initial[name], notice = carry_kind(post.get(name), fiscal_year, label=label)
        if notice:
            kind_notices.append(notice)
    form = OutingForm(initial=initial, fiscal_year=fiscal_year)
    try:
        count = min(int(post.get("c-TOTAL_FORMS", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows_initial, notices = [], []
    for index in range(count):
        values, row_notices = carry_categories(post.getlist(f"c-{index}-categories"), fiscal_year)
        rows_initial.append({"categories": values})
        notices.append([f"相談{index + 1}：{n}" for n in row_notices])
    formset = ConsultationFormSet(prefix="c", fiscal_year=fiscal_year, initial=rows_initial)  # type: ignore[call-arg]
    formset.extra = 0  # exactly the rows the page has
    context = _context(form, formset, notices=notices)
    return render(
        request,
        "records/_outing_year_choices.html",
        {
            **context,
            "oob": True,
            "kind_notices": kind_notices,
            "closed_notice": notice_if_closed(fiscal_year, "create"),
        },
    )


def _context(
    form: OutingForm, formset: Any, notices: list[list[str]] | None = None
) -> dict[str, Any]:
    choices = CategoryChoices.for_year(form.fiscal_year)
    rows = []
    for index, sub in enumerate([*formset.forms, formset.empty_form]):
        rows.append(
            {
                "form": sub,
                "category_groups": choices.groups(sub),
                "category_notices": (notices or [])[index] if index < len(notices or []) else [],
                "chosen_agencies": sub.chosen_agencies()
                if sub.prefix != formset.empty_form.prefix
                else [],
            }
        )
    return {
        "form": form,
        "formset": formset,
        "rows": rows[:-1],
        "empty_row": rows[-1],
        "fiscal_year": form.fiscal_year,
        "fiscal_year_label": fiscal_year_label(form.fiscal_year),
        "agency_actions": AgencyAction.choices,
        "target_label": form.target_label(),
    }
