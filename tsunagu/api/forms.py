from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.api.models import Scope
from tsunagu.records.forms import JapaneseDateField


def _label(user: User) -> str:
    return f"{user.display_name}（{user.get_role_display()}）"


class IssueForm(forms.Form):
    user = forms.ModelChoiceField(
        label="職員", queryset=User.objects.filter(is_active=True).order_by("username")
    )
    name = forms.CharField(label="用途", max_length=100, help_text="例：市の集計システム")
    scope = forms.ChoiceField(label="範囲", choices=Scope.choices, initial=Scope.READ)
    expires_on = JapaneseDateField(label="有効期限", help_text="この日の終わりまで使えます")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.label_from_instance = _label  # type: ignore[method-assign,assignment]
        self.initial.setdefault(
            "expires_on", (timezone.localdate() + timedelta(days=90)).isoformat()
        )

    def clean_expires_on(self) -> datetime:
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("有効期限は今日以降の日付にしてください。")
        if day > timezone.localdate() + timedelta(days=366 * 2):
            raise forms.ValidationError("有効期限は2年以内にしてください。")
        end = datetime.combine(day + timedelta(days=1), time.min)
        return timezone.make_aware(end)
