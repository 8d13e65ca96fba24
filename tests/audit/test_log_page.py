"""The audit log page: it renders every row it may hold."""

from dataclasses import replace

import pytest
from django.apps import apps

from tests.plans.conftest import plan_data
from tsunagu.audit.descriptions import all_labels
from tsunagu.audit.models import AuditEntry
from tsunagu.audit.registry import declarations
from tsunagu.plans.services import GoalData, create_plan, update_plan

pytestmark = pytest.mark.django_db


def _pages(client, **query):  # type: ignore[no-untyped-def]
    """The text of every page of the log."""
    texts, number = [], 1
    while True:
        response = client.get("/audit/", {**query, "page": number})
        assert response.status_code == 200
        texts.append(response.content.decode())
        if not response.context["page"].has_next():
            return "".join(texts)
        number += 1


def test_a_plan_created_and_updated_shows_on_the_log(admin_client, admin_user, city):  # type: ignore[no-untyped-def]
    # A regression: the plan's goals are a reverse relation, whose label lookup crashed.
    plan = create_plan(by=admin_user, data=plan_data(city["honcho"]))
    data = replace(plan_data(city["honcho"]), goals=[GoalData("見守りの輪を広げる")])
    update_plan(by=admin_user, plan=plan, data=data, expected_version=plan.version)
    assert AuditEntry.objects.filter(action="plans.plan.updated").exists()
    page = _pages(admin_client)
    assert "エリア別計画を変更しました" in page
    assert "<li>重点目標：集える場をつくる（） → 見守りの輪を広げる（）</li>" in page
    assert "計画期間：" in page
    assert "ManyToOneRel" not in page


def test_every_action_code_renders_on_the_log(admin_client, admin_user):  # type: ignore[no-untyped-def]
    """One row per action code, each aimed at one of the declared models in turn and
    naming every field of that model, reverse relations included."""
    models = sorted(declarations())
    labels = all_labels()
    for n, code in enumerate(sorted(labels)):
        target_type = models[n % len(models)]
        model = apps.get_model(target_type)
        changes = {f.name: ["前", "後"] for f in model._meta.get_fields()}
        AuditEntry.objects.create(
            actor=admin_user, action=code, target_type=target_type, changes=changes
        )
    page = _pages(admin_client)
    for code, sentence in labels.items():
        assert sentence in page, code
