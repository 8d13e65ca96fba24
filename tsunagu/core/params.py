"""Query-string parameters, parsed by forms that never raise.

Every list page reads its filters from the URL, and the URL is whatever a visitor typed:
`?zone=²` (a digit to `str.isdigit()` but not to `int()`), thirty-digit numbers that overflow
the database's integers, NUL bytes that PostgreSQL refuses. A page declares its parameters
as a `QueryForm`; `parse()` keeps each value that is valid, drops each that is not (the
page then shows everything for that filter), and says in Japanese which were dropped.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

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


class TextField(forms.CharField):
    """Free text such as a search; NUL bytes are refused by Django's CharField."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)


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


class QueryForm(forms.Form):
    """The parameters of one page. Subclasses declare fields; `parse` never raises."""

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
