"""An entry form saves once: its one-time token makes a second send create nothing."""

import re
from datetime import date

import pytest
from django.utils import timezone

from tests.records.test_views import entry_form
from tsunagu.records.models import Place, SavedEntry, SupportRecord
from tsunagu.records.services import (
    AlreadySaved,
    RecordData,
    create_record,
    new_entry_token,
    record_outing,
)


def _token(page: str) -> str:
    match = re.search(r'name="entry_token" value="" data-entry-token="([^"]+)"', page)
    assert match, "the entry screen carries a token"
    return match.group(1)


def test_new_record_sent_twice_is_saved_once(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    token = _token(staff_client.get("/records/new/").content.decode())
    form = {**entry_form(lists, city), "entry_token": token}
    first = staff_client.post("/records/new/", form)
    record = SupportRecord.objects.get()
    assert first["Location"] == f"/records/?fy=2020&saved={record.pk}#saved"

    # Back, then 保存 again — even with a date the browser reset to today.
    second = staff_client.post("/records/new/", {**form, "date": timezone.localdate().isoformat()})
    page = second.content.decode()
    assert second.status_code == 200
    assert "この記録はすでに保存されています。" in page
    assert f'href="/records/{record.pk}/">保存された記録を開く</a>' in page
    assert SupportRecord.objects.count() == 1
    # A fresh screen is a fresh entry.
    assert _token(staff_client.get("/records/new/").content.decode()) != token


def test_continue_gives_the_next_entry_its_own_token(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    token = _token(staff_client.get("/records/new/").content.decode())
    response = staff_client.post(
        "/records/new/", {**entry_form(lists, city), "entry_token": token, "continue": "1"}
    )
    again = _token(staff_client.get(response["Location"]).content.decode())
    assert again != token
    staff_client.post("/records/new/", {**entry_form(lists, city), "entry_token": again})
    assert SupportRecord.objects.count() == 2


def test_outing_sent_twice_is_saved_once(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    token = _token(staff_client.get("/records/outing/").content.decode())
    data = {
        "entry_token": token,
        "date": "2020-07-01",
        "place": "outreach",
        "target": f"g:{city['hidamari'].pk}",
        "visit_kind": lists["kind2020:出向き・参加"].pk,
        "consultation_kind": lists["kind2020:相談対応"].pk,
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-0-consulter_type": lists["types"]["ボランティア希望（活動）者"].pk,
        "c-0-categories": [lists["cat2020:ボランティアしたい"].pk],
    }
    assert staff_client.post("/records/outing/", data).status_code == 302
    assert SupportRecord.objects.count() == 2
    page = staff_client.post("/records/outing/", data).content.decode()
    assert "この記録はすでに保存されています。" in page
    first = SupportRecord.objects.order_by("id").first()
    assert f'href="/records/{first.pk}/">保存された記録を開く</a>' in page  # type: ignore[union-attr]
    assert SupportRecord.objects.count() == 2


def test_a_refused_entry_keeps_its_token_and_its_date(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    token = _token(staff_client.get("/records/new/").content.decode())
    form = {**entry_form(lists, city), "entry_token": token, "date": "2020-12-12"}
    page = staff_client.post(
        "/records/new/", {**form, "categories": [lists["cat2020:ボランティアしたい"].pk]}
    ).content.decode()
    assert "この記録には使えません" in page
    assert _token(page) == token
    date_input = re.search(r'<input type="text" name="date"[^>]*>', page).group(0)  # type: ignore[union-attr]
    assert 'value="2020-12-12"' in date_input
    # Never autocomplete="off": it stops the browser bringing the typed date back on Back.
    assert "autocomplete" not in date_input
    assert not SavedEntry.objects.exists()
    staff_client.post("/records/new/", form)
    assert SupportRecord.objects.get().date == date(2020, 12, 12)


def test_the_services_create_once_per_token(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    values = {
        "date": date(2020, 6, 10),
        "activity_kind": lists["kind2020:出向き・参加"],
        "place": Place.OUTREACH,
        "target_group": city["hidamari"],
    }
    token = new_entry_token()
    record = create_record(by=staff_user, data=RecordData(values=dict(values)), entry_token=token)
    with pytest.raises(AlreadySaved) as refused:
        create_record(by=staff_user, data=RecordData(values=dict(values)), entry_token=token)
    assert refused.value.record == record
    assert refused.value.messages == ["この記録はすでに保存されています。"]
    outing = new_entry_token()
    with pytest.raises(AlreadySaved):
        record_outing(
            by=staff_user,
            shared=dict(values),
            visit={"activity_kind": lists["kind2020:出向き・参加"]},
            consultations=[],
            entry_token=token,
        )
    assert SupportRecord.objects.count() == 1
    saved = record_outing(
        by=staff_user,
        shared=dict(values),
        visit={"activity_kind": lists["kind2020:出向き・参加"]},
        consultations=[],
        entry_token=outing,
    )
    assert SavedEntry.objects.get(token=outing).record == saved[0]
