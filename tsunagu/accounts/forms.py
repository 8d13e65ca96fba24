from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from tsunagu.accounts.models import User
from tsunagu.core.concurrency import VersionedForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが違います。大文字と小文字は区別されます。",
        "inactive": "このアカウントは無効です。管理者に連絡してください。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ユーザー名"
        self.fields["password"].label = "パスワード"


class UserForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "role"]
        labels = {"username": "ユーザー名（ログインID）", "last_name": "氏", "first_name": "名"}
        help_texts = {"username": "半角英数字と @ . + - _ が使えます。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True


class NewUserForm(UserForm):
    password1 = forms.CharField(label="パスワード", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="パスワード（確認）", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "確認のパスワードが一致しません。")
        elif p1:
            from django.contrib.auth.password_validation import validate_password

            # The validators compare the password with the account's own name and
            # username, which the instance only receives after clean(): give them now.
            for field in ("username", "last_name", "first_name", "email"):
                if field in data:
                    setattr(self.instance, field, data[field])
            try:
                validate_password(p1, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordForm(SetPasswordForm):
    pass
