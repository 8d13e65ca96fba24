from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.access import get_user_for_user
from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.forms import LoginForm, NewUserForm, PasswordForm, UserForm
from tsunagu.accounts.models import User
from tsunagu.accounts.services import (
    create_user,
    locked_usernames,
    set_user_active,
    set_user_password,
    unlock_user,
    update_user,
)
from tsunagu.core.access import rule
from tsunagu.core.concurrency import Conflict, edit_page


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@rule("account.manage")
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    users = User.objects.prefetch_related("zones").order_by("-is_active", "last_name", "username")
    return render(
        request, "accounts/user_list.html", {"users": users, "locked": locked_usernames()}
    )


@rule("account.manage")
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_user(by=request.user, form=form)
        messages.success(request, f"職員アカウント「{user.display_name}」を作成しました。")
        return redirect("accounts:list")
    return render(request, "accounts/user_form.html", {"form": form})


@rule("account.manage")
@edit_page("accounts:edit", User)
def user_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request, pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            update_user(by=request.user, form=form)
        except Conflict as error:
            form.show_conflict(error)
        else:
            messages.success(request, f"職員アカウント「{user.display_name}」を保存しました。")
            return redirect("accounts:list")
    return render(request, "accounts/user_form.html", {"form": form, "object": user})


@rule("account.manage")
def user_password(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request, pk)
    form = PasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_user_password(by=request.user, user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, f"「{user.display_name}」のパスワードを設定しました。")
        return redirect("accounts:list")
    return render(request, "accounts/password_form.html", {"form": form, "object": user})


@rule("account.manage")
@require_POST
def user_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        set_user_active(by=request.user, user=user, active=active)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        state = "有効に" if active else "無効に"
        messages.success(request, f"「{user.display_name}」を{state}しました。")
    return redirect("accounts:list")


@rule("account.manage")
@require_POST
def user_unlock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request, pk)
    if unlock_user(by=request.user, user=user):
        messages.success(request, f"「{user.display_name}」のログインの一時停止を解除しました。")
    else:
        messages.info(request, f"「{user.display_name}」のログインは停止されていません。")
    return redirect("accounts:list")
