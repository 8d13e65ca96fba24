"""The API's request and response bodies (pydantic, via django-ninja)."""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from tsunagu.records.models import NOTE_MAX_LENGTH

PlaceCode = Literal["outreach", "office", "phone", "email", "visit"]
ActionCode = Literal["liaison", "referral"]
StatusCode = Literal["referred", "accepted", "in_progress", "done", "failed"]
SupportKindCode = Literal["individual", "area"]
Id = Field(ge=1, le=2**31 - 1)


class Strict(Schema):
    """Unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None


class EntryOut(Schema):
    id: int
    name: str
    active: bool
    columns: dict[str, str]


class EntityOut(Schema):
    slug: str
    title: str
    entries: list[EntryOut]


class TermOut(Schema):
    id: int
    name: str
    code: str = Field(description="機能が見つける安定した符号（読み取り専用。ない分類は空文字）")
    order: int
    retired: bool
    predecessors: list[int]
    successors: list[int]


class CategoryOut(TermOut):
    consulter_type: int
    catch_all: bool = Field(description="「その他扱い」の分類（読み取り専用）")


class ConsulterTypeOut(Schema):
    id: int
    name: str
    code: str = Field(description="機能が見つける安定した符号（読み取り専用。ない区分は空文字）")
    has_categories: bool
    active: bool


class YearListsOut(Schema):
    fiscal_year: int
    fiscal_year_label: str
    consulter_types: list[ConsulterTypeOut]
    activity_kinds: list[TermOut]
    categories: list[CategoryOut]


class AgencyLinkIn(Strict):
    agency: int = Id
    action: ActionCode = "liaison"


class AgencyLinkOut(Schema):
    agency: int
    action: str


class RecordIn(Strict):
    date: dt.date
    activity_kind: int = Id
    place: PlaceCode
    staff: int | None = Field(default=None, ge=1, le=2**31 - 1)
    target_group: int | None = Field(default=None, ge=1, le=2**31 - 1)
    target_region: int | None = Field(default=None, ge=1, le=2**31 - 1)
    zone: int | None = Field(default=None, ge=1, le=2**31 - 1)
    region: int | None = Field(default=None, ge=1, le=2**31 - 1)
    consulter_type: int | None = Field(default=None, ge=1, le=2**31 - 1)
    categories: list[int] = Field(default_factory=list, max_length=50)
    agencies: list[AgencyLinkIn] = Field(default_factory=list, max_length=50)
    initiated: bool = False
    support_kind: SupportKindCode | None = Field(
        default=None,
        description="個別支援（individual）か地域支援（area）か。null は自動（支援先と個別支援のつながりから）",
    )
    consent: bool = False
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)
    follow_up: bool = False
    follow_up_due: dt.date | None = None
    time: dt.time | None = None
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)


class RecordSummaryOut(Schema):
    id: int
    version: int
    date: dt.date
    fiscal_year: int
    activity_kind: int
    place: str
    staff: int | None
    zone: int | None
    region: int | None
    target_group: int | None
    target_region: int | None
    consulter_type: int | None
    categories: list[int]
    agencies: list[AgencyLinkOut]
    initiated: bool
    support_kind: SupportKindCode | None = Field(
        description="記録で指定した区分。null は自動（support_kind_effective が結果）"
    )
    follow_up: bool
    follow_up_due: dt.date | None


class RecordOut(RecordSummaryOut):
    time: dt.time | None
    duration_minutes: int | None
    consent: bool
    support_kind_effective: SupportKindCode = Field(
        description="報告で数える区分：指定があればそれ、なければ自動で決まったもの"
    )
    note: str | None = Field(description="メモ。読めない記録では null（note_hidden が理由）")
    note_hidden: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class RecordPage(Schema):
    items: list[RecordSummaryOut]
    next_after: int | None = Field(description="次のページの after に渡す値（最後なら null）")


class ReferralOut(Schema):
    id: int
    case: int | None
    record: int | None
    agency: int
    agency_name: str
    referred_on: dt.date
    status: str
    status_label: str
    last_update_on: dt.date
    staff: int | None
    request: str
    outcome: str


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_after: int | None


class ReferralUpdateIn(Strict):
    status: StatusCode
    updated_on: dt.date
    note: str = Field(default="", max_length=5000)


ReportOut = dict[str, Any]
