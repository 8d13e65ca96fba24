"""Donation offers (寄付・寄贈の申し出): recording one, changing it, and reading it (logged).
An offer also creates (or links) the support record the report counts it by
(consultations.py)."""

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as _diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.consultations import DONATION_CATEGORY, check_link, create_consultation
from tsunagu.volunteers.models import DonationOffer, OfferStatus
from tsunagu.volunteers.services.common import snapshot, today_or

OFFER_FIELDS = (
    "offered_on",
    "donor_name",
    "contact",
    "item",
    "quantity",
    "condition",
    "pickup",
    "pickup_note",
    "status",
    "recipient_group",
    "recipient_case_id",
    "recipient_note",
    "given_on",
    "note",
)
OFFER_NOTE = "ボランティアセンターで寄付・寄贈の申し出を受付"


def log_offer_read(*, by: User, offer: DonationOffer) -> None:
    """Reading an offer is logged: it may show the donor and how to reach them."""
    log_action(by=by, action="volunteers.offer.read", target=offer)


def _case_exists(case_id: int) -> bool:
    try:
        case_model = apps.get_model("cases", "Case")
    except LookupError:
        return True  # the cases app has no model yet: the number is kept as typed
    return bool(case_model._default_manager.filter(pk=case_id).exists())


def check_offer(values: dict[str, Any], *, today: date) -> None:
    errors: dict[str, list[str]] = {}
    offered_on: date | None = values.get("offered_on")
    if offered_on is not None and offered_on > today:
        errors.setdefault("offered_on", []).append("未来の日付では受け付けられません。")
    group, case_id = values.get("recipient_group"), values.get("recipient_case_id")
    if group is not None and case_id is not None:
        errors.setdefault("recipient_group", []).append(
            "渡した先は、活動団体か個別支援のどちらか一つにしてください。"
        )
    if case_id is not None and not _case_exists(case_id):
        errors.setdefault("recipient_case_id", []).append(
            f"個別支援 No.{case_id} が見つかりません。番号を確かめてください。"
        )
    status = values.get("status")
    if status == OfferStatus.GIVEN:
        if group is None and case_id is None and not values.get("recipient_note"):
            errors.setdefault("recipient_group", []).append(
                "譲渡済にするときは、渡した先（活動団体・個別支援・その他のどれか）を入れてください。"
            )
        if values.get("given_on") is None:
            errors.setdefault("given_on", []).append(
                "譲渡済にするときは、渡した日を入れてください。"
            )
    given_on: date | None = values.get("given_on")
    if given_on is not None and offered_on is not None and given_on < offered_on:
        errors.setdefault("given_on", []).append("渡した日が受付日より前になっています。")
    if given_on is not None and given_on > today:
        errors.setdefault("given_on", []).append("渡した日に未来の日付は入れられません。")
    if errors:
        raise ValidationError(errors)


def record_offer(
    *,
    by: User,
    values: dict[str, Any],
    place: str,
    record: SupportRecord | None = None,
    today: date | None = None,
) -> DonationOffer:
    """Record a donation offer and the consultation it is counted as (the category coded
    `donation-wish`, by default 「寄付（寄贈）したい」)."""
    require(by, "offer.edit")
    today = today_or(today)
    check_offer(values, today=today)
    try:
        with transaction.atomic():
            if record is not None:
                record = SupportRecord.objects.select_for_update().get(pk=record.pk)
                check_link(
                    record,
                    category_code=DONATION_CATEGORY,
                    day=values["offered_on"],
                    related_name="donation_offer",
                    own_pk=None,
                )
            else:
                record = create_consultation(
                    by=by,
                    category_code=DONATION_CATEGORY,
                    day=values["offered_on"],
                    place=place,
                    region=None,
                    consent=False,
                    note=OFFER_NOTE,
                    today=today,
                )
            offer = DonationOffer.objects.create(**values, record=record, created_by=by)
            log_action(
                by=by,
                action="volunteers.offer.recorded",
                target=offer,
                changes={**snapshot(offer, OFFER_FIELDS), "record": record.pk},
            )
    except IntegrityError as error:
        raise ValidationError("選んだ支援記録は、すでに別の申し出に結び付いています。") from error
    return offer


def update_offer(
    *,
    by: User,
    offer: DonationOffer,
    values: dict[str, Any],
    today: date | None = None,
    expected_version: int,
) -> DonationOffer:
    require(by, "offer.edit", offer)
    today = today_or(today)
    merged = {n: values.get(n, getattr(offer, n)) for n in OFFER_FIELDS}
    check_offer(merged, today=today)
    if (
        offer.record is not None
        and fiscal_year_of(merged["offered_on"]) != offer.record.fiscal_year
    ):
        raise ValidationError(
            {
                "offered_on": [
                    f"この申し出は{fiscal_year_label(offer.record.fiscal_year)}の支援記録として"
                    "数えられています。受付日は同じ年度の日付にしてください。"
                ]
            }
        )
    with transaction.atomic():
        current = DonationOffer.objects.select_for_update().get(pk=offer.pk)
        claim_version(current, expected_version)
        before = snapshot(current, OFFER_FIELDS)
        changed = [n for n in OFFER_FIELDS if n in values and getattr(current, n) != values[n]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
            log_action(
                by=by,
                action="volunteers.offer.updated",
                target=current,
                changes=_diff(before, snapshot(current, OFFER_FIELDS)),
            )
    return current
