"""個別支援 or 地域支援: the rule, the same in Python and in SQL, and the entry form.

The rule (records/support_kind.py): the record's own choice wins; else a record linked
to a case is 個別支援; else a record whose target is an activity group or a regional
council is 地域支援; else (no target) 個別支援."""

import itertools
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tsunagu.cases.models import Case
from tsunagu.records.models import Place, SupportKind, SupportRecord
from tsunagu.records.services import RecordData, create_record
from tsunagu.records.support_kind import support_kind_expression, support_kind_of

INDIVIDUAL, AREA = SupportKind.INDIVIDUAL, SupportKind.AREA

# (override, target, cases linked) → the class, written from the rule above.
EXPECTED = {
    (None, None, 0): INDIVIDUAL,
    (None, None, 1): INDIVIDUAL,
    (None, None, 2): INDIVIDUAL,
    (None, "group", 0): AREA,
    (None, "group", 1): INDIVIDUAL,
    (None, "group", 2): INDIVIDUAL,
    (None, "region", 0): AREA,
    (None, "region", 1): INDIVIDUAL,
    (None, "region", 2): INDIVIDUAL,
    **{(INDIVIDUAL, t, n): INDIVIDUAL for t in (None, "group", "region") for n in (0, 1, 2)},
    **{(AREA, t, n): AREA for t in (None, "group", "region") for n in (0, 1, 2)},
}


def make_case(name: str, city: dict[str, object]) -> Case:
    return Case.objects.create(
        pseudonym=name,
        opened_on=date(2020, 6, 1),
        zone=city["east"],  # type: ignore[misc]
        region=city["honcho"],  # type: ignore[misc]
    )


def make_record(lists, city, staff_user, *, override=None, target=None) -> SupportRecord:  # type: ignore[no-untyped-def]
    return create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 6, 10),
                "activity_kind": lists["kind2020:出向き・参加"],
                "place": Place.OUTREACH,
                "target_group": city["hidamari"] if target == "group" else None,
                "target_region": city["honcho"] if target == "region" else None,
                "support_kind": override,
            }
        ),
    )


def test_python_and_sql_agree_for_every_shape_of_record(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    cases = [make_case("Aさん", city), make_case("Bさん", city)]
    shapes = {}
    for override, target, linked in itertools.product(
        (None, INDIVIDUAL, AREA), (None, "group", "region"), (0, 1, 2)
    ):
        record = make_record(lists, city, staff_user, override=override, target=target)
        for case in cases[:linked]:
            case.records.add(record)
        shapes[record.pk] = (override, target, linked)
    assert set(shapes.values()) == set(EXPECTED)

    in_sql = dict(
        SupportRecord.objects.annotate(c=support_kind_expression()).values_list("pk", "c")
    )
    for record in SupportRecord.objects.filter(pk__in=shapes):
        shape = shapes[record.pk]
        assert support_kind_of(record) == EXPECTED[shape], shape
        assert in_sql[record.pk] == EXPECTED[shape], shape


def test_a_record_in_several_cases_is_counted_once(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    record = make_record(lists, city, staff_user, target="group")
    for name in ("Aさん", "Bさん", "Cさん"):
        make_case(name, city).records.add(record)
    rows = SupportRecord.objects.annotate(c=support_kind_expression()).values_list("c", flat=True)
    assert list(rows) == [INDIVIDUAL]


def test_the_database_refuses_a_class_that_is_not_one(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    record = make_record(lists, city, staff_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRecord.objects.filter(pk=record.pk).update(support_kind="")


def edit_page(client: Client, record: SupportRecord) -> str:
    return client.get(f"/records/{record.pk}/edit/").content.decode()


def test_the_form_shows_what_auto_gives_beside_the_choice(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    record = make_record(lists, city, staff_user, target="group")
    client = Client()
    client.force_login(staff_user)
    page = edit_page(client, record)
    assert "<legend>個別・地域の区分</legend>" in page
    assert (
        '<input type="radio" name="support_kind" value="" id="id_support_kind_0" checked>' in page
    )
    assert "自動の区分：地域支援（支援先が活動団体・地域社協）" in page
    # Without a target the page switches to the other text (records.js).
    assert 'data-without-target="自動の区分：個別支援（支援先が活動団体・地域社協でない）"' in page

    case = make_case("Aさん", city)
    case.staff.add(staff_user)
    case.records.add(record)
    page = edit_page(client, record)
    assert "自動の区分：個別支援（個別支援につながっている記録）" in page
    assert 'data-with-target="自動の区分：個別支援（個別支援につながっている記録）"' in page


def test_a_new_record_without_target_is_individual_by_default(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff_user)
    page = client.get("/records/new/").content.decode()
    assert "自動の区分：個別支援（支援先が活動団体・地域社協でない）" in page
    assert 'data-with-target="自動の区分：地域支援（支援先が活動団体・地域社協）"' in page


def post_edit(client: Client, record: SupportRecord, choice: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/records/{record.pk}/edit/",
        {
            "date": "2020-06-10",
            "activity_kind": record.activity_kind_id,
            "place": Place.OUTREACH,
            "target": f"g:{record.target_group_id}",
            "support_kind": choice,
            "staff": record.staff_id or "",
            "version": record.version,
            "stored_year": 2020,
        },
    )


def test_the_choice_is_saved_and_auto_saves_none(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    record = make_record(lists, city, staff_user, target="group")
    client = Client()
    client.force_login(staff_user)
    response = post_edit(client, record, "individual")
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    assert record.support_kind == "individual"
    detail = client.get(f"/records/{record.pk}/").content.decode()
    assert "<dt>個別・地域の区分</dt><dd>個別支援（記録で指定）</dd>" in detail

    response = post_edit(client, record, "")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.support_kind is None
    detail = client.get(f"/records/{record.pk}/").content.decode()
    assert (
        "<dt>個別・地域の区分</dt><dd>地域支援（自動：支援先が活動団体・地域社協）</dd>" in detail
    )
