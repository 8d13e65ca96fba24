"""What apps contribute to shared screens is found in one place (issue #15): an app
without the module contributes nothing, and a module with a mistake inside stops
start-up instead of making a home panel or an audit label quietly disappear."""

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tsunagu.core.discovery import app_modules, modules_in


@pytest.fixture
def fake_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Two packages under tsunagu_fake: `quiet` without a dashboard, `broken` whose
    dashboard imports a module that does not exist."""
    root = tmp_path / "fakeapps"
    for app in ("quiet", "broken", "fine"):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
    (root / "broken" / "dashboard.py").write_text("import tsunagu.no_such_module\n")
    (root / "fine" / "dashboard.py").write_text("def panel(user, today):\n    return None\n")
    monkeypatch.syspath_prepend(str(root))

    def configs(*names: str) -> list[SimpleNamespace]:
        return [SimpleNamespace(name=n, module=__import__(n)) for n in names]

    yield configs
    for name in ("quiet", "broken", "fine", "broken.dashboard", "fine.dashboard"):
        sys.modules.pop(name, None)


def test_an_app_without_the_module_contributes_nothing(fake_apps: Any) -> None:
    found = modules_in(fake_apps("quiet", "fine"), "dashboard")
    assert [m.__name__ for m in found] == ["fine.dashboard"]


def test_a_broken_module_fails_loudly(fake_apps: Any) -> None:
    with pytest.raises(ModuleNotFoundError, match=r"tsunagu\.no_such_module"):
        modules_in(fake_apps("broken"), "dashboard")


def test_every_app_that_names_its_audit_actions_is_found() -> None:
    root = Path(__file__).resolve().parents[2] / "tsunagu"
    expected = sorted(
        f"tsunagu.{p.parent.name}.audit_labels" for p in root.glob("*/audit_labels.py")
    )
    assert sorted(m.__name__ for m in app_modules("audit_labels")) == expected
    panels = sorted(f"tsunagu.{p.parent.name}.dashboard" for p in root.glob("*/dashboard.py"))
    assert sorted(m.__name__ for m in app_modules("dashboard")) == panels


def test_only_the_known_contributions_are_asked_for() -> None:
    with pytest.raises(LookupError):
        app_modules("dashbord")


def test_every_app_that_registers_downloads_is_found() -> None:
    root = Path(__file__).resolve().parents[2] / "tsunagu"
    expected = sorted(f"tsunagu.{p.parent.name}.exporters" for p in root.glob("*/exporters.py"))
    assert sorted(m.__name__ for m in app_modules("exporters")) == expected
