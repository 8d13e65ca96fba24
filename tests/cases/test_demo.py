"""The demo cases: the three examples of docs/domain.md 「つなぐ」, loaded once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.dashboard import panel
from tsunagu.cases.models import Case, CaseStatus
from tsunagu.demo.cases import load_demo


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=io.StringIO())
    return User.objects.get(username="admin")


def test_the_three_examples_are_loaded_once(demo) -> None:  # type: ignore[no-untyped-def]
    # `tsunagu demo` has loaded them; a second load adds nothing.
    assert "読み込み済み" in load_demo(by=demo)
    cases = {c.pseudonym: c for c in Case.objects.all()}
    assert set(cases) == {"T・Hさん", "Yさん親子", "S・Kさん"}

    shopping = cases["T・Hさん"]
    assert [s.username for s in shopping.staff.all()] == ["takahashi"]
    assert shopping.status == CaseStatus.SUPPORTING
    assert [(m.helper_name, m.frequency) for m in shopping.matches.all()] == [
        ("買い物サポート あゆみ", "月2回（第1・第3火曜の午前）")
    ]
    assert not shopping.has_identity  # pseudonyms only

    child = cases["Yさん親子"]
    assert {n.name for n in child.needs.all()} == {"子どもの遊び相手・学習支援", "話し相手"}
    assert child.matches.count() == 2
    assert child.referrals.get().get_consent_basis_display() == "支援会議"

    watch = cases["S・Kさん"]
    assert watch.get_age_band_display() == "20代"
    assert watch.matches.get().group.name == "本町一丁目の会"  # type: ignore[union-attr]
    for case in cases.values():
        assert case.asks.exists() and case.referrals.exists() and case.records.exists()


def test_the_demo_home_page_has_something_to_follow(demo) -> None:  # type: ignore[no-untyped-def]
    load_demo(by=demo)
    today = timezone.localdate()
    suzuki = panel(User.objects.get(username="suzuki"), today)
    assert suzuki is not None
    assert [r.agency.name for r, _days in suzuki.context["stale"]] == ["教育支援課"]
    sato = panel(User.objects.get(username="sato"), today)
    assert sato is not None and sato.context["follow_ups"]
    takahashi = panel(User.objects.get(username="takahashi"), today)
    assert takahashi is not None and takahashi.context["reviews"]
