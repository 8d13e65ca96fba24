"""Screens of the yearly lists: everyone reads them, administrators change them."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.core.access import rule
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.core.params import QueryForm, parse_id
from tsunagu.lib.fiscal import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    current_fiscal_year,
    default_fiscal_year,
    fiscal_year_label,
)
from tsunagu.records.categories import edits, queries, services
from tsunagu.records.categories.schemes import Scheme, Term
from tsunagu.records.category_access import (
    get_consulter_type_for_user,
    get_entry_for_user,
    get_scheme_for_user,
)
from tsunagu.records.category_forms import (
    ConsulterTypeForm,
    EntryFormSet,
    MergeForm,
    SplitForm,
    StartYearForm,
    copied_rows,
    initial_rows,
)
from tsunagu.records.models import ConsulterType
from tsunagu.records.queries import default_record_year
from tsunagu.reports.closures import notice_if_closed

ROWS_ADDED_AT_ONCE = 3


class YearQuery(QueryForm):
    year = forms.IntegerField(
        label="年度", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR
    )


def _year_param(request: HttpRequest) -> int | None:
    year: int | None = YearQuery.from_request(request).get("year")
    return year


def _index_url(fiscal_year: int, slug: str = "") -> str:
    anchor = f"#list-{slug}" if slug else ""
    return f"{reverse('categories:index')}?year={fiscal_year}{anchor}"


def _edit_url(fiscal_year: int, slug: str) -> str:
    return f"{reverse('categories:edit', args=[slug])}?year={fiscal_year}"


def _default_year(years: list[int]) -> int:
    """The year every page opens on (records.queries.default_record_year) if it has lists;
    else this fiscal year's lists, or the latest before it, or the latest."""
    year = default_record_year()
    if year in years:
        return year
    return (
        default_fiscal_year(years)
        if any(y <= current_fiscal_year() for y in years)
        else (years[-1] if years else current_fiscal_year())
    )


@rule("category.view")
def index(request: HttpRequest) -> HttpResponse:
    years = queries.fiscal_years_with_lists()
    year = _year_param(request) or _default_year(years)
    next_year = years[-1] + 1 if years else current_fiscal_year()
    return render(
        request,
        "records/categories/index.html",
        {
            "year": year,
            "year_label": fiscal_year_label(year),
            "has_lists": year in years,
            "year_choices": [
                (y, fiscal_year_label(y)) for y in sorted({*years, year}, reverse=True)
            ],
            "lists": queries.year_overview(year),
            "start_form": StartYearForm(initial={"fiscal_year": fiscal_year_label(next_year)}),
            "next_year_label": fiscal_year_label(next_year),
        },
    )


@rule("category.edit")
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartYearForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("fiscal_year", []):
            messages.error(request, f"作る年度：{error}")
        return redirect("categories:index")
    year = form.cleaned_data["fiscal_year"]
    try:
        copied = services.start_year(by=request.user, fiscal_year=year)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{fiscal_year_label(year)}の一覧を作りました（前年度から{copied}件を写しました）。"
            "名称の変更、追加、分割・統合は、それぞれの一覧の「編集」から行えます。",
        )
    return redirect(_index_url(year))


@rule("category.edit")
def edit_list(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = get_scheme_for_user(request, slug, write=True)
    year = _year_param(request)
    if year is None:
        return redirect("categories:index")
    try:
        scheme.check_editable()
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect(_index_url(year))
    terms = queries.year_list(year, scheme)
    previous = queries.year_list(year - 1, scheme)
    choices = [(p.pk, p.name) for p in previous]
    digest = queries.list_digest(terms)
    copied = not terms and bool(previous)
    list_errors: list[str] = []
    if request.method == "POST":
        digest = request.POST.get("digest", "")
        formset = EntryFormSet(request.POST, previous=choices, prefix="entries")
        if "add_rows" in request.POST:
            data = request.POST.copy()
            data["entries-TOTAL_FORMS"] = str(formset.total_form_count() + ROWS_ADDED_AT_ONCE)
            formset = EntryFormSet(data, previous=choices, prefix="entries")
        elif formset.is_valid():
            refused = _save_list(request, formset, scheme=scheme, year=year, digest=digest)
            if refused is None:
                return redirect(_index_url(year, slug))
            list_errors = refused
    else:
        initial = initial_rows(terms) if terms else copied_rows(previous)
        formset = EntryFormSet(initial=initial, previous=choices, prefix="entries")
    return render(
        request,
        "records/categories/edit.html",
        {
            **_list_context(scheme, year, slug),
            "formset": formset,
            "rows": _rows(formset, terms),
            "summary": [] if "add_rows" in request.POST else _summary(formset, list_errors),
            "list_errors": list_errors,
            "digest": digest,
            "copied": copied,
            "previous": previous,
            "rows_added_at_once": ROWS_ADDED_AT_ONCE,
            "closed_notice": notice_if_closed(year, "list"),
        },
    )


def _save_list(
    request: HttpRequest, formset: Any, *, scheme: Scheme, year: int, digest: str
) -> list[str] | None:
    """Save the list the formset describes. None when saved; else the reasons about the
    whole list (reasons about one row are put on that row's form)."""
    entries, rows = formset.entries()
    try:
        result = services.save_year_list(
            by=request.user,  # type: ignore[arg-type]
            fiscal_year=year,
            scheme=scheme,
            entries=entries,
            expected_digest=digest,
        )
    except services.YearListError as error:
        for index, message in error.problems:
            if index is not None:
                formset.forms[rows[index]].add_error(None, message)
        return error.general
    except ValidationError as error:
        return list(error.messages)
    label = f"{fiscal_year_label(year)}の{scheme.label}"
    if result.changes:
        messages.success(request, f"{label}を保存しました。")
    else:
        messages.info(request, f"{label}に変更はありませんでした。")
    return None


def _list_context(scheme: Scheme, year: int, slug: str) -> dict[str, Any]:
    return {
        "scheme": scheme,
        "scheme_label": scheme.label,
        "noun": scheme.noun,
        "is_kinds": scheme.is_kinds,
        "slug": slug,
        "year": year,
        "year_label": fiscal_year_label(year),
        "previous_year_label": fiscal_year_label(year - 1),
        "index_url": _index_url(year, slug),
        "edit_url": _edit_url(year, slug),
    }


def _rows(formset: Any, terms: list[Term]) -> list[dict[str, Any]]:
    """Each row's form with what the screen says about its saved entry, if any."""
    by_id = {t.pk: t for t in terms}
    labels = queries.lineage_labels(terms)
    rows = []
    for index, form in enumerate(formset.forms):
        value = form["id"].value()
        term = by_id.get(parse_id(str(value or "")) or 0)
        rows.append(
            {
                "form": form,
                "number": index + 1,
                "term": term,
                "lineage": labels.get(term.pk, "") if term else "",
                "chosen": _chosen_names(form),
                "can_delete": "DELETE" in form.fields,
            }
        )
    return rows


def _chosen_names(form: Any) -> list[str]:
    chosen = {str(v) for v in form["predecessors"].value() or []}
    return [
        str(label) for value, label in form.fields["predecessors"].choices if str(value) in chosen
    ]


def _summary(formset: Any, list_errors: list[str]) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary at the top of the form."""
    if not formset.is_bound:
        return []
    summary = [("", message) for message in list_errors]
    summary += [("", str(message)) for message in formset.non_form_errors()]
    for index, form in enumerate(formset.forms):
        for field, errors in form.errors.items():
            anchor = f"row-{index}" if field == "__all__" else form[field].auto_id
            summary += [(anchor, f"{index + 1}行目：{message}") for message in errors]
    return summary


@rule("category.edit")
def split_entry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scheme, entry = get_entry_for_user(request, slug, pk, write=True)
    form = SplitForm(request.POST or None, initial={"names": entry.name}, noun=scheme.noun)
    if request.method == "POST" and form.is_valid():
        try:
            edits.split(by=request.user, entry=entry, into=form.cleaned_data["names"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"「{entry.name}」を分割しました。")
            return redirect(_edit_url(entry.fiscal_year, slug))
    terms = queries.year_list(entry.fiscal_year, scheme)
    current = next(t for t in terms if t.pk == entry.pk)
    return render(
        request,
        "records/categories/split.html",
        {
            **_list_context(scheme, entry.fiscal_year, slug),
            "entry": current,
            "lineage": queries.lineage_labels(terms)[entry.pk],
            "form": form,
        },
    )


@rule("category.edit")
def merge_entries(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = get_scheme_for_user(request, slug, write=True)
    year = _year_param(request)
    if year is None:
        return redirect("categories:index")
    terms = queries.year_list(year, scheme)
    form = MergeForm(request.POST or None, terms=terms, noun=scheme.noun)
    if request.method == "POST" and form.is_valid():
        chosen = [t for t in terms if t.pk in set(form.cleaned_data["entries"])]
        try:
            edits.merge(
                by=request.user,  # type: ignore[arg-type]
                entries=chosen,
                into_name=form.cleaned_data["into_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = "".join(f"「{t.name}」" for t in chosen)
            messages.success(
                request, f"{names}を「{form.cleaned_data['into_name']}」に統合しました。"
            )
            return redirect(_edit_url(year, slug))
    return render(
        request,
        "records/categories/merge.html",
        {**_list_context(scheme, year, slug), "form": form, "terms": terms},
    )


@rule("category.view")
def type_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "records/categories/type_list.html",
        {"types": ConsulterType.objects.all()},
    )


@rule("category.edit")
def type_create(request: HttpRequest) -> HttpResponse:
    return _type_form(request, None)


@rule("category.edit")
@edit_page("categories:type_edit", ConsulterType)
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _type_form(request, get_consulter_type_for_user(request, pk, write=True))


def _type_form(request: HttpRequest, consulter_type: ConsulterType | None) -> HttpResponse:
    form = ConsulterTypeForm(request.POST or None, instance=consulter_type)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_consulter_type(
                by=request.user,  # type: ignore[arg-type]
                # A fresh row: the form has already written the new values onto its instance.
                consulter_type=ConsulterType.objects.get(pk=consulter_type.pk)
                if consulter_type
                else None,
                values=form.cleaned_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except Conflict as error:
            form.show_conflict(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"相談者区分「{saved.name}」を保存しました。")
            return redirect("categories:types")
    return render(
        request,
        "records/categories/type_form.html",
        {"form": form, "object": consulter_type},
    )
