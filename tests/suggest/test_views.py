"""The suggestions endpoint and the entry screens' block, through HTTP."""

import pytest
from django.urls import reverse

from tests.suggest.conftest import GROUP, Council
from tsunagu.suggest.services import train_suggestions

URL = reverse("suggest:categories")


@pytest.fixture
def trained(history: Council) -> Council:
    train_suggestions(by=None, fiscal_years=[2020])
    return history


def ask(client, council: Council, text: str, **extra: str):  # type: ignore[no-untyped-def]
    data = {"note": text, "consulter_type": str(council.types[GROUP].pk), "date": "2020-06-01"}
    data.update(extra)
    return client.post(URL, data)


def test_staff_get_up_to_three_buttons_best_first(staff_client, trained) -> None:  # type: ignore[no-untyped-def]
    response = ask(staff_client, trained, "助成金のチラシと会則について相談")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-suggest-category=") == 3
    assert html.index(">助成金<") < html.index(">広報<")
    assert f'data-suggest-category="{trained.categories["2020:助成金"].pk}"' in html
    assert 'aria-pressed="false"' in html


def test_the_date_may_be_typed_in_the_era(staff_client, trained) -> None:  # type: ignore[no-untyped-def]
    html = ask(staff_client, trained, "チラシを作りたい", date="R2.6.1").content.decode()
    assert ">広報<" in html


def test_viewers_are_refused(viewer_client, trained) -> None:  # type: ignore[no-untyped-def]
    assert ask(viewer_client, trained, "助成金の申請").status_code == 403


def test_the_note_is_never_asked_for_in_a_url(staff_client, trained) -> None:  # type: ignore[no-untyped-def]
    assert staff_client.get(URL, {"note": "助成金の申請"}).status_code == 405


@pytest.mark.parametrize(
    "extra",
    [
        {"date": "そのうち"},
        {"date": ""},
        {"consulter_type": "abc"},
        {"consulter_type": "99999999999999999999999"},
        {"consulter_type": "999999"},
        {"note": "助成金\x00"},
        {"note": "助" * 20_000},
        {"date": "2031-04-01"},  # a year without a model
    ],
)
def test_bad_or_unknown_input_gives_an_empty_answer(staff_client, trained, extra) -> None:  # type: ignore[no-untyped-def]
    response = ask(staff_client, trained, "助成金の申請", **extra)
    assert response.status_code == 200
    assert "data-suggest-category" not in response.content.decode()


def test_a_fresh_install_without_a_model_answers_nothing(staff_client, history) -> None:  # type: ignore[no-untyped-def]
    response = ask(staff_client, history, "助成金の申請について")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_one_suggestion_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    staff_client, trained, django_assert_max_num_queries
) -> None:
    ask(staff_client, trained, "助成金")  # the model is read once per process
    # The session, the user, the year's categories; the session is not written.
    with django_assert_max_num_queries(3):
        response = ask(staff_client, trained, "助成金の申請について")
    assert response.content.decode().count("data-suggest-category=") == 1


def test_the_entry_screens_carry_the_block_and_its_script(staff_client, council) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("records:new"), reverse("records:outing")):
        html = staff_client.get(url).content.decode()
        assert f'data-url="{URL}"' in html, url
        assert "suggest/suggest.js" in html, url


def test_a_suggestion_never_writes_back_the_session(staff_client, trained, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The form submitted while a suggestion is in flight stores its message in the
    session; the suggestion, finishing after it, must not write the old session back."""
    from django.contrib.sessions.backends.db import SessionStore

    from tsunagu.suggest import views

    key = staff_client.session.session_key
    original = views.suggest_categories

    def meanwhile(**kwargs):  # type: ignore[no-untyped-def]
        session = SessionStore(session_key=key)
        session["_messages"] = "saved by the form meanwhile"
        session.save()
        return original(**kwargs)

    monkeypatch.setattr(views, "suggest_categories", meanwhile)
    assert ask(staff_client, trained, "助成金の申請について").status_code == 200
    assert SessionStore(session_key=key).load()["_messages"] == "saved by the form meanwhile"
