"""Migrations are history: each must run the same way years later, whatever the app's
code has become. So a migration imports Django and the standard library only, never
tsunagu (whose functions and defaults change) nor another package (jaconv, …); what it
needs of them it carries as a frozen copy, commented as such. One library is allowed
where it cannot be copied (LIBRARIES, with the reason)."""

import ast
import sys
from importlib import import_module
from pathlib import Path

import pytest

from tsunagu.cases.models import NeedKind
from tsunagu.cases.needs import DEFAULT_NEEDS
from tsunagu.grants.defaults import DEFAULT_DRIVES, DEFAULT_METHODS
from tsunagu.grants.models import FundraisingDrive, FundraisingMethod
from tsunagu.lib.textnorm import normalize
from tsunagu.records.defaults import CONSULTER_TYPE_CODES, CONSULTER_TYPES
from tsunagu.records.models import ConsulterType
from tsunagu.volunteers.defaults import INSURANCE_PLANS, SKILLS
from tsunagu.volunteers.models import InsurancePlan, Skill

SOURCE = Path(__file__).resolve().parents[2] / "tsunagu"
MIGRATIONS = sorted(SOURCE.glob("*/migrations/[0-9]*.py"))


# The one library a migration may call, and why: a kanji dictionary cannot be copied into
# the migration, and the reading it fills in is a first guess staff correct.
LIBRARIES = {("directory/migrations/0002_readings.py", "pykakasi")}


def foreign_imports(path: Path) -> list[str]:
    """Each import of the file that is neither Django nor the standard library."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = ["." * node.level + (node.module or "")]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            where = f"{path.parent.parent.name}/migrations/{path.name}"
            if top == "django" or top in sys.stdlib_module_names or (where, top) in LIBRARIES:
                continue
            found.append(f"{where}:{node.lineno}: {module}")
    return found


def test_every_migration_imports_django_and_the_standard_library_only() -> None:
    assert len(MIGRATIONS) > 30  # the glob found the migrations
    found = [hit for path in MIGRATIONS for hit in foreign_imports(path)]
    assert found == [], "migrations must carry a frozen copy instead:\n" + "\n".join(found)


def test_the_scan_finds_imports_of_the_app_and_of_other_packages(tmp_path: Path) -> None:
    migration = tmp_path / "0002_seed.py"
    migration.write_text(
        "import string\n"
        "from django.db import migrations\n"
        "from tsunagu.lib.textnorm import normalize\n"
        "import tsunagu.records.defaults\n"
        "import jaconv\n"
        "from . import helpers\n"
        "def seed(apps, schema_editor):\n"
        "    from tsunagu.grants import defaults\n",
        encoding="utf-8",
    )
    found = [hit.split(": ", 1)[1] for hit in foreign_imports(migration)]
    assert sorted(found) == sorted(
        ["tsunagu.lib.textnorm", "tsunagu.records.defaults", "jaconv", ".", "tsunagu.grants"]
    )


# The migrations that compute search keys carry a frozen copy of normalize: it must give
# the keys the app computes, or a seeded row could not be found by its name.
FROZEN_NORMALIZE = [
    "tsunagu.cases.migrations.0002_need_kinds",
    "tsunagu.grants.migrations.0002_default_fundraising_lists",
    "tsunagu.records.migrations.0012_codes_of_defaults",
    "tsunagu.volunteers.migrations.0002_defaults",
]
SAMPLES = [
    "サロン　ひだまり",
    "ｻﾛﾝひだまり",
    "さろんヒダマリ",
    "パソコン・スマホ",
    "ヴァイオリン教室",
    "ヵヶヽヾ",
    "ヷ",  # not in the table: kept as it is
    "ＡＢＣ Club　Ｎｏ．１",
    "ｶﾞｰﾃﾞﾝ",
    "か ゙",  # a space between a letter and its sound mark
    "J̌",
    "赤い羽根共同募金",
    "",
]


@pytest.mark.parametrize("module", FROZEN_NORMALIZE)
def test_a_frozen_normalize_gives_the_apps_keys(module: str) -> None:
    frozen = import_module(module).normalize
    names = [*SAMPLES, *SKILLS, *INSURANCE_PLANS, *DEFAULT_METHODS, *DEFAULT_DRIVES]
    names += [name for name, _kinds, _skills in DEFAULT_NEEDS]
    assert [frozen(name) for name in names] == [normalize(name) for name in names]


def test_a_new_database_starts_with_the_defaults_the_app_seeds(db: None) -> None:
    """The migrations' frozen copies and the running app's defaults agree today: a
    change to the defaults without a migration of its own fails here."""
    codes = {d.name: d.code for d in CONSULTER_TYPE_CODES}
    assert [
        (t.name, t.report_title, t.report_style, t.order, t.code)
        for t in ConsulterType.objects.order_by("order")
    ] == [
        (name, title, style, order, codes.get(name, ""))
        for order, (name, title, style) in enumerate(CONSULTER_TYPES, start=1)
    ]
    assert [n.name for n in NeedKind.objects.order_by("order")] == [
        name for name, _kinds, _skills in DEFAULT_NEEDS
    ]
    assert [s.name for s in Skill.objects.order_by("order")] == list(SKILLS)
    assert [p.name for p in InsurancePlan.objects.order_by("order")] == list(INSURANCE_PLANS)
    assert [m.name for m in FundraisingMethod.objects.order_by("order")] == DEFAULT_METHODS
    assert [d.name for d in FundraisingDrive.objects.order_by("order")] == DEFAULT_DRIVES
    # and each row's key is the app's own
    for model in (NeedKind, Skill, InsurancePlan, FundraisingMethod, FundraisingDrive):
        assert all(row.name_key == normalize(row.name) for row in model.objects.all())
