"""What happens within a case: asks (打診) and their answers, matches and their reviews
and end, follow-ups. Each screen: checkpoint → form → service → message → redirect."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.cases.access import (
    get_ask_for_user,
    get_case_for_user,
    get_follow_up_for_user,
    get_match_for_user,
)
from tsunagu.cases.forms import (
    AnswerForm,
    AskForm,
    EndMatchForm,
    FollowUpDoneForm,
    FollowUpForm,
    MatchForm,
    ReviewForm,
)
from tsunagu.cases.models import Case
from tsunagu.cases.services import (
    add_follow_up,
    answer_ask,
    complete_follow_up,
    end_match,
    record_ask,
    record_match,
    review_match,
)
from tsunagu.core.access import rule
from tsunagu.core.dates import show_date
from tsunagu.core.params import IdField, QueryForm, TextField


def _today() -> str:
    return timezone.localdate().isoformat()


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#timeline"


def _render(
    request: AuthenticatedRequest, case: Case, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request, "cases/step_form.html", {"case": case, "form": form, "title": title, **extra}
    )


class ChoiceQuery(QueryForm):
    """What the suggestions on the case page chose, carried to the ask or match form."""

    group = IdField(label="活動団体")
    volunteer = IdField(label="ボランティア")
    need = IdField(label="支援の内容")
    reasons = TextField(label="理由", max_length=300)


@rule("case.edit")
def ask_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if request.method == "POST":
        form = AskForm(request.POST, case=case)
        if form.is_valid():
            try:
                ask = record_ask(by=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{ask.group.name}への打診を記録しました。回答があったら記録してください。",
                )
                return redirect(_back(case))
    else:
        initial: dict[str, object] = {"asked_on": _today(), "occasion": "定例会"}
        if group := ChoiceQuery.from_request(request).get("group"):
            initial["group"] = group
        form = AskForm(initial=initial, case=case)
    return _render(
        request,
        case,
        form,
        "打診の記録",
        lead="活動団体に、この方の支援をお願いできるか尋ねたことを記録します。",
    )


@rule("case.edit")
def ask_answer(request: AuthenticatedRequest, pk: int, ask_pk: int) -> HttpResponse:
    ask = get_ask_for_user(request, pk, ask_pk, write=True)
    case = ask.case
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                answer_ask(
                    by=request.user,
                    ask=ask,
                    answer=form.cleaned_data["answer"],
                    answered_on=form.cleaned_data["answered_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{ask.group.name}の回答を記録しました。")
                if ask.answer == "accepted":
                    messages.info(
                        request, "引き受けてもらえる場合は、続けてマッチングを記録してください。"
                    )
                return redirect(_back(case))
    else:
        form = AnswerForm(initial={"answered_on": _today()})
    return _render(
        request,
        case,
        form,
        f"{ask.group.name}の回答",
        lead=f"{show_date(ask.asked_on)}の打診への回答を記録します。",
    )


@rule("case.edit")
def match_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if request.method == "POST":
        form = MatchForm(request.POST, case=case)
        if form.is_valid():
            try:
                match = record_match(by=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"マッチング（{match.helper_name}・{match.frequency}）を記録しました。"
                )
                return redirect(_back(case))
    else:
        initial: dict[str, Any] = {"started_on": _today()}
        query = ChoiceQuery.from_request(request)
        for name in ("group", "volunteer", "need"):
            if value := query.get(name):
                initial[name] = value
        initial["reasons"] = query["reasons"]
        form = MatchForm(initial=initial, case=case)
    return _render(
        request,
        case,
        form,
        "マッチングの記録",
        lead="誰が、どのくらいの頻度で、いつから支援するかを記録します。",
    )


@rule("case.edit")
def match_review(request: AuthenticatedRequest, pk: int, match_pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, match_pk, write=True)
    case = match.case
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review_match(by=request.user, match=match, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "見直しを記録しました。")
                return redirect(_back(case))
    else:
        form = ReviewForm(initial={"reviewed_on": _today()})
    return _render(request, case, form, f"見直し：{match.helper_name}")


@rule("case.edit")
def match_end(request: AuthenticatedRequest, pk: int, match_pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, match_pk, write=True)
    case = match.case
    if request.method == "POST":
        form = EndMatchForm(request.POST)
        if form.is_valid():
            try:
                end_match(by=request.user, match=match, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{match.helper_name}のマッチングを終了しました。")
                return redirect(_back(case))
    else:
        form = EndMatchForm(initial={"ended_on": _today()})
    return _render(request, case, form, f"マッチングの終了：{match.helper_name}")


@rule("case.edit")
def follow_up_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                add_follow_up(by=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "フォローアップの予定を入れました。その日になるとホーム画面に出ます。"
                )
                return redirect(_back(case))
    else:
        form = FollowUpForm()
    return _render(request, case, form, "フォローアップの予定")


@rule("case.edit")
def follow_up_done(request: AuthenticatedRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    follow_up = get_follow_up_for_user(request, pk, follow_up_pk, write=True)
    case = follow_up.case
    if request.method == "POST":
        form = FollowUpDoneForm(request.POST)
        if form.is_valid():
            try:
                complete_follow_up(
                    by=request.user,
                    follow_up=follow_up,
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "フォローアップの結果を記録しました。")
                return redirect(_back(case))
    else:
        form = FollowUpDoneForm(initial={"done_on": _today()})
    return _render(request, case, form, f"フォローアップの結果：{follow_up.what}")
