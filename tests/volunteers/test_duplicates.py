"""A registration that may be someone already registered warns before it is saved."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.volunteers.conftest import TODAY, person, register
from tsunagu.lib.identity import birth_year_q, birth_years_agree, candidates_q, keys_match
from tsunagu.volunteers.duplicates import Identity, find_duplicates, same_person
from tsunagu.volunteers.models import Volunteer
from tsunagu.volunteers.services.registrations import (
    DuplicateVolunteer,
    VolunteerData,
    register_volunteer,
    update_volunteer,
)


def who(name: str = "", kana: str = "", year: int | None = None, kind: str = "person") -> Identity:
    return Identity.of(kind=kind, name=name, kana=kana, birth_year=year)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (who("見本 花子", "ミホン ハナコ", 1960), who("見本　花子", "", 1960), True),
        # Written with other characters but read alike (斉藤/斎藤), same year.
        (
            who("斉藤 花子", "サイトウ ハナコ", 1960),
            who("斎藤 花子", "さいとう はなこ", 1960),
            True,
        ),
        # One birth year unknown: cannot tell them apart, so warn.
        (who("見本 花子", "", 1960), who("見本 花子", "", None), True),
        # Same name, different birth years: two people.
        (who("見本 花子", "ミホン ハナコ", 1960), who("見本 花子", "ミホン ハナコ", 1988), False),
        (who("見本 花子", "ミホン ハナコ"), who("見本 花", "ミホン ハナ"), False),
        # Nothing to compare on.
        (who("", ""), who("", ""), False),
        # A group and a person never match; groups ignore birth years.
        (who("こもれび", kind="group"), who("こもれび"), False),
        (who("ｺﾓﾚﾋﾞ", kind="group"), who("こもれび", kind="group"), True),
    ],
)
def test_who_may_be_the_same_person(a: Identity, b: Identity, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


names = st.text(alphabet="見本花子仮野一郎ミホンハナコ 　", max_size=6)


@given(names, names, st.one_of(st.none(), st.integers(1940, 2005)))
def test_a_registration_is_always_its_own_duplicate_unless_empty(
    name: str, kana: str, year: int | None
) -> None:
    identity = who(name, kana, year)
    assert same_person(identity, identity) is bool(identity.name_key or identity.kana_key)


def test_registering_again_warns_and_names_the_existing_one(year, staff_user):  # type: ignore[no-untyped-def]
    first = register(staff_user)
    data = VolunteerData(values=person(family_kana="みほん", given_kana="はなこ"))
    with pytest.raises(DuplicateVolunteer) as warning:
        register_volunteer(by=staff_user, data=data, place="office", today=TODAY)
    assert warning.value.duplicates == [first]
    assert "見本 花子" in str(warning.value)
    assert Volunteer.objects.count() == 1
    # Confirmed as another person: saved.
    register_volunteer(by=staff_user, data=data, place="office", allow_duplicate=True, today=TODAY)
    assert Volunteer.objects.count() == 2


def test_an_edit_warns_only_when_the_identity_changes(year, staff_user):  # type: ignore[no-untyped-def]
    register(staff_user)
    other = register(staff_user, family="例田", family_kana="レイダ")
    update_volunteer(
        by=staff_user,
        volunteer=other,
        data=VolunteerData(values=person(family="例田", family_kana="レイダ", note="追記")),
        today=TODAY,
        expected_version=other.version,
    )
    with pytest.raises(DuplicateVolunteer):
        update_volunteer(
            by=staff_user,
            volunteer=other,
            data=VolunteerData(values=person()),
            today=TODAY,
            expected_version=other.version + 1,
        )


def test_find_duplicates_leaves_out_the_one_being_edited(year, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user, birth_year=None)
    identity = who("見本 花子", "ミホン ハナコ", 1970)
    assert find_duplicates(identity) == [volunteer]
    assert find_duplicates(identity, exclude_pk=volunteer.pk) == []


def post_data(**extra: object) -> dict[str, object]:
    data = {
        "kind": "person",
        "family_name": "見本",
        "given_name": "花子",
        "family_name_kana": "ミホン",
        "given_name_kana": "ハナコ",
        "birth_year": "昭和35",
        "registered_on": "R2.6.1",
        "place": "office",
        "slots": ["1-am"],
        "availability_text": "金曜夜",
        "consent_to_introduce": "on",
        "active": "on",
    }
    data.update(extra)
    return data


def test_the_form_shows_the_warning_and_saves_only_with_the_checkbox(year, staff_client):  # type: ignore[no-untyped-def]
    response = staff_client.post("/volunteers/registrations/new/", post_data())
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.birth_year == 1960
    assert volunteer.registered_on == date(2020, 6, 1)
    assert volunteer.slots == {(1, "am"), (4, "night")}

    response = staff_client.post(
        "/volunteers/registrations/new/", post_data(family_name_kana="ﾐﾎﾝ", birth_year="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "同じ方がすでに登録されているかもしれません" in page
    assert f'href="/volunteers/registrations/{volunteer.pk}/"' in page
    assert 'name="allow_duplicate"' in page
    assert Volunteer.objects.count() == 1

    response = staff_client.post(
        "/volunteers/registrations/new/",
        post_data(family_name_kana="ﾐﾎﾝ", birth_year="", allow_duplicate="on"),
    )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 2


def test_the_database_narrowing_answers_as_the_rule(year, staff_user):  # type: ignore[no-untyped-def]
    """lib/identity.py writes the rule for Python and as a query; on real rows the two
    agree, for every birth year and key asked."""
    for birth_year in (None, 1960, 1988):
        register(staff_user, birth_year=birth_year)
    register(staff_user, family="例田", family_kana="レイダ", birth_year=1960)
    rows = list(Volunteer.objects.all())
    for asked_year in (None, 1960, 1988):
        narrowed = set(Volunteer.objects.filter(birth_year_q(asked_year)))
        assert narrowed == {v for v in rows if birth_years_agree(asked_year, v.birth_year)}
    for name, kana in [("見本花子", ""), ("", "ミホンハナコ"), ("見本花子", "レイダハナコ")]:
        asked = who(name, kana)
        query = candidates_q(asked.name_key, asked.kana_key)
        assert query is not None
        assert set(Volunteer.objects.filter(query)) == {
            v for v in rows if keys_match(asked.name_key, asked.kana_key, v.name_key, v.kana_key)
        }
