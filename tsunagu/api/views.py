"""The administrator's screen of API tokens: issue one to an account (shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.api.forms import IssueForm
from tsunagu.api.models import ApiToken
from tsunagu.api.services import issue_token, revoke_token
from tsunagu.core.access import rule


@rule("api_token.manage")
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    issued = None
    if request.method == "POST":
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                issued = issue_token(
                    by=request.user,
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.cleaned_data["expires_on"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = IssueForm()
    else:
        form = IssueForm()
    tokens = ApiToken.objects.select_related("user", "created_by")
    response = render(
        request, "api/token_list.html", {"form": form, "issued": issued, "tokens": tokens}
    )
    if issued is not None:
        response["Cache-Control"] = "no-store"  # the secret is on this page only
    return response


@rule("api_token.manage")
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    revoke_token(by=request.user, token=token)
    messages.success(request, f"トークン「{token.name}」を取り消しました。もう使えません。")
    return redirect("api_tokens:list")
