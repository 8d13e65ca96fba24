"""No silent overwrite, on every edit page (tsunagu/core/concurrency.py).

Generated from the URL map: every page named like an edit page must be declared with
`@edit_page` (or listed below with the reason it is not), every model it edits must carry
a required `version`, and on every declared page two people who opened the same row and
both save get: the first saved, the second refused with the differences in Japanese and
their typed input still in the form, and nothing of theirs in the database."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from tests.access_world import World
from tests.test_permission_matrix import world  # noqa: F401 (the fixture)
from tests.url_catalogue import ARGS, VIEWS
from tsunagu.core.access import can
from tsunagu.core.concurrency import EDIT_PAGES, VersionedForm
from tsunagu.directory.entities import ENTITIES
from tsunagu.directory.models import MunicipalityProfile
from tsunagu.grants.models import FundraisingTotal, FundraisingYear, GrantProgramme
from tsunagu.plans.models import InitiativeStatus, PlanYear, Status
from tsunagu.plans.services import set_initiative_status

# Pages that edit rows but are guarded otherwise, or not yet: each one is a known gap
# or a different guard, named so that a new edit page cannot slip in unnoticed.
NOT_VERSIONED = {
    "categories:edit": "a year's whole list, guarded by its fingerprint (list_digest)",
}

CELL = "the first amount of the grid"
NOTE_CELL = "the first initiative's progress note"

# What each declared page is tried with: the form field typed into, which is also the
# model attribute that must keep the first person's value.
PROBES = {
    "records:edit": "note",
    "plans:edit": "initiatives_heading",
    "plans:target_edit": "name",
    "grants:application_edit": "plan",
    "grants:programme": "note",
    "cases:edit": "summary",
    "cases:need_edit": "name",
    "volunteers:volunteer_edit": "note",
    "volunteers:offer_edit": "item",
    "volunteers:request_edit": "title",
    "directory:edit": "name",
    "accounts:edit": "last_name",
    "categories:type_edit": "report_title",
    "grants:fundraising_edit": CELL,
    "plans:status": NOTE_CELL,
}

FIRST, SECOND = "先に保存した内容", "あとから保存した内容"
AMOUNTS = "1000", "2000"  # for a grid of amounts, whose cells are rows of their own


def _looks_like_an_edit_page(name: str, view: Any) -> bool:
    return name.endswith("edit") or getattr(view, "__name__", "").endswith("_edit")


def test_every_edit_page_carries_a_version() -> None:
    pages = {name for name, (_, view) in VIEWS.items() if _looks_like_an_edit_page(name, view)}
    undeclared = sorted(pages - set(EDIT_PAGES) - set(NOT_VERSIONED))
    assert not undeclared, (
        f"edit pages without @edit_page (tsunagu/core/concurrency.py): {undeclared}"
    )
    assert set(EDIT_PAGES) <= set(VIEWS), "an @edit_page names a URL that does not exist"
    assert not set(EDIT_PAGES) & set(NOT_VERSIONED)


def test_every_edited_model_has_a_required_version() -> None:
    missing = []
    for page in EDIT_PAGES.values():
        for model in page.models:
            field = next((f for f in model._meta.fields if f.name == "version"), None)
            if not (
                isinstance(field, models.PositiveIntegerField)
                and not field.null
                and field.default == 1
            ):
                missing.append(f"{page.url_name}: {model.__name__}")
    assert not missing, f"models edited without a version field: {missing}"


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_model_form_carries_the_version() -> None:
    model_forms = [f for f in _subclasses(forms.ModelForm) if f.__module__.startswith("tsunagu.")]
    assert model_forms, "the enumeration found no model form"
    bare = sorted(f.__qualname__ for f in model_forms if not issubclass(f, VersionedForm))
    assert not bare, f"model forms without VersionedForm: {bare}"


def test_a_version_form_without_its_version_is_refused() -> None:
    class Form(VersionedForm):
        name = forms.CharField()

    form = Form({"name": "x"})
    assert not form.is_valid()
    assert "開き直して" in form.errors["version"][0]


# --- the generated lost update ------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would post from the page's form that carries the version."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = []
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                self._form.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_data(html: str) -> dict[str, Any]:
    parser = FormFields()
    parser.feed(html)
    versioned = [f for f in parser.forms if any(name == "version" for name, _ in f)]
    assert versioned, "the page has no form carrying the version"
    data: dict[str, Any] = {}
    for name, value in versioned[0]:
        data.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


def _cases() -> list[tuple[str, str]]:
    cases = []
    for name in sorted(EDIT_PAGES):
        if name == "directory:edit":
            cases += [(name, slug) for slug in ENTITIES]
        else:
            cases.append((name, ""))
    return cases


def _subject(w: World, name: str, slug: str) -> tuple[models.Model, str]:
    """The row the page edits, and its path."""
    if name == "directory:edit":
        model = ENTITIES[slug].model
        row = model._default_manager.order_by("pk").first()
        if row is None and model is MunicipalityProfile:
            row = MunicipalityProfile.objects.create(fiscal_year=w.fiscal_year, name="武蔵野市")
        assert row is not None, f"no {model.__name__} in the world"
        return row, reverse(name, kwargs={"slug": slug, "pk": row.pk})
    kwargs = ARGS[name][0]
    if name == "grants:fundraising_edit":
        row, _ = FundraisingYear.objects.get_or_create(fiscal_year=w.fiscal_year)
        return row, reverse(name, kwargs={"fy": w.fiscal_year})
    if name == "plans:status":
        plan, year = w["plan"], w.fiscal_year
        initiative = plan.initiatives.order_by("order", "pk").first()
        assert initiative is not None, "the world's plan has no initiative"
        set_initiative_status(
            by=w.users["admin"], initiative=initiative, fiscal_year=year, status=Status.IN_PROGRESS
        )
        row = PlanYear.objects.get(plan=plan, fiscal_year=year)
        return row, reverse(name, kwargs={"pk": plan.pk, "year": year})
    if name == "grants:programme":
        row = GrantProgramme.objects.get(fiscal_year=w.fiscal_year)
        return row, reverse(name, kwargs={"fy": w.fiscal_year})
    row = w[kwargs["pk"]]
    model = type(row)
    return model._default_manager.get(pk=row.pk), reverse(name, kwargs={"pk": row.pk})


def _second_person(w: World, name: str, row: models.Model) -> Any:
    """Another account that may open the page too (else the administrator again)."""
    rule = VIEWS[name][1].access_rule[1] or VIEWS[name][1].access_rule[0]
    for role in ("assigned", "other"):
        user = w.users[role]
        if can(user, rule, row):
            return user
    return w.users["admin"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "slug"), _cases(), ids=[f"{n}{s and ':' + s}" for n, s in _cases()]
)
def test_the_second_of_two_saves_is_refused_and_shown(world: World, name: str, slug: str) -> None:  # noqa: F811
    assert name in PROBES, f"say which field {name} is tried with (PROBES)"
    field, (first_value, second_value) = PROBES[name], (FIRST, SECOND)
    with transaction.atomic():
        row, path = _subject(world, name, slug)
        opened = row.version  # type: ignore[attr-defined]
        first, second = Client(), Client()
        first.force_login(world.users["admin"])
        second.force_login(_second_person(world, name, row))
        mine, theirs = (first.get(path), second.get(path))
        assert mine.status_code == theirs.status_code == 200, path
        data_first, data_second = (
            form_data(mine.content.decode()),
            form_data(theirs.content.decode()),
        )
        assert data_first["version"] == str(opened)
        if field == CELL:
            field = next(key for key in data_first if key.startswith("a_"))
            first_value, second_value = AMOUNTS
        if field == NOTE_CELL:
            field = next(key for key in data_first if key.startswith("note_"))
        data_first[field], data_second[field] = first_value, second_value

        saved = first.post(path, data_first)
        assert saved.status_code == 302, _errors(saved.content.decode())
        row.refresh_from_db()
        assert _stored(row, field) == first_value and row.version == opened + 1  # type: ignore[attr-defined]

        refused = second.post(path, data_second)
        assert refused.status_code == 200
        body = refused.content.decode()
        row.refresh_from_db()
        assert _stored(row, field) == first_value and row.version == opened + 1, (
            "the second save changed the row"
        )  # type: ignore[attr-defined]
        assert "開いた後に" in body, "no Japanese refusal"
        assert "保存されている内容とあなたの入力の違い" in body
        assert re.search(rf"<td>{first_value}</td>\s*<td>{second_value}</td>", body), (
            "no field-by-field difference"
        )
        assert form_data(body)[field] == second_value, "the typed input was lost"
        transaction.set_rollback(True)


def _stored(row: models.Model, field: str) -> str:
    if isinstance(row, PlanYear):
        initiative = int(field.removeprefix("note_"))
        status = InitiativeStatus.objects.get(initiative_id=initiative, fiscal_year=row.fiscal_year)
        return status.note
    if isinstance(row, FundraisingYear):
        _, drive, method = field.split("_")
        cell = FundraisingTotal.objects.get(
            fiscal_year=row.fiscal_year, drive_id=drive, method_id=method
        )
        return str(cell.amount)
    return str(getattr(row, field))


def _errors(html: str) -> str:
    found = re.findall(r'<li>(.*?)</li>|class="field-error"[^>]*>(.*?)<', html)
    return " / ".join(a or b for a, b in found)[:800] or html[:800]
