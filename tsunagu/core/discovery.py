"""The modules apps contribute to shared screens, found in one place.

`tsunagu.<app>.dashboard` adds a panel to the home page and `tsunagu.<app>.audit_labels`
names its audit actions in Japanese; `tsunagu.<app>.exporters` registers its downloads
(core/exporters.py). An app without the module contributes nothing; a
module that exists but fails to import raises, so that a mistake inside it stops start-up
instead of making a panel or a label quietly disappear. The modules are imported once, in
INSTALLED_APPS order, when the apps are ready (core's AppConfig)."""

from collections.abc import Iterable
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

CONTRIBUTIONS = ("dashboard", "audit_labels", "exporters")


def modules_in(configs: Iterable[Any], name: str) -> tuple[ModuleType, ...]:
    """`<app>.<name>` of each app that has one. Only a module that is absent is skipped:
    an ImportError raised from inside an existing module propagates."""
    return tuple(
        import_module(f"{config.name}.{name}")
        for config in configs
        if module_has_submodule(config.module, name)
    )


@cache
def app_modules(name: str) -> tuple[ModuleType, ...]:
    if name not in CONTRIBUTIONS:
        raise LookupError(f"{name!r} is not a module apps contribute: {CONTRIBUTIONS}")
    ours = [c for c in apps.get_app_configs() if c.name.startswith("tsunagu.")]
    return modules_in(ours, name)


def discover() -> None:
    for name in CONTRIBUTIONS:
        app_modules(name)
