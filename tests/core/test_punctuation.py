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
# A half-width space before the particle の after Japanese text or a closing bracket
# (「地域支援 の」「「圏域」 の」), or before のどれ・のいずれ after anything: a list of choices
# runs straight into its particle (「「来所」「電話」のどれか」). In an f-string the text
# after a placeholder is its own literal, so "{choices} のどれか" is caught too.
STRAY_SPACE = re.compile(rf"(?:{JAPANESE}|[」』】]) の| の(?:どれ|いずれ)")
TAGS = r"{[%{#].*?[%}#]}|<[^>]*>"


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
            # Template tags and HTML markup; for the space before の a tag stays a break, so
            # the spaces between elements (「）</a> <span>のまま」) are not taken for text.
            text = re.sub(TAGS, "", line)
            if MIXED.search(text) or STRAY_SPACE.search(re.sub(TAGS, "\0", line)):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for n, value in strings_of(path):
            if is_pattern(value):
                continue
            if MIXED.search(value) or STRAY_SPACE.search(value):
                found.append(f"{path.relative_to(ROOT)}:{n}: {value!r}")
    return found


def test_japanese_text_uses_full_width_punctuation() -> None:
    assert offending() == []


@pytest.mark.parametrize("text", ["圏域:東部", "件数(合計)", "(東部)", "東部,西部"])
def test_the_check_finds_half_width_punctuation(text: str) -> None:
    assert MIXED.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "空欄（自動）、個別支援、地域支援 のどれかを書いてください。",
        "「圏域」、「地域社協」 のどれかです。",
        " のどれかを書いてください。",  # the literal after "{choices}" in an f-string
        "2020、令和2年度、R2 のどれでも入力できます。",
        "「2020」や「令和2年度」 のように",
    ],
)
def test_the_check_finds_a_stray_space_before_the_particle(text: str) -> None:
    assert STRAY_SPACE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "「来所」「電話」のどれかを書いてください。",
        "記録ID 12 の支援記録",  # a number keeps its spaces
        "PostgreSQL のサーバー",
    ],
)
def test_the_check_leaves_natural_text_alone(text: str) -> None:
    assert not STRAY_SPACE.search(text)
