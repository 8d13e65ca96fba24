"""The classifier on its own: what it ranks, and what it keeps of the notes."""

import numpy as np

from tsunagu.suggest.classifier import Example, fit, note_text, vectorize


def examples(pairs: list[tuple[str, int]]) -> list[Example]:
    return [Example(text=note_text(text), labels={label: 1.0}) for text, label in pairs]


SEPARABLE = [("助成金の申請", 1), ("助成金の会計", 1), ("助成金の精算", 1)] * 3 + [
    ("チラシの作り方", 2),
    ("チラシの印刷", 2),
    ("チラシを配る", 2),
] * 3


def test_the_subject_of_a_note_comes_first() -> None:
    model = fit(examples(SEPARABLE), fiscal_year=2020, consulter_type_id=1)
    assert model.ranked(note_text("助成金について")) == [1, 2]
    assert model.ranked(note_text("ﾁﾗｼを作りたい"))[0] == 2  # half-width kana as typed


def test_a_note_with_nothing_known_gets_no_ranking() -> None:
    model = fit(examples(SEPARABLE), fiscal_year=2020, consulter_type_id=1)
    assert model.ranked(note_text("XYZ")) == []


def test_a_phrase_of_fewer_than_three_records_leaves_no_trace() -> None:
    rare = [("山田様の件、チラシの作り方", 2), ("山田様の件", 1)]
    model = fit(examples(SEPARABLE + rare), fiscal_year=2020, consulter_type_id=1)
    name = vectorize([note_text("山田様")]).indices
    assert not np.isin(name, model.features).any()
    assert model.ranked(note_text("山田様")) == []


def test_one_category_alone_is_suggested_when_the_note_is_known() -> None:
    model = fit(examples([("寄付したい", 5)] * 3), fiscal_year=2020, consulter_type_id=1)
    assert model.ranked(note_text("寄付")) == [5]
