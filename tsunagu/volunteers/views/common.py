"""Query forms and small helpers the volunteer centre's views share."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.params import ChoiceField, FiscalYearField, IdField, QueryForm
from tsunagu.lib.fiscal import (
    current_fiscal_year,
    fiscal_year_label,
)
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.consultations import category_name
from tsunagu.volunteers.models import (
    OfferStatus,
    RequestStatus,
)
from tsunagu.volunteers.queries import (
    insurance_years,
)

PAGE_SIZE = 50
SUGGESTION_LIMIT = 10


class YearQuery(QueryForm):
    fy = FiscalYearField(label="年度")


class OfferQuery(YearQuery):
    status = ChoiceField(label="状況", choices=[("", ""), *OfferStatus.choices])


class RequestQuery(QueryForm):
    status = ChoiceField(
        label="状況", choices=[("", ""), ("current", ""), ("all", ""), *RequestStatus.choices]
    )


class SuggestQuery(QueryForm):
    """The suggestion form's area (its skills and slots are lists, matched as text)."""

    region = IdField(label="地域")
    zone = IdField(label="圏域")


def fiscal_year_of(request: AuthenticatedRequest) -> int:
    """The fiscal year of ?fy= (2020, 令和2年度 …), else the current one."""
    return int(YearQuery.from_request(request).get("fy") or current_fiscal_year())


def year_choices(selected: int) -> list[tuple[int, str]]:
    current = current_fiscal_year()
    years = set(range(current - 3, current + 1)) | {selected} | set(insurance_years())
    return [(fy, fiscal_year_label(fy)) for fy in sorted(years, reverse=True)]


# --- landing page --------------------------------------------------------------------------


def add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields where it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def form_messages(request: AuthenticatedRequest, prefix: str, form: Any) -> None:
    """A small form posted from a detail page: its errors come back as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in errors:
            messages.error(request, f"{prefix}：{label}　{problem}")


def counted_as(category_code: str, record: SupportRecord | None) -> str:
    """「…」の相談として令和2年度の支援記録に数えます。 with the category's name that year."""
    if record is None:
        return ""
    name = category_name(category_code, record.fiscal_year)
    label = fiscal_year_label(record.fiscal_year)
    return f"「{name}」の相談として{label}の支援記録に数えます。" if name else ""
