"""Suggesting volunteers, and reviewing or ending a match."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.directory.models import Region, Zone
from tsunagu.volunteers.access import (
    get_match_for_user,
)
from tsunagu.volunteers.availability import SLOT_LABELS, SLOTS, WEEKDAYS
from tsunagu.volunteers.forms import (
    EndMatchForm,
    ReviewForm,
    parse_slot_values,
)
from tsunagu.volunteers.matching import suggest_volunteers
from tsunagu.volunteers.models import (
    Skill,
)
from tsunagu.volunteers.services.matches import end_match, review_match
from tsunagu.volunteers.views.common import (
    SuggestQuery,
    form_messages,
)


@rule("volunteer.view")
def suggest(request: AuthenticatedRequest) -> HttpResponse:
    """Who could help with a need described here (skills, area, days and times)."""
    skills = Skill.objects.active()
    chosen_skills = [s for s in skills if str(s.pk) in request.GET.getlist("skill")]
    query = SuggestQuery.from_request(request)
    region_pk, zone_pk = query.get("region"), query.get("zone")
    region = Region.objects.filter(pk=region_pk).first() if region_pk else None
    zone = Zone.objects.filter(pk=zone_pk).first() if zone_pk else None
    slots = parse_slot_values(request.GET.getlist("slot"))
    searched = bool(chosen_skills or region or zone or slots)
    suggestions = (
        suggest_volunteers(
            skills=[s.name for s in chosen_skills],
            region=region,
            zone=zone,
            available=slots,
            limit=20,
        )
        if searched
        else []
    )
    chosen_slot_values = set(request.GET.getlist("slot"))
    return render(
        request,
        "volunteers/suggest.html",
        {
            "skills": [(s, s in chosen_skills) for s in skills],
            "regions": Region.objects.active(),
            "zones": Zone.objects.active(),
            "region": region,
            "zone": zone,
            "slot_grid": [
                {
                    "day": WEEKDAYS[d],
                    "cells": [
                        {
                            "value": f"{d}-{s}",
                            "label": f"{WEEKDAYS[d]}曜{SLOT_LABELS[s]}",
                            "checked": f"{d}-{s}" in chosen_slot_values,
                        }
                        for s in SLOTS
                    ],
                }
                for d in range(7)
            ],
            "slot_headers": [SLOT_LABELS[s] for s in SLOTS],
            "searched": searched,
            "suggestions": suggestions,
        },
    )


@rule("volunteer_match.edit")
@require_POST
def match_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, write=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            review_match(
                by=request.user,
                match=match,
                reviewed_on=data["reviewed_on"],
                note=data.get("note", ""),
                next_review_on=data.get("next_review_on"),
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, f"見直しを記録できませんでした：{text}")
        else:
            messages.success(request, "見直しを記録しました。")
    else:
        form_messages(request, "見直しを記録できませんでした", form)
    return redirect("volunteers:request", pk=match.help_request_id)


@rule("volunteer_match.edit")
@require_POST
def match_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, write=True)
    form = EndMatchForm(request.POST)
    if form.is_valid():
        try:
            end_match(
                by=request.user,
                match=match,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, f"終了を記録できませんでした：{text}")
        else:
            messages.success(request, "マッチングの終了を記録しました。")
    else:
        form_messages(request, "終了を記録できませんでした", form)
    return redirect("volunteers:request", pk=match.help_request_id)
