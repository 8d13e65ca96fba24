"""The directory's entities and how their screens show them.

One registry drives the list/add/edit/deactivate screens of every entity, so adding an
entity is a model, a form and one `Entity(...)` below (see CONTRIBUTING.md).
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import Http404

from tsunagu.directory import forms as directory_forms
from tsunagu.directory.models import (
    ActivityGroup,
    Agency,
    AgencyGroup,
    GroupKind,
    MunicipalityProfile,
    Region,
    Zone,
)


@dataclass(frozen=True)
class Column:
    label: str
    path: str  # attribute path, e.g. "zone.name"

    def value(self, obj: models.Model) -> Any:
        value: Any = obj
        for part in self.path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value


@dataclass(frozen=True)
class Entity:
    slug: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    columns: tuple[Column, ...]
    description: str = ""
    related: tuple[str, ...] = field(default=())
    # Filters offered above the list: name of a ForeignKey field on the model.
    filters: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def has_active_flag(self) -> bool:
        return any(f.name == "active" for f in self.model._meta.fields)

    @property
    def searchable(self) -> bool:
        return any(f.name == "name_key" for f in self.model._meta.fields)

    def queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.select_related(*self.related)


ENTITIES: dict[str, Entity] = {
    entity.slug: entity
    for entity in [
        Entity(
            slug="municipality",
            model=MunicipalityProfile,
            form=directory_forms.MunicipalityProfileForm,
            description="人口・世帯数・高齢化率・面積。年度ごとに保存し、報告書に載ります。",
            columns=(
                Column("年度", "fiscal_year_label"),
                Column("市区町村名", "name"),
                Column("人口（人）", "population"),
                Column("世帯数", "households"),
                Column("高齢化率（％）", "ageing_rate"),
                Column("面積（km²）", "area_km2"),
            ),
        ),
        Entity(
            slug="zones",
            model=Zone,
            form=directory_forms.ZoneForm,
            description="駅を中心にした圏域と、その地域担当職員。",
            related=("staff",),
            columns=(
                Column("名称", "name"),
                Column("説明", "description"),
                Column("地域担当職員", "staff.display_name"),
            ),
        ),
        Entity(
            slug="regions",
            model=Region,
            form=directory_forms.RegionForm,
            description="小学校区ごとの地域社協・福祉の会。",
            related=("zone",),
            filters=("zone",),
            columns=(
                Column("名称", "name"),
                Column("圏域", "zone.name"),
                Column("代表者", "representative"),
                Column("会員数", "member_count"),
            ),
        ),
        Entity(
            slug="group-kinds",
            model=GroupKind,
            form=directory_forms.GroupKindForm,
            description="サロン・居場所・子ども食堂など、活動団体の種別の一覧。",
            columns=(Column("名称", "name"),),
        ),
        Entity(
            slug="groups",
            model=ActivityGroup,
            form=directory_forms.ActivityGroupForm,
            description="サロン・居場所・子ども食堂・ボランティア団体など、活動団体と活動の場。",
            related=("kind", "zone", "region"),
            filters=("zone", "region", "kind"),
            columns=(
                Column("名称", "name"),
                Column("種別", "kind.name"),
                Column("圏域", "zone.name"),
                Column("地域社協", "region.name"),
                Column("開催日時", "schedule"),
            ),
        ),
        Entity(
            slug="agency-groups",
            model=AgencyGroup,
            form=directory_forms.AgencyGroupForm,
            description="報告書で関係機関をまとめて一つの行にする区分。",
            columns=(Column("報告区分の名称", "name"),),
        ),
        Entity(
            slug="agencies",
            model=Agency,
            form=directory_forms.AgencyForm,
            description="市役所の各課・地域包括支援センター・法人など、連携する関係機関。",
            related=("group",),
            filters=("group",),
            columns=(Column("名称", "name"), Column("報告区分", "group.name")),
        ),
    ]
}


def get_entity(slug: str) -> Entity:
    try:
        return ENTITIES[slug]
    except KeyError:
        raise Http404("そのマスタはありません。") from None
