from typing import Any, ClassVar

from django import forms
from django.db import models

from tsunagu.core.concurrency import VersionedForm
from tsunagu.directory.models import (
    ActivityGroup,
    Agency,
    AgencyGroup,
    GroupKind,
    MunicipalityProfile,
    Region,
    Zone,
)
from tsunagu.lib.fiscal import FiscalParseError, parse_fiscal_year
from tsunagu.lib.reading import reading_of
from tsunagu.lib.textnorm import normalize


def limit_to_active(field: forms.Field, current: models.Model | None) -> None:
    """Offer only active rows, but keep the one already chosen even if it was retired."""
    if not isinstance(field, forms.ModelChoiceField):
        return
    queryset = field.queryset
    assert queryset is not None
    if not any(f.name == "active" for f in queryset.model._meta.fields):
        return
    active = models.Q(active=True)
    if current is not None:
        active |= models.Q(pk=current.pk)
    field.queryset = queryset.filter(active)


class DirectoryEntryForm(VersionedForm, forms.ModelForm):
    """Refuses a second entry whose name normalises to the same text (「ｻﾛﾝ」=「サロン」)."""

    # Fields that scope the uniqueness of the name (e.g. a group's zone).
    unique_within: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            current = getattr(self.instance, name, None) if self.instance.pk else None
            limit_to_active(field, current if isinstance(current, models.Model) else None)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        name = data.get("name")
        if not name:
            return data
        if self._reading_follows_the_name():
            data["reading"] = ""  # guessed again from the new name on save
        scope = {field: data.get(field) for field in self.unique_within}
        if any(value is None for value in scope.values()):
            return data
        model = self._meta.model
        duplicates = model._default_manager.filter(name_key=normalize(name), **scope)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            where = "".join(f"この{model._meta.get_field(f).verbose_name}に" for f in scope)
            self.add_error(
                "name",
                f"{where}同じ名称の{model._meta.verbose_name}「{duplicates[0].name}」がすでにあります。",
            )
        return data

    def _reading_follows_the_name(self) -> bool:
        """A renamed entry whose reading was the guess from its old name, untouched in
        the form, gets the guess from its new name: an edited reading is kept."""
        if not self.instance.pk or "reading" not in self.fields:
            return False
        if "name" not in self.changed_data or "reading" in self.changed_data:
            return False
        old_name = self.initial.get("name", "")
        return bool(self.instance.reading) and self.instance.reading == reading_of(old_name)


class FiscalYearField(forms.IntegerField):
    """A fiscal year typed as 2020, 令和2年度 or R2."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_fiscal_year(str(value))
        except FiscalParseError as error:
            raise forms.ValidationError(str(error)) from error


class MunicipalityProfileForm(VersionedForm, forms.ModelForm):
    fiscal_year = FiscalYearField(label="年度", help_text="例：2020、令和2年度")

    class Meta:
        model = MunicipalityProfile
        fields = [
            "fiscal_year",
            "name",
            "council_name",
            "population",
            "households",
            "ageing_rate",
            "area_km2",
        ]


class ZoneForm(DirectoryEntryForm):
    class Meta:
        model = Zone
        fields = ["name", "reading", "description", "staff", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelChoiceField)
        staff.queryset = staff.queryset.filter(is_active=True)  # type: ignore[union-attr]
        staff.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]


class RegionForm(DirectoryEntryForm):
    class Meta:
        model = Region
        fields = ["name", "reading", "zone", "representative", "member_count", "order"]


class GroupKindForm(DirectoryEntryForm):
    class Meta:
        model = GroupKind
        fields = ["name", "reading", "order"]


class ActivityGroupForm(DirectoryEntryForm):
    unique_within = ("zone",)

    class Meta:
        model = ActivityGroup
        fields = ["name", "reading", "kind", "zone", "region", "schedule", "contact", "order"]
        help_texts = {
            "zone": "地域社協を選ぶと、その圏域が入ります。",
            "schedule": "例：毎月第2火曜日 13:30〜15:30",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].required = False

    def clean(self) -> dict[str, Any]:
        zone, region = self.cleaned_data.get("zone"), self.cleaned_data.get("region")
        if zone is None and region is not None:
            self.cleaned_data["zone"] = zone = region.zone
        if zone is None and "zone" not in self.errors:
            self.add_error("zone", "圏域または地域社協を選んでください。")
        elif region is not None and zone is not None and region.zone_id != zone.pk:
            self.add_error(
                "region", f"地域社協「{region.name}」は{region.zone.name}の地域社協です。"
            )
        super().clean()
        return self.cleaned_data


class AgencyGroupForm(DirectoryEntryForm):
    class Meta:
        model = AgencyGroup
        fields = ["name", "reading", "order"]
        labels = {"name": "報告区分の名称"}
        help_texts = {
            "name": "報告書で一つの行にまとめる名前（例：教育支援課・教育企画課・指導課）"
        }


class AgencyForm(DirectoryEntryForm):
    class Meta:
        model = Agency
        fields = ["name", "reading", "group", "order"]
