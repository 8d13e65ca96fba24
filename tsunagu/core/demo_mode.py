"""Whether the database holds nothing but the demo council, so that every page says so
(`settings.DEMO_MODE`, set by `tsunagu start`).

Only the demo knows its own accounts, and product code imports nothing from tsunagu/demo/
(docs/architecture.md): the demo app registers its check here when Django readies it
(`DemoConfig.ready`). Without the demo app installed, no database is taken for the demo."""

from collections.abc import Callable

_check: Callable[[], bool] | None = None


def register(check: Callable[[], bool]) -> None:
    """`check()` answers whether the database holds only the demo's data."""
    global _check  # one check, set once at start-up
    _check = check


def only_demo_data() -> bool:
    return _check is not None and _check()
