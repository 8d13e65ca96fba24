"""Finding a record again (issue #13, point 5): the list filtered by period, staff,
target, kind, consulter type and category; the filter remembered; a save or a deletion
landing on the record's own year with the record highlighted (or offered back)."""

import re
from datetime import date

import pytest
from django.test import Client

from tests.conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.records import views
from tsunagu.records.models import Place, SupportRecord
from tsunagu.records.services import RecordData, create_record


def shown(response) -> set[int]:  # type: ignore[no-untyped-def]
    """The ids of the records the list shows (each row links to its record)."""
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/records/(\d+)/"', response.content.decode())}


def text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def four(record, lists, city, staff_user, admin_user):  # type: ignore[no-untyped-def]
    """`record` (2020-06-10, 職員, ひだまり, 個人：近況報告など) and three more."""
    visit = create_record(
        by=admin_user,
        data=RecordData(
            values={
                "date": date(2020, 8, 1),
                "staff": admin_user,
                "activity_kind": lists["kind2020:出向き・参加"],
                "place": Place.OUTREACH,
                "target_region": city["honcho"],
            },
        ),
    )
    group = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2021, 1, 15),
                "activity_kind": lists["kind2020:相談対応"],
                "place": Place.PHONE,
                "consulter_type": lists["types"]["地域活動団体"],
            },
            categories=[lists["cat2020:チラシ・広報"]],
        ),
    )
    earlier = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2019, 10, 1),
                "staff": staff_user,
                "activity_kind": lists["kind2019:出向き・参加"],
                "place": Place.OUTREACH,
            },
        ),
    )
    return {"consultation": record, "visit": visit, "group": group, "earlier": earlier}


def test_each_filter_narrows_the_list(staff_client, four, lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    c, v, g = four["consultation"].pk, four["visit"].pk, four["group"].pk
    ask = lambda **p: shown(staff_client.get("/records/", {"fy": "2020", **p}))  # noqa: E731
    assert ask() == {c, v, g}
    assert ask(date_from="2020-07-01") == {v, g}
    assert ask(date_to="R2.8.1") == {c, v}
    assert ask(date_from="2020/8/1", date_to="令和3年1月15日") == {v, g}
    assert ask(staff=staff_user.pk) == {c}
    assert ask(target=f"g:{city['hidamari'].pk}") == {c}
    assert ask(target=f"r:{city['honcho'].pk}") == {v}
    assert ask(kind=lists["kind2020:出向き・参加"].pk) == {v}
    assert ask(consulter_type=lists["types"]["地域活動団体"].pk) == {g}
    assert ask(category=lists["cat2020:近況報告など"].pk) == {c}
    assert ask(staff=staff_user.pk, date_from="2020-07-01") == set()


def test_the_chosen_filters_stay_chosen_in_the_form(staff_client, four, city) -> None:  # type: ignore[no-untyped-def]
    page = text(
        staff_client.get(
            "/records/",
            {"fy": "2020", "date_from": "R2.7.1", "target": f"g:{city['hidamari'].pk}"},
        )
    )
    assert 'name="date_from" value="R2.7.1"' in page
    assert f'<option value="g:{city["hidamari"].pk}" selected>サロンひだまり</option>' in page
    assert "条件をクリア" in page


def test_a_period_alone_chooses_its_own_year(staff_client, four) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/records/", {"date_from": "2019-09-01", "date_to": "2019-12-31"})
    assert shown(response) == {four["earlier"].pk}
    assert "支援記録（令和元年度）" in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_from": "2020-13-01"},
            "「2020-13-01」は日付として読み取れません。月は1から12までです。"
            "「期間（から）」の指定は使いませんでした。",
        ),
        ({"date_to": "令和2年2月30日"}, "「令和2年2月30日」は存在しない日付です。"),
        ({"date_from": "あした"}, "「あした」は日付として読み取れません。"),
        (
            {"date_from": "x" * 500},
            "日付として読み取れません。「期間（から）」の指定は使いませんでした。",
        ),
        ({"date_to": "2020-01-\x00"}, "「期間（まで）」の指定は使いませんでした。"),
        (
            {"date_from": "2021-01-01", "date_to": "2020-12-01"},
            "「期間（から）」の令和3年1月1日が「期間（まで）」の令和2年12月1日より後のため、"
            "期間の指定は使いませんでした。",
        ),
        (
            {"date_from": "2019-05-01"},
            "「期間（から）」の令和元年5月1日は令和2年度（令和2年4月1日～令和3年3月31日）の外の日付",
        ),
        ({"target": "x:1"}, "「支援先」の指定が正しくないため、使いませんでした。"),
        ({"target": "g:²"}, "「支援先」の指定が正しくないため、使いませんでした。"),
        ({"target": "r:" + "9" * 30}, "「支援先」の指定が正しくないため、使いませんでした。"),
        ({"staff": "²"}, "「担当職員」の指定（²）が正しくないため、使いませんでした。"),
    ],
)
def test_a_bad_filter_is_said_and_the_rest_of_the_year_is_shown(
    staff_client, four, params, message
) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/records/", {"fy": "2020", **params})
    assert shown(response) == {four[k].pk for k in ("consultation", "visit", "group")}
    assert message in text(response)


def test_an_unknown_target_finds_nothing(staff_client, four) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/records/", {"fy": "2020", "target": "g:999999"})
    assert shown(response) == set()
    assert "条件に合う記録はありません" in text(response)


def test_the_last_filter_is_remembered_until_cleared(staff_client, four, staff_user) -> None:  # type: ignore[no-untyped-def]
    staff_client.get(
        "/records/", {"fy": "2020", "staff": staff_user.pk, "zone": "²", "q": "買い物"}
    )
    back = staff_client.get("/records/")
    # The valid filter comes back; the ignored one is not said again; the note search
    # (perhaps a person's name) is not kept.
    assert back.status_code == 302
    assert back["Location"] == f"/records/?fy=2020&staff={staff_user.pk}"
    page = staff_client.get(back["Location"])
    assert shown(page) == {four["consultation"].pk}
    assert "「圏域」の指定" not in text(page)

    cleared = staff_client.get("/records/", {"clear": "1", "fy": "2020"})
    assert shown(cleared) == {four[k].pk for k in ("consultation", "visit", "group")}
    again = staff_client.get("/records/")
    assert again.status_code == 200  # nothing remembered: this year's list
    assert 'name="staff"' in text(again)


def test_another_user_does_not_get_my_filter(staff_client, four, staff_user) -> None:  # type: ignore[no-untyped-def]
    staff_client.get("/records/", {"fy": "2020", "staff": staff_user.pk})
    other = Client()
    other.force_login(make_user("tanin", Role.STAFF))
    assert other.get("/records/").status_code == 200


def test_a_saved_record_is_highlighted_on_its_page(staff_client, four, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    oldest = four["consultation"].pk  # the list is newest first: 2021-01, 2020-08, 2020-06
    page = text(staff_client.get("/records/", {"fy": "2020", "saved": str(oldest)}))
    assert "2／2ページ" in page
    assert (
        f'<tr class="row--saved" id="saved" tabindex="-1">\n    <th scope="row"><a href="/records/{oldest}/">'
        in page
    )
    assert page.count("保存した記録</span>") == 1
    # The remembered filter is not replaced by a landing.
    assert staff_client.get("/records/").status_code == 200


@pytest.mark.parametrize(
    "saved", ["abc", "²", "9" * 30, "1,,2", "-1", ",".join(["1"] * 51), "\x00", "1;2"]
)
def test_a_bad_saved_value_highlights_nothing(staff_client, four, saved) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/records/", {"fy": "2020", "saved": saved})
    assert len(shown(response)) == 3
    assert 'id="saved"' not in text(response)
    assert "「保存した記録」の指定" in text(response)


def test_a_saved_id_of_a_record_not_listed_reveals_nothing(staff_client, four, staff_user) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.records.services import delete_record

    delete_record(by=staff_user, record=four["visit"])
    for saved in (four["visit"].pk, four["earlier"].pk, 999999):
        response = staff_client.get("/records/", {"fy": "2020", "saved": str(saved)})
        assert shown(response) == {four["consultation"].pk, four["group"].pk}
        assert 'id="saved"' not in text(response) and "保存した記録</span>" not in text(response)


def test_a_new_record_of_an_earlier_year_lands_on_that_year(staff_client, lists, city) -> None:  # type: ignore[no-untyped-def]
    from tests.records.test_views import entry_form

    response = staff_client.post(
        "/records/new/",
        entry_form(
            lists,
            city,
            date="令和元年6月1日",
            activity_kind=lists["kind2019:相談対応"].pk,
            categories=[lists["cat2019:近況報告など"].pk],
        ),
    )
    record = SupportRecord.objects.get()
    assert response["Location"] == f"/records/?fy=2019&saved={record.pk}#saved"
    page = text(staff_client.get(response["Location"]))
    assert (
        "支援記録（令和元年度）" in page
        and "令和元年6月1日の記録（相談対応）を保存しました。" in page
    )
    assert 'id="saved"' in page


def test_an_outing_lands_on_its_year_with_every_record_highlighted(
    staff_client, lists, city
) -> None:  # type: ignore[no-untyped-def]
    data = {
        "date": "2019-07-01",
        "place": "outreach",
        "target": f"g:{city['hidamari'].pk}",
        "visit_kind": lists["kind2019:出向き・参加"].pk,
        "consultation_kind": lists["kind2019:相談対応"].pk,
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "30",
        "c-0-consulter_type": lists["types"]["ニーズを抱えている個人"].pk,
        "c-0-categories": [lists["cat2019:近況報告など"].pk],
    }
    response = staff_client.post("/records/outing/", data)
    ids = sorted(SupportRecord.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert response["Location"].startswith("/records/?fy=2019&saved=")
    assert response["Location"].endswith("#saved")
    page = text(staff_client.get(response["Location"]))
    assert page.count('class="row--saved"') == 2
    assert "出向き先での記録を2件保存しました。" in page


def test_an_edit_lands_on_the_records_year(staff_client, record, lists, city) -> None:  # type: ignore[no-untyped-def]
    from tests.records.test_views import entry_form

    form = {**entry_form(lists, city), "date": "2020-06-11", "version": "1"}
    response = staff_client.post(f"/records/{record.pk}/edit/", form)
    assert response["Location"] == f"/records/?fy=2020&saved={record.pk}#saved"


def test_a_deletion_lands_on_its_year_and_offers_the_record_back(staff_client, four) -> None:  # type: ignore[no-untyped-def]
    earlier = four["earlier"]
    response = staff_client.post(f"/records/{earlier.pk}/delete/")
    assert response["Location"] == f"/records/?fy=2019&deleted={earlier.pk}"
    page = text(staff_client.get(response["Location"]))
    assert "令和元年10月1日の記録（出向き・参加）をごみ箱に移しました。" in page
    assert "令和元年10月1日の記録（出向き・参加）を元に戻す" in page
    assert 'href="/records/trash/">ごみ箱を開く</a>' in page

    back = staff_client.post(f"/records/{earlier.pk}/restore/", {"back": "list"})
    assert back["Location"] == f"/records/?fy=2019&saved={earlier.pk}#saved"
    assert SupportRecord.objects.alive().filter(pk=earlier.pk).exists()


def test_the_undo_is_offered_only_to_who_may_restore(client, four, staff_user, viewer_user) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.records.services import delete_record

    delete_record(by=staff_user, record=four["earlier"])
    url = f"/records/?fy=2019&deleted={four['earlier'].pk}"
    for user in (make_user("tanin", Role.STAFF), viewer_user):
        client.force_login(user)
        assert "を元に戻す" not in text(client.get(url))
    # An alive record's id offers nothing either.
    client.force_login(staff_user)
    assert "を元に戻す" not in text(client.get(f"/records/?fy=2020&deleted={four['visit'].pk}"))


def test_the_highlighted_list_costs_no_query_per_row(
    staff_client, record, lists, staff_user
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = text(staff_client.get("/records/", {"fy": "2020", "saved": str(record.pk)}))
        assert 'id="saved"' in page
        return len(captured)

    queries()
    one = queries()
    for day in range(1, 21):
        create_record(
            by=staff_user,
            data=RecordData(
                values={
                    "date": date(2020, 9, day),
                    "activity_kind": lists["kind2020:出向き・参加"],
                    "place": Place.PHONE,
                },
            ),
        )
    assert queries() == one
