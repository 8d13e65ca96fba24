"""The knobs of the cases app, read from the environment when they are needed.

Read on each call rather than at import, so that a changed environment (or a test that
sets it) takes effect without a restart of the settings module."""

import os

from django.core.exceptions import ImproperlyConfigured

RETENTION_YEARS_VARIABLE = "TSUNAGU_CASE_RETENTION_YEARS"
STALE_DAYS_VARIABLE = "TSUNAGU_REFERRAL_STALE_DAYS"
DEFAULT_RETENTION_YEARS = 3
DEFAULT_STALE_DAYS = 14


def _positive_int(name: str, default: int) -> int:
    raw = os.getenv(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} は日数・年数を整数で指定してください：{raw!r}"
        ) from error
    if value < 1:
        raise ImproperlyConfigured(f"{name} は1以上にしてください：{raw!r}")
    return value


def retention_years() -> int:
    """Years after its closing date that a closed case keeps its personal details."""
    return _positive_int(RETENTION_YEARS_VARIABLE, DEFAULT_RETENTION_YEARS)


def stale_referral_days() -> int:
    """Days without an update after which an open referral is shown on the home page."""
    return _positive_int(STALE_DAYS_VARIABLE, DEFAULT_STALE_DAYS)
