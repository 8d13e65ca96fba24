"""The authorisation checkpoints for plans, their initiatives, target groups and the
regional council page. Every signed-in role reads; staff and administrators change."""

from django.http import HttpRequest

from tsunagu.core.access import get_for_user, require
from tsunagu.directory.models import Region
from tsunagu.plans.models import Plan, PlanTarget
from tsunagu.records.models import SupportRecord


def _rule(write: bool) -> str:
    return "plan.edit" if write else "plan.view"


def get_plan_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    return get_for_user(request, Plan.objects.with_contents(), pk, _rule(write))


def get_region_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Region:
    return get_for_user(request, Region.objects.select_related("zone__staff"), pk, _rule(write))


def get_target_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> PlanTarget:
    return get_for_user(request, PlanTarget.objects.all(), pk, _rule(write))


def get_record_to_link(request: HttpRequest, pk: int) -> SupportRecord:
    """A live support record, for linking it to initiatives (staff and administrators)."""
    require(request.user, "plan.edit")
    return get_for_user(
        request,
        SupportRecord.objects.alive().select_related(
            "activity_kind", "target_group", "target_region", "region", "consulter_type"
        ),
        pk,
        "record.view",
    )
