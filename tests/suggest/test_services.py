"""Training from the records and suggesting for a note, as a staff member meets them."""

from datetime import date

import numpy as np
from django.utils import timezone

from tests.suggest.conftest import GROUP, NOTES, Council
from tsunagu.audit.models import AuditEntry
from tsunagu.records.services import delete_record, purge_record
from tsunagu.suggest.classifier import note_text, vectorize
from tsunagu.suggest.modelfile import current_model, model_path
from tsunagu.suggest.services import suggest_categories, train_suggestions


def suggested(council: Council, note: str, fiscal_year: int = 2020) -> list[str]:
    group = council.types[GROUP].pk
    found = suggest_categories(note=note, consulter_type_id=group, fiscal_year=fiscal_year)
    return [category.name for category in found]


def test_a_note_gets_its_categories_under_this_years_names(history: Council) -> None:
    result = train_suggestions(by=None, fiscal_years=[2020])
    assert result.records == 36
    assert "支援記録 36件のメモから学習し" in result.summary()
    assert str(model_path()) in result.summary()
    assert suggested(history, "助成金の申請について")[0] == "助成金"
    assert suggested(history, "チラシを作りたい")[0] == "広報"  # renamed from チラシ・広報
    assert suggested(history, "会則を変えたい")[0] == "会則・会議・役割分担"  # merged
    # A clear note gets one button; a note of several subjects gets them all.
    assert suggested(history, "助成金の申請について") == ["助成金"]
    assert len(suggested(history, "助成金のチラシと会則について相談")) == 3


def test_nothing_is_suggested_without_a_model_or_for_a_blank_note(history: Council) -> None:
    assert suggested(history, "助成金の申請について") == []
    train_suggestions(by=None, fiscal_years=[2020])
    assert suggested(history, " ") == []
    assert suggested(history, "助成金", fiscal_year=2019) == []  # not trained for 2019


def test_a_category_retired_after_training_is_not_suggested(history: Council) -> None:
    train_suggestions(by=None, fiscal_years=[2020])
    grant = history.categories["2020:助成金"]
    grant.retired = True
    grant.save(update_fields=["retired"])
    assert "助成金" not in suggested(history, "助成金の申請について")


def test_deleted_notes_leave_the_model_at_the_next_training(
    history: Council, staff_user, admin_user
) -> None:  # type: ignore[no-untyped-def]
    records = [
        history.record(date(2020, 7, day), ["2020:新型コロナウイルス関連"], "感染対策と再開時期")
        for day in (1, 2, 3)
    ]
    train_suggestions(by=None, fiscal_years=[2020])
    assert suggested(history, "感染対策と再開時期")[0] == "新型コロナウイルス関連"
    for record in records:
        delete_record(by=staff_user, record=record)
    purge_record(by=admin_user, record=records[0])
    train_suggestions(by=None, fiscal_years=[2020])
    assert "新型コロナウイルス関連" not in suggested(history, "感染対策と再開時期")
    model = current_model()
    assert model is not None
    classifier = model.classifier(2020, history.types[GROUP].pk)
    assert classifier is not None
    assert history.categories["2020:新型コロナウイルス関連"].pk not in classifier.classes
    others = [note_text(n) for notes in NOTES.values() for n in notes]
    own = set(vectorize([note_text("感染対策と再開時期")]).indices)
    only_theirs = own - set(vectorize(others).indices)
    assert only_theirs
    assert not only_theirs & set(classifier.features.tolist())


def test_with_nothing_to_learn_the_old_model_is_removed(history: Council) -> None:
    train_suggestions(by=None, fiscal_years=[2020])
    assert model_path().exists()
    from tsunagu.records.models import SupportRecord

    SupportRecord.objects.update(deleted_at=timezone.now())
    result = train_suggestions(by=None, fiscal_years=[2020])
    assert not model_path().exists()
    assert "古いモデルを削除しました" in result.summary()
    assert suggested(history, "助成金の申請") == []
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["suggest.model.trained", "suggest.model.removed"]


def test_every_subject_of_the_fixture_is_told_apart(history: Council) -> None:
    train_suggestions(by=None, fiscal_years=[2020])
    expected = {"助成金": "助成金", "広報": "広報", "会則": "会則・会議・役割分担"}
    for subject, notes in NOTES.items():
        for note in notes:
            assert suggested(history, note)[0] == expected[subject], note


def test_the_model_file_holds_no_text_of_the_notes(history: Council) -> None:
    train_suggestions(by=None, fiscal_years=[2020])
    with np.load(model_path(), allow_pickle=False) as archive:
        stored = b"".join(archive[name].tobytes() for name in archive.files)
    for notes in NOTES.values():
        for note in notes:
            for piece in {note[:2], note[2:4], note_text(note)[:2]}:
                for encoding in ("utf-8", "utf-16-le", "utf-32-le"):
                    assert piece.encode(encoding) not in stored, piece
