"""Readings (よみ): guessed from the name, editable, and searched beside the name."""

from typing import Any

from tsunagu.directory.forms import AgencyForm
from tsunagu.directory.models import Agency, AgencyGroup

CENTRE = "在宅介護・地域包括支援センター"


def agency(name: str = CENTRE, **extra: Any) -> Agency:
    group = AgencyGroup.objects.create(name="地域包括支援センター（3か所）")
    return Agency.objects.create(name=name, group=group, **extra)


def form_data(form: AgencyForm, **changes: Any) -> dict[str, Any]:
    """What the edit page posts back unchanged, with `changes`."""
    data = {name: value for name, value in form.initial.items() if value is not None}
    return {**data, **changes}


def test_a_new_entry_gets_the_reading_of_its_name(db) -> None:  # type: ignore[no-untyped-def]
    centre = agency()
    assert centre.reading == "ざいたくかいご・ちいきほうかつしえんせんたー"


def test_a_reading_typed_by_staff_is_kept(db) -> None:  # type: ignore[no-untyped-def]
    centre = agency(name="本町ケアプラザ", reading="ほんまちけあぷらざ")
    assert centre.reading == "ほんまちけあぷらざ"


def test_the_agency_look_up_finds_the_centre_by_its_reading(staff_client, db) -> None:  # type: ignore[no-untyped-def]
    centre = agency()
    for typed in ("ほうかつ", "ホウカツ", "ﾎｳｶﾂ", "包括"):
        results = staff_client.get("/records/lookup/agencies/", {"q": typed}).json()["results"]
        assert [r["label"] for r in results] == [centre.name], typed
    assert staff_client.get("/records/lookup/agencies/", {"q": "ほいくえん"}).json() == {
        "results": []
    }


def test_the_target_look_up_finds_a_group_and_a_region_by_reading(staff_client, city) -> None:  # type: ignore[no-untyped-def]
    labels = [
        r["label"]
        for r in staff_client.get("/records/lookup/targets/", {"q": "ほんちょう"}).json()["results"]
    ]
    assert labels == ["本町地域社協"]
    labels = [
        r["label"]
        for r in staff_client.get("/records/lookup/targets/", {"q": "ひだまり"}).json()["results"]
    ]
    assert labels == ["サロンひだまり"]


def test_the_directory_list_searches_readings(admin_client, db) -> None:  # type: ignore[no-untyped-def]
    agency()
    html = admin_client.get("/directory/agencies/", {"q": "ほうかつ"}).content.decode()
    assert CENTRE in html


def test_renaming_guesses_again_unless_the_reading_was_edited(db) -> None:  # type: ignore[no-untyped-def]
    centre = agency(name="東部地域包括支援センター")
    form = AgencyForm(
        form_data(AgencyForm(instance=centre), name="東部福祉センター"), instance=centre
    )
    assert form.is_valid(), form.errors
    form.save()
    centre.refresh_from_db()
    assert centre.reading == "とうぶふくしせんたー"

    centre.reading = "ひがしぶふくしせんたー"  # the council says it this way
    centre.save()
    form = AgencyForm(form_data(AgencyForm(instance=centre), name="東部福祉会館"), instance=centre)
    assert form.is_valid(), form.errors
    form.save()
    centre.refresh_from_db()
    assert centre.reading == "ひがしぶふくしせんたー"


def test_the_edit_form_offers_the_reading(admin_client, db) -> None:  # type: ignore[no-untyped-def]
    centre = agency()
    html = admin_client.get(f"/directory/agencies/{centre.pk}/").content.decode()
    assert "よみ" in html
    assert centre.reading in html
