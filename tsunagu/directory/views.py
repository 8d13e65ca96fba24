from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ForeignKey, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.core.concurrency import Conflict, VersionedForm, edit_page
from tsunagu.core.params import FlagField, IdField, QueryForm, TextField
from tsunagu.directory.access import get_entry_for_user
from tsunagu.directory.entities import ENTITIES, get_entity
from tsunagu.directory.models import DirectoryQuerySet
from tsunagu.directory.services import save_entry, set_entry_active

PAGE_SIZE = 50


def _filter_fields() -> dict[str, IdField]:
    """One id parameter per filter any directory list offers (?zone=, ?region=, …)."""
    fields = {}
    for entity in ENTITIES.values():
        for name in entity.filters:
            field = entity.model._meta.get_field(name)
            assert isinstance(field, ForeignKey)
            fields[name] = IdField(label=str(field.verbose_name))
    return fields


# The directory lists' parameters: a search, the inactive switch, the filters.
DirectoryQuery: type[QueryForm] = type(
    "DirectoryQuery",
    (QueryForm,),
    {
        "q": TextField(label="検索"),
        "inactive": FlagField(label="無効のものも表示"),
        **_filter_fields(),
    },
)


@rule("directory.view")
def index(request: AuthenticatedRequest) -> HttpResponse:
    entities = [(entity, entity.model._default_manager.count()) for entity in ENTITIES.values()]
    return render(request, "directory/index.html", {"entities": entities})


@rule("directory.view")
def entry_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    entity = get_entity(slug)
    rows = entity.queryset()
    params = DirectoryQuery.from_request(request)
    query = params.get("q", "").strip()
    if query and entity.searchable:
        rows = cast(DirectoryQuerySet, rows).matching(query)
    show_inactive = params["inactive"]
    if entity.has_active_flag and not show_inactive:
        rows = rows.filter(active=True)
    filters = []
    for name in entity.filters:
        field = entity.model._meta.get_field(name)
        assert isinstance(field, ForeignKey)
        selected = params.shown(name)
        chosen = params.get(name)
        if chosen is not None:
            rows = rows.filter(**{f"{name}_id": chosen})
        related = field.related_model
        assert not isinstance(related, str)
        choices = related._default_manager.filter(Q(active=True) | Q(pk=chosen))
        filters.append(
            {"name": name, "label": field.verbose_name, "choices": choices, "selected": selected}
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    table = [(obj, [column.value(obj) for column in entity.columns]) for obj in page]
    return render(
        request,
        "directory/entry_list.html",
        {
            "entity": entity,
            "page": page,
            "table": table,
            "query": query,
            "filters": filters,
            "show_inactive": show_inactive,
        },
    )


@rule("directory.edit")
def entry_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    entity = get_entity(slug)
    form = entity.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save_entry(by=request.user, form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{entity.title}「{obj}」を追加しました。")
            return redirect("directory:list", slug=slug)
    return render(request, "directory/entry_form.html", {"entity": entity, "form": form})


@rule("directory.edit")
@edit_page("directory:edit", *(entity.model for entity in ENTITIES.values()))
def entry_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    entity = get_entity(slug)
    obj = get_entry_for_user(request, entity, pk, write=True)
    form = entity.form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save_entry(by=request.user, form=form)
        except Conflict as error:
            assert isinstance(form, VersionedForm)  # every directory form carries the version
            form.show_conflict(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{entity.title}「{obj}」を保存しました。")
            return redirect("directory:list", slug=slug)
    return render(
        request, "directory/entry_form.html", {"entity": entity, "form": form, "object": obj}
    )


@rule("directory.edit")
@require_POST
def entry_set_active(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    entity = get_entity(slug)
    obj = get_entry_for_user(request, entity, pk, write=True)
    if not entity.has_active_flag:
        messages.error(request, f"{entity.title}は無効にできません。")
        return redirect("directory:list", slug=slug)
    active = request.POST.get("active") == "1"
    set_entry_active(by=request.user, entry=obj, active=active)
    if active:
        messages.success(request, f"{entity.title}「{obj}」を有効に戻しました。")
    else:
        messages.success(
            request,
            f"{entity.title}「{obj}」を無効にしました。過去の記録には残り、新しい入力の選択肢には出ません。",
        )
    return redirect("directory:list", slug=slug)
