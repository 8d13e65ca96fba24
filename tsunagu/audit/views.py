from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.accounts.models import User
from tsunagu.audit.descriptions import all_labels, describe_changes
from tsunagu.audit.models import AuditEntry
from tsunagu.core.access import rule
from tsunagu.core.params import IdField, QueryForm, TextField


class AuditQuery(QueryForm):
    action = TextField(label="操作", max_length=100)
    actor = IdField(label="操作者")


@rule("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor")
    query = AuditQuery.from_request(request)
    action = query.shown("action")
    if action:
        entries = entries.filter(action=action)
    actor = query.shown("actor")
    if actor:
        entries = entries.filter(actor_id=query["actor"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    labels = all_labels()
    rows = [
        (
            entry,
            labels.get(entry.action, entry.action),
            describe_changes(entry.target_type, entry.changes),
        )
        for entry in page
    ]
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": rows,
            "actions": sorted(labels.items(), key=lambda item: item[0]),
            "actors": User.objects.all(),
            "action": action,
            "actor": actor,
        },
    )
