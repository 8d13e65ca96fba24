"""The list of needs (困りごとの種類) and what answers each: the council's data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.cases.access import get_need_for_user
from tsunagu.cases.forms import NeedKindForm
from tsunagu.cases.models import NeedKind
from tsunagu.cases.services import save_need_kind
from tsunagu.core.access import rule
from tsunagu.core.concurrency import Conflict, edit_page


@rule("need.edit")
def need_list(request: AuthenticatedRequest) -> HttpResponse:
    needs = NeedKind.objects.prefetch_related("group_kinds", "skills").order_by("order", "id")
    return render(request, "cases/need_list.html", {"needs": needs})


def _save(request: AuthenticatedRequest, form: NeedKindForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    need = form.save(commit=False)
    try:
        save_need_kind(
            by=request.user,
            need=need,
            fields=[f for f in form.changed_data if f in ("name", "order", "active")],
            relations={
                "group_kinds": list(form.cleaned_data["group_kinds"]),
                "skills": list(form.cleaned_data["skills"]),
            },
            expected_version=form.cleaned_data.get("version"),
        )
    except Conflict as error:
        form.show_conflict(error)
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, f"困りごと「{need.name}」を保存しました。")
    return redirect("cases:need_list")


@rule("need.edit")
def need_new(request: AuthenticatedRequest) -> HttpResponse:
    form = NeedKindForm(request.POST or None)
    if request.method == "POST" and (response := _save(request, form)):
        return response
    return render(request, "cases/need_form.html", {"form": form})


@rule("need.edit")
@edit_page("cases:need_edit", NeedKind)
def need_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request, pk)
    form = NeedKindForm(request.POST or None, instance=need)
    if request.method == "POST" and (response := _save(request, form)):
        return response
    return render(request, "cases/need_form.html", {"form": form, "need": need})
