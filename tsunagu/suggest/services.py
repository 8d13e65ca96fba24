"""Training the suggestions from the council's records, and asking them for a note."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.records.models import Category, ConsulterType, RecordQuerySet, ReportStyle
from tsunagu.suggest.classifier import Classifier, fit, note_text
from tsunagu.suggest.examples import collect
from tsunagu.suggest.modelfile import current_model, model_path, write_model

SUGGESTIONS = 3
# A category the model gives less than this share of the probability is not worth a
# button: a second or third guess of 2% only makes the choice slower.
MIN_SHARE = 0.05
# Fewer characters than this say too little to suggest from.
MIN_NOTE_CHARS = 2


@dataclass
class TrainingResult:
    path: Path
    records: int = 0
    classifiers: list[Classifier] = field(default_factory=list)
    removed: bool = False

    def summary(self) -> str:
        if not self.classifiers:
            verb = "古いモデルを削除しました" if self.removed else "モデルは作っていません"
            return f"学習できる記録（メモのある相談）がないため、{verb}（{self.path}）。"
        years = "、".join(
            f"{fiscal_year_label(fy)} {n}区分" for fy, n in sorted(self._per_year().items())
        )
        return (
            f"支援記録 {self.records:,}件のメモから学習し、{years}の相談内容の候補のモデルを"
            f"{self.path} に書き出しました。"
        )

    def _per_year(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for c in self.classifiers:
            counts[c.fiscal_year] = counts.get(c.fiscal_year, 0) + 1
        return counts


def default_years(today: date) -> list[int]:
    """This fiscal year and the one before (records are often written after the fact,
    and April brings the last entries of March)."""
    current = fiscal_year_of(today)
    return [current - 1, current]


def train_suggestions(
    *,
    by: User | None,
    fiscal_years: Sequence[int] | None = None,
    records: RecordQuerySet | None = None,
    path: Path | None = None,
) -> TrainingResult:
    """Learn a classifier for every consulter type with categories in each of the years,
    and replace the model file with them. Nothing else is kept: a note deleted, purged or
    anonymised since the last training is not in the new file. With nothing to learn
    from, the old file is removed."""
    now = timezone.now()
    path = path or model_path()
    years = list(fiscal_years) if fiscal_years is not None else default_years(timezone.localdate())
    typed = set(
        ConsulterType.objects.filter(active=True)
        .exclude(report_style=ReportStyle.TOTAL)
        .values_list("pk", flat=True)
    )
    result = TrainingResult(path=path)
    learnt: set[int] = set()
    for fiscal_year in sorted(set(years)):
        for consulter_type_id, rows in sorted(collect(fiscal_year, records=records).items()):
            if consulter_type_id not in typed:
                continue
            examples = [example for _, example in rows]
            result.classifiers.append(
                fit(examples, fiscal_year=fiscal_year, consulter_type_id=consulter_type_id)
            )
            learnt.update(pk for pk, _ in rows)
    result.records = len(learnt)
    with transaction.atomic():
        if result.classifiers:
            write_model(path, trained_at=now, classifiers=result.classifiers)
            log_action(
                by=by,
                action="suggest.model.trained",
                label="相談内容の候補",
                changes={
                    "records": result.records,
                    "fiscal_years": sorted({c.fiscal_year for c in result.classifiers}),
                    "classifiers": len(result.classifiers),
                },
            )
        elif path.exists():
            path.unlink()
            result.removed = True
            log_action(by=by, action="suggest.model.removed", label="相談内容の候補")
    return result


def suggest_categories(*, note: str, consulter_type_id: int, fiscal_year: int) -> list[Category]:
    """Up to three of the year's offered categories of the consulter type, best first,
    each likely enough (`MIN_SHARE`); none without a model, for a note too short, or one
    the model knows nothing of."""
    text = note_text(note)
    if len(text) < MIN_NOTE_CHARS:
        return []
    model = current_model()
    classifier = model.classifier(fiscal_year, consulter_type_id) if model else None
    if classifier is None:
        return []
    ranked = classifier.ranked(text, min_share=MIN_SHARE)
    if not ranked:
        return []
    offered = (
        Category.objects.in_year(fiscal_year)
        .active()
        .filter(consulter_type_id=consulter_type_id, pk__in=ranked)
        .in_bulk()
    )
    return [offered[pk] for pk in ranked if pk in offered][:SUGGESTIONS]
