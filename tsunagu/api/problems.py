"""Errors as RFC 9457 problem details (application/problem+json), in Japanese."""

import json
from typing import Any

from django.http import HttpResponse

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "リクエストが正しくありません",
    401: "認証が必要です",
    403: "権限がありません",
    404: "見つかりません",
    405: "この方法では使えません",
    412: "記録が更新されています",
    413: "リクエストが大きすぎます",
    422: "入力に誤りがあります",
    428: "If-Match が必要です",
    429: "リクエストが多すぎます",
}


class Problem(Exception):
    """Raised anywhere in the API; answered as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    *,
    instance: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "エラー"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(problem: Problem, path: str) -> HttpResponse:
    return problem_response(
        problem.status,
        problem.detail,
        instance=path,
        errors=problem.errors,
        headers=problem.headers,
    )


# --- pydantic's validation errors, said in Japanese ----------------------------------------

TYPE_SENTENCES = {
    "missing": "「{field}」を入れてください。",
    "extra_forbidden": "「{field}」という項目はありません。",
    "int_parsing": "「{field}」は整数で入れてください。",
    "int_type": "「{field}」は整数で入れてください。",
    "int_from_float": "「{field}」は整数で入れてください。",
    "bool_parsing": "「{field}」は true か false で入れてください。",
    "bool_type": "「{field}」は true か false で入れてください。",
    "string_type": "「{field}」は文字列で入れてください。",
    "list_type": "「{field}」は配列で入れてください。",
    "date_from_datetime_parsing": "「{field}」は YYYY-MM-DD の日付で入れてください。",
    "date_parsing": "「{field}」は YYYY-MM-DD の日付で入れてください。",
    "date_type": "「{field}」は YYYY-MM-DD の日付で入れてください。",
    "time_parsing": "「{field}」は HH:MM の時刻で入れてください。",
    "time_type": "「{field}」は HH:MM の時刻で入れてください。",
    "enum": "「{field}」は決められた値（{expected}）のどれかにしてください。",
    "literal_error": "「{field}」は決められた値（{expected}）のどれかにしてください。",
    "greater_than_equal": "「{field}」は{ge}以上にしてください。",
    "less_than_equal": "「{field}」は{le}以下にしてください。",
    "string_too_long": "「{field}」は{max_length}文字以内にしてください。",
    "too_long": "「{field}」の要素が多すぎます（{max_length}個まで）。",
    "model_attributes_type": "本文は JSON のオブジェクト（{{…}}）で送ってください。",
    "model_type": "本文は JSON のオブジェクト（{{…}}）で送ってください。",
    "dict_type": "「{field}」は JSON のオブジェクトで入れてください。",
}


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or "本文"


def sentence(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    template = TYPE_SENTENCES.get(kind, "「{field}」の値が正しくありません。")
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    ctx.setdefault("expected", "")
    try:
        return template.format(field=_field(list(error.get("loc", []))), **ctx)
    except (KeyError, IndexError):
        return f"「{_field(list(error.get('loc', [])))}」の値が正しくありません。"


def validation_problem(errors: list[dict[str, Any]]) -> Problem:
    said = [{"field": _field(list(e.get("loc", []))), "detail": sentence(e)} for e in errors]
    detail = " ".join(dict.fromkeys(e["detail"] for e in said)) or "入力に誤りがあります。"
    return Problem(422, detail, errors=said)
