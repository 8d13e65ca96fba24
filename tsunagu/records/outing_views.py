"""Bulk entry for one outing: the consultations taken at one salon visit share date,
place and target, and are written on one screen."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tsunagu.accounts.models import User
from tsunagu.core.access import rule
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.forms import CategoryChoices, ConsultationFormSet, OutingForm, initial_for
from tsunagu.records.models import AgencyAction
from tsunagu.records.services import RecordData, record_outing
from tsunagu.records.views import LAST_PLACE_KEY, _fiscal_year_from


@rule("record.create")
def outing_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        fiscal_year = _fiscal_year_from(request.POST.get("date"))
        form = OutingForm(request.POST, fiscal_year=fiscal_year)
        formset = ConsultationFormSet(request.POST, prefix="c", fiscal_year=fiscal_year)  # type: ignore[call-arg]
        if form.is_valid() and formset.is_valid():
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
                    by=user, shared=shared, visit=visit, consultations=consultations
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[LAST_PLACE_KEY] = shared["place"]
                messages.success(request, f"出向き先での記録を{len(records)}件保存しました。")
                return redirect("records:list")
    else:
        initial = initial_for(user, request.session.get(LAST_PLACE_KEY))
        if request.GET.get("date"):
            initial["date"] = request.GET["date"]
        fiscal_year = _fiscal_year_from(initial["date"])
        form = OutingForm(initial=initial, fiscal_year=fiscal_year)
        formset = ConsultationFormSet(prefix="c", fiscal_year=fiscal_year)  # type: ignore[call-arg]
    return render(request, "records/outing_form.html", _context(form, formset))


def _context(form: OutingForm, formset: Any) -> dict[str, Any]:
    choices = CategoryChoices.for_year(form.fiscal_year)
    rows = []
    for sub in [*formset.forms, formset.empty_form]:
        rows.append(
            {
                "form": sub,
                "category_groups": choices.groups(sub),
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
