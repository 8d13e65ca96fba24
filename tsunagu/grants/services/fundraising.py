"""Fundraising (共同募金): a year's totals by drive and method, and the lists of drives
and methods. The figures drawn from them are in grants/fundraising.py; the lists every
council starts with are in grants/defaults.py."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_grid
from tsunagu.grants.models import (
    FundraisingDrive,
    FundraisingMethod,
    FundraisingTotal,
    FundraisingYear,
)
from tsunagu.grants.services.checks import check_year, yen
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.textnorm import normalize


def save_fundraising_year(
    *,
    by: User,
    fiscal_year: int,
    amounts: Mapping[tuple[int, int], int | str | None],
    expected_version: int | None = None,
) -> int:
    """Save a year's totals, keyed by (drive id, method id); None or blank removes one.

    `expected_version`: the year's version when the form was opened, None when the year
    had none yet (then a save by someone else meanwhile is a conflict). Returns the
    number of cells that changed."""
    require(by, "fundraising.edit")
    check_year(fiscal_year)
    drives = FundraisingDrive.objects.in_bulk()
    methods = FundraisingMethod.objects.in_bulk()
    clean: dict[tuple[int, int], int | None] = {}
    for (drive_id, method_id), value in amounts.items():
        drive, method = drives.get(drive_id), methods.get(method_id)
        if drive is None or method is None:
            raise ValidationError(
                "募金運動または方法が見つかりません。画面を読み込み直してください。"
            )
        if value is None or str(value).strip() == "":
            clean[(drive_id, method_id)] = None
        else:
            clean[(drive_id, method_id)] = yen(value, f"{drive.name}・{method.name}")
    changes: dict[str, list[int | None]] = {}
    with transaction.atomic():
        claim_grid(
            FundraisingYear, by=by, expected_version=expected_version, fiscal_year=fiscal_year
        )
        existing = {
            (t.drive_id, t.method_id): t
            for t in FundraisingTotal.objects.select_for_update().filter(fiscal_year=fiscal_year)
        }
        for key, amount in clean.items():
            row = existing.get(key)
            old = row.amount if row is not None else None
            if old == amount:
                continue
            label = f"{drives[key[0]].name}・{methods[key[1]].name}"
            changes[label] = [old, amount]
            if amount is None:
                assert row is not None
                row.delete()
            elif row is None:
                FundraisingTotal.objects.create(
                    fiscal_year=fiscal_year, drive_id=key[0], method_id=key[1], amount=amount
                )
            else:
                row.amount = amount
                row.save(update_fields=["amount"])
        if changes:
            log_action(
                by=by,
                action="grants.fundraising.saved",
                changes=changes,
                label=f"{fiscal_year_label(fiscal_year)}の募金実績",
            )
    return len(changes)


ListRow = tuple[int | None, str, int, bool]  # id (None for a new row), name, order, active


def save_fundraising_lists(
    *, by: User, methods: Sequence[ListRow], drives: Sequence[ListRow]
) -> int:
    """Add, rename, reorder or deactivate fundraising methods and drives.

    Rows are never deleted: past totals point to them. Returns the number of rows changed."""
    require(by, "fundraising.configure")
    lists: list[tuple[type[FundraisingMethod] | type[FundraisingDrive], Sequence[ListRow]]] = [
        (FundraisingMethod, methods),
        (FundraisingDrive, drives),
    ]
    changed = 0
    with transaction.atomic():
        for model, rows in lists:
            changed += _save_list(by, model, rows)
    return changed


def _save_list(
    by: User,
    model: type[FundraisingMethod] | type[FundraisingDrive],
    rows: Sequence[ListRow],
) -> int:
    title = model._meta.verbose_name
    current = model.objects.select_for_update().in_bulk()
    keys: set[str] = set()
    for pk, name, _order, _active in rows:
        name = name.strip()
        if not name:
            if pk is None:
                continue
            raise ValidationError(
                f"{title}の名称は空にできません。使わなくなったものは「有効」のチェックを外してください。"
            )
        if normalize(name) in keys:
            raise ValidationError(f"{title}「{name}」が2回あります。")
        keys.add(normalize(name))
        if pk is not None and pk not in current:
            raise ValidationError(
                f"{title}の一覧が変更されています。画面を読み込み直してください。"
            )
    taken = {normalize(e.name): e.pk for e in current.values()}
    # Names may trade places (A→B while B→A): the unique key would refuse the first save.
    # Every row being renamed first gets a key no name normalises to (normalize removes
    # spaces), then each is saved with its new name, all in this transaction.
    renamed = [
        pk
        for pk, name, _order, _active in rows
        if pk is not None and name.strip() and normalize(name) != current[pk].name_key
    ]
    for pk in renamed:
        model.objects.filter(pk=pk).update(name_key=f" {pk}")
    changed = 0
    for pk, name, order, active in rows:
        name = name.strip()
        if not name:
            continue
        owner = taken.get(normalize(name))
        if owner is not None and owner != pk and owner not in {r[0] for r in rows}:
            raise ValidationError(f"{title}「{name}」はすでにあります。")
        if pk is None:
            entry = model.objects.create(name=name, order=order, active=active)
            log_action(by=by, action="grants.fundraising_list.added", target=entry)
            changed += 1
            continue
        entry = current[pk]
        diff = audit_diff(
            {"name": entry.name, "order": entry.order, "active": entry.active},
            {"name": name, "order": order, "active": active},
        )
        if diff:
            for field, (_, value) in diff.items():
                setattr(entry, field, value)
            entry.save(update_fields=list(diff))
            log_action(by=by, action="grants.fundraising_list.updated", target=entry, changes=diff)
            changed += 1
    return changed
