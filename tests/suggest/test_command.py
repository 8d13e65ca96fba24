import io

from django.core.management import call_command
from django.utils import timezone

from tests.suggest.conftest import Council
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.suggest.modelfile import model_path


def test_train_says_what_it_learnt_from_and_where_it_wrote(history: Council, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("suggest", "train", stdout=out)
    # The history is of FY2019: outside this year's window, nothing is learnt.
    assert "学習できる記録" in out.getvalue()
    assert not model_path().exists()
    monkeypatch.setattr(timezone, "localdate", lambda: __import__("datetime").date(2020, 5, 1))
    assert fiscal_year_of(timezone.localdate()) == 2020
    out = io.StringIO()
    call_command("suggest", "train", stdout=out)
    assert "支援記録 36件のメモから学習し" in out.getvalue()
    assert "令和2年度 1区分" in out.getvalue()
    assert model_path().exists()
