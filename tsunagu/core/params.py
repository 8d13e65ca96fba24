"""Query-string parameters, parsed by forms that never raise.

Every list page reads its filters from the URL, and the URL is whatever a visitor typed:
`?zone=²` (a digit to `str.isdigit()` but not to `int()`), thirty-digit numbers that overflow
the database's integers, NUL bytes that PostgreSQL refuses. A page declares its parameters
as a `QueryForm`; `parse()` keeps each value that is valid, drops each that is not (the
page then shows everything for that filter), and says in Japanese which were dropped.

The page number is left to Django's `Paginator.get_page`, which turns any text into a
page; `?next=` to `url_has_allowed_host_and_scheme`.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, QueryDict

from tsunagu.lib.fiscal import DateParseError, FiscalParseError, parse_date, parse_fiscal_year

# The largest id the database can hold (a signed 64-bit integer on SQLite and PostgreSQL).
MAX_ID = 2**63 - 1
# Long enough for any search a person types; a bound so that nobody can make a
# multi-megabyte LIKE pattern.
MAX_TEXT = 200


class IdField(forms.IntegerField):
    """A row's primary key: a positive integer within the database's range.

    Full-width digits (１２) are accepted, as Japanese input methods type them."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# Control characters nobody types into a search box (tab and line breaks are kept: a note
# sent for suggestions has them). NUL is not among them: Django's CharField refuses it.
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_id(text: str | None) -> int | None:
    """A row id from one piece of text (an id inside a value such as "g:12"): an int
    within the database's range, else None. `str.isdigit()` is no test for this: "²" is
    a digit to it, and int() refuses it."""
    try:
        value = IdField().clean(text)
    except forms.ValidationError:
        return None
    return int(value) if value is not None else None


class TextField(forms.CharField):
    """Free text such as a search: capped at `max_length`, control characters removed;
    NUL bytes (which PostgreSQL refuses) are refused by Django's CharField."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return CONTROL.sub("", value) if isinstance(value, str) else value


class FlagField(forms.BooleanField):
    """A checkbox of a filter (?inactive=1): on for "1" (or "on", as a browser sends an
    unvalued checkbox), off for anything else; never an error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # A text widget hands over the raw text (a checkbox widget makes any text True).
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        return value in ("1", "on", "true", True)


class FiscalYearField(forms.Field):
    """A fiscal year as people write it (2020, 令和2年度, R2 …; `lib.fiscal`), as an int."""

    says_why = True  # the message of lib.fiscal tells how to write a year
    max_length = 20

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = CONTROL.sub("", str(value or "")).strip()
        if not text:
            return None
        if len(text) > self.max_length or not text.isprintable():
            # Not repeated back: the message of lib.fiscal quotes what was typed.
            raise forms.ValidationError("年度として読み取れません。")
        try:
            return parse_fiscal_year(text)
        except FiscalParseError as error:
            raise forms.ValidationError(str(error)) from error


class DateField(forms.Field):
    """A date as people write it (2020-04-01, 2020/4/1, 令和2年4月1日, R2.4.1; `lib.fiscal`)."""

    says_why = True  # the message of lib.fiscal tells how to write a date
    max_length = 30

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        text = CONTROL.sub("", str(value or "")).strip()
        if not text:
            return None
        if len(text) > self.max_length or not text.isprintable():
            raise forms.ValidationError("日付として読み取れません。")
        try:
            return parse_date(text)
        except DateParseError as error:
            raise forms.ValidationError(str(error)) from error


class IdListField(forms.Field):
    """Row ids separated by commas (?saved=12,13), at most `max_ids`; one id that does not
    fit (as `parse_id` reads it) drops the whole value."""

    max_ids = 50

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        text = str(value or "").strip()
        if not text:
            return []
        parts = text.split(",")
        if len(parts) > self.max_ids:
            raise forms.ValidationError("too many ids")
        ids = [parse_id(part.strip()) for part in parts]
        if any(i is None for i in ids):
            raise forms.ValidationError("not an id")
        return list(dict.fromkeys(i for i in ids if i is not None))


class ChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@dataclass
class ParsedQuery:
    """The valid values of a query string (invalid ones replaced by their field's empty
    value) and one message per parameter that was ignored."""

    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    # The raw text of each parameter, to show the form as it was submitted.
    raw: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value in (None, "") else value

    def shown(self, name: str) -> str:
        """The valid value as text, to mark the chosen option of a filter ("" if none)."""
        value = self.values.get(name)
        return "" if value in (None, "", False) else str(value)


class QueryForm(forms.Form):
    """The parameters of one page. Subclasses declare fields; `parse` never raises.

    Every subclass is listed in `QueryForm.declared`, so that a test can send every
    parameter any page reads to every page (tests/core/test_params_fuzz.py)."""

    declared: ClassVar[list[type["QueryForm"]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        QueryForm.declared.append(cls)

    @classmethod
    def from_request(cls, request: HttpRequest) -> ParsedQuery:
        """The page's query string, each ignored parameter said as an error message."""
        query = cls.parse(request.GET)
        for error in query.errors:
            messages.error(request, error)
        return query

    @classmethod
    def parse(cls, params: QueryDict) -> ParsedQuery:
        form = cls(params)
        form.is_valid()
        values: dict[str, Any] = {}
        errors: list[str] = []
        raw: dict[str, str] = {}
        for name, declared in form.fields.items():
            text = params.get(name, "")
            raw[name] = text if name not in form.errors else ""
            if name in form.errors:
                label = declared.label or name
                if getattr(declared, "says_why", False):
                    errors.append(f"{form.errors[name][0]}「{label}」の指定は使いませんでした。")
                else:
                    errors.append(
                        f"「{label}」の指定（{_shown(text)}）が正しくないため、使いませんでした。"
                    )
                values[name] = declared.to_python(None)
            else:
                values[name] = form.cleaned_data.get(name)
        return ParsedQuery(values=values, errors=errors, raw=raw)


def _shown(text: str) -> str:
    """The offending value, safe and short enough to repeat back in a message."""
    clean = "".join(ch for ch in text if ch.isprintable())
    return clean[:20] + ("…" if len(clean) > 20 else "")
