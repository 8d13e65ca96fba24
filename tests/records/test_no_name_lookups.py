"""Features find the entries they depend on by code (records/codes.py), never by name:
a council may rename 「ボランティアしたい」 at any time. This scan fails for a lookup by
one of those names added later anywhere but the defaults, the demo and the migrations."""

import ast
from pathlib import Path

from tsunagu.lib.textnorm import normalize
from tsunagu.records.defaults import ACTIVITY_KIND_CODES, CATEGORY_CODES, CONSULTER_TYPE_CODES

SOURCE = Path(__file__).resolve().parents[2] / "tsunagu"
# Where the default names legitimately live: what a council starts with, the demo
# council's data, and the migrations that seed and code existing databases.
ALLOWED = ("records/defaults.py",)
# The fragment the outing screen once picked its visit kind by.
FRAGMENTS = {"出向き"}


def protected() -> set[str]:
    names = {d.name for d in [*CONSULTER_TYPE_CODES, *CATEGORY_CODES, *ACTIVITY_KIND_CODES]}
    return names | {normalize(name) for name in names} | FRAGMENTS


def sources() -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and "demo" not in path.relative_to(SOURCE).parts
        and path.relative_to(SOURCE).as_posix() not in ALLOWED
    ]


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants (prose, never a lookup)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def name_lookups(path: Path, root: Path = SOURCE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    names = protected()
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and node.value.strip() in names
    ]


def test_no_code_looks_up_a_coded_entry_by_its_name() -> None:
    found = [hit for path in sources() for hit in name_lookups(path)]
    assert found == []


def test_the_scan_finds_a_lookup_by_name(tmp_path: Path) -> None:
    module = tmp_path / "lookup.py"
    module.write_text(
        '"""Docstrings may name 「ボランティアしたい」."""\n'
        'KIND = "相談対応"\n'
        'label = f"「{KIND}」の相談"\n'
        'kinds = Kind.objects.filter(name__contains="出向き")\n'
        'category = Category.objects.get(name_key="寄付(寄贈)したい")\n',
        encoding="utf-8",
    )
    found = [hit.split(": ", 1)[1] for hit in name_lookups(module, tmp_path)]
    assert found == ["'相談対応'", "'出向き'", "'寄付(寄贈)したい'"]


def test_the_scan_covers_the_volunteer_centre() -> None:
    scanned = {path.relative_to(SOURCE).as_posix() for path in sources()}
    assert {
        "volunteers/consultations.py",
        "volunteers/services/registrations.py",
        "volunteers/services/offers.py",
        "records/forms.py",
    } <= scanned
    assert "demo/volunteers.py" not in scanned
