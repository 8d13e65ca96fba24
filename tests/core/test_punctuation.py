"""Japanese text uses full-width punctuation: 「圏域：」, not 「圏域:」 (issue #13, point 11).

Checked where users and operators read it: every template, and every string literal of the
code (docstrings are developers' notes and are left out)."""

import ast
import re
from pathlib import Path

import pytest

import tsunagu

ROOT = Path(tsunagu.__file__).parent
JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]"
# A half-width colon, parenthesis or comma touching Japanese text.
MIXED = re.compile(rf"{JAPANESE}[:(),]|[(]{JAPANESE}")


def strings_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def is_pattern(value: str) -> bool:
    """A regular expression or an address template, where ASCII punctuation is syntax."""
    return "(?" in value or "\\" in value or "://" in value


def offending() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = re.sub(r"{[%{#].*?[%}#]}|<[^>]*>", "", line)  # template tags and HTML markup
            if MIXED.search(text):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for n, value in strings_of(path):
            if is_pattern(value):
                continue
            if MIXED.search(value):
                found.append(f"{path.relative_to(ROOT)}:{n}: {value!r}")
    return found


def test_japanese_text_uses_full_width_punctuation() -> None:
    assert offending() == []


@pytest.mark.parametrize("text", ["圏域:東部", "件数(合計)", "(東部)", "東部,西部"])
def test_the_check_finds_half_width_punctuation(text: str) -> None:
    assert MIXED.search(text)
