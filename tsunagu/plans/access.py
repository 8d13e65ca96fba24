"""The authorisation checkpoints for plans, their initiatives, target groups and the
regional council page. Every signed-in role reads; staff and administrators change."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role
from tsunagu.directory.models import Region
from tsunagu.plans.models import Plan, PlanTarget
from tsunagu.records.models import SupportRecord


def _role(write: bool) -> Role:
    return Role.STAFF if write else Role.VIEWER


def get_plan_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    require_role(request.user, _role(write))
    return get_object_or_404(Plan.objects.with_contents(), pk=pk)


def get_region_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Region:
    require_role(request.user, _role(write))
    return get_object_or_404(Region.objects.select_related("zone__staff"), pk=pk)


def get_target_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> PlanTarget:
    require_role(request.user, _role(write))
    return get_object_or_404(PlanTarget, pk=pk)


def get_record_to_link(request: HttpRequest, pk: int) -> SupportRecord:
    """A live support record, for linking it to initiatives (staff and administrators)."""
    require_role(request.user, Role.STAFF)
    return get_object_or_404(
        SupportRecord.objects.alive().select_related(
            "activity_kind", "target_group", "target_region", "region", "consulter_type"
        ),
        pk=pk,
    )
