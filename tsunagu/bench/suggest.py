"""`tsunagu bench suggest`: how often the category suggestions are right on records they
did not learn from, against always suggesting the most frequent categories, and how long
one suggestion takes (docs/benchmarks.md).

Two sets of records, each split the same way (a record whose id is a multiple of
`HELD_OUT_EVERY` is held out, the rest is learnt through the product's own training):
the demo council's records (`tsunagu demo`), and synthetic notes written from
category-specific vocabularies over three years whose lists are renamed, merged and split.
"""

import random
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from itertools import cycle, islice
from typing import Any

from django.db import transaction
from django.db.models.functions import Mod

from tsunagu.bench.options import positive
from tsunagu.bench.timing import capture_queries, run_bare, seconds
from tsunagu.demo.directory import load_directory
from tsunagu.demo.records import load_records
from tsunagu.demo.records_data import CONSULTATION_KIND
from tsunagu.demo.years import STORY_LAST_YEAR
from tsunagu.demo.years import demo_years as pinned_demo_years
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_bounds, fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    Place,
    RecordQuerySet,
    SupportRecord,
)
from tsunagu.reports.cache import invalidate
from tsunagu.suggest.classifier import note_text
from tsunagu.suggest.examples import collect, eligible_records
from tsunagu.suggest.modelfile import current_model
from tsunagu.suggest.services import (
    MIN_SHARE,
    SUGGESTIONS,
    suggest_categories,
    train_suggestions,
)

HELP = "相談内容の候補の正解率（上位1件・3件）を最頻の分類と比べ、候補を出す時間を測ります"
HELD_OUT_EVERY = 5
SYNTHETIC_TYPE = "合成データの相談者"
SEED = 12
# The synthetic lists rename, merge and split among their first seven categories.
MIN_CATEGORIES = 8


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--records", type=positive, default=6000, help="合成データの相談記録の件数（3年度に配る）"
    )
    parser.add_argument(
        "--categories",
        type=enough_categories,
        default=16,
        help=f"合成データの1年度の分類の数（{MIN_CATEGORIES}以上）",
    )
    parser.add_argument("--lookups", type=positive, default=1000, help="候補を出す時間を測る回数")


def enough_categories(text: str) -> int:
    value = positive(text)
    if value < MIN_CATEGORIES:
        raise ArgumentTypeError(f"分類の数は{MIN_CATEGORIES}以上にしてください：{text}")
    return value


# --- evaluation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    held_out: int
    learnt: int
    top1: float
    top3: float
    baseline_top1: float
    baseline_top3: float

    def line(self) -> str:
        return (
            f"top-1 {self.top1:.2f} (baseline {self.baseline_top1:.2f}) · "
            f"top-3 {self.top3:.2f} (baseline {self.baseline_top3:.2f})"
        )


def held_out(records: RecordQuerySet) -> RecordQuerySet:
    return records.alias(bucket=Mod("id", HELD_OUT_EVERY)).filter(bucket=0)


def learnt_from(records: RecordQuerySet) -> RecordQuerySet:
    return records.alias(bucket=Mod("id", HELD_OUT_EVERY)).exclude(bucket=0)


def most_frequent(fiscal_year: int, records: RecordQuerySet) -> dict[int, list[int]]:
    """The baseline: per consulter type, the categories most often chosen in the records
    the model learns from (carried to the year like the model's), most frequent first."""
    result = {}
    for consulter_type_id, rows in collect(fiscal_year, records=records).items():
        counts: Counter[int] = Counter()
        for _, example in rows:
            counts.update(example.labels)
        result[consulter_type_id] = [pk for pk, _ in counts.most_common(SUGGESTIONS)]
    return result


def evaluate(records: RecordQuerySet, fiscal_years: Sequence[int], latencies: list[float]) -> Score:
    """Train on the records not held out, then ask for suggestions on each held-out
    consultation (with its categories) of the years; a note without suggestions counts
    as a miss. Each suggestion's time is appended to `latencies`."""
    training = train_suggestions(by=None, fiscal_years=fiscal_years, records=learnt_from(records))
    hits = Counter[str]()
    total = 0
    for fiscal_year in fiscal_years:
        baseline = most_frequent(fiscal_year, learnt_from(records))
        tests = held_out(records).filter(fiscal_year=fiscal_year)
        links = defaultdict(set)
        through = SupportRecord.categories.through.objects.filter(supportrecord__in=tests)
        for record_id, category_id in through.values_list("supportrecord_id", "category_id"):
            links[record_id].add(category_id)
        for pk, consulter_type_id, note in tests.values_list("pk", "consulter_type_id", "note"):
            truth = links.get(pk)
            if not truth or consulter_type_id not in baseline:
                continue
            started = time.perf_counter()
            suggested = suggest_categories(
                note=note, consulter_type_id=consulter_type_id, fiscal_year=fiscal_year
            )
            latencies.append(time.perf_counter() - started)
            ids = [c.pk for c in suggested]
            usual = baseline[consulter_type_id]
            total += 1
            hits["top1"] += bool(ids[:1] and ids[0] in truth)
            hits["top3"] += bool(truth & set(ids[:SUGGESTIONS]))
            hits["baseline_top1"] += bool(usual[:1] and usual[0] in truth)
            hits["baseline_top3"] += bool(truth & set(usual[:SUGGESTIONS]))
    share = {key: hits[key] / total if total else 0.0 for key in hits}
    return Score(
        held_out=total,
        learnt=training.records,
        top1=share.get("top1", 0.0),
        top3=share.get("top3", 0.0),
        baseline_top1=share.get("baseline_top1", 0.0),
        baseline_top3=share.get("baseline_top3", 0.0),
    )


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- synthetic notes ---------------------------------------------------------------------

# Characters the pseudo-words are made of: enough kanji and kana that words of different
# categories share some characters (and so some n-grams), as real words do.
CHARACTERS = (
    "相談活動地域支援会議参加募集寄付助成金会計広報名簿個人情報市役所関係機関連携居場所立上"
    "研修保険部屋借用近況報告方向性意見相違役割分担高齢子育食堂見守買物介護障害生活福祉健康"
)
ENDINGS = ["について相談。", "の件。", "を伝えた。", "と話があった。", "の問い合わせ。", "。"]


@dataclass(frozen=True)
class SyntheticLists:
    fiscal_years: list[int]
    vocabularies: dict[int, list[str]]  # category id → its words
    weights: dict[int, dict[int, float]]  # fiscal year → category id → frequency
    consulter_type: ConsulterType


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choices(CHARACTERS, k=rng.choice((2, 2, 3)))))
    return sorted(words)


def make_synthetic_lists(rng: random.Random, *, categories: int, last_year: int) -> SyntheticLists:
    """Three years of one consulter type's list. In the middle year category 2 is renamed;
    in the last, categories 4 and 5 are merged and category 6 is split in two. A merged
    category speaks with both vocabularies; each half of a split takes half of its
    predecessor's words and some of its own."""
    consulter_type, _ = ConsulterType.objects.get_or_create(
        name=SYNTHETIC_TYPE, defaults={"order": 99}
    )
    fiscal_years = [last_year - 2, last_year - 1, last_year]
    names = [f"合成分類{i:02d}" for i in range(categories)]
    words = {name: pseudo_words(rng, 8) for name in names}
    vocabularies: dict[int, list[str]] = {}
    weights: dict[int, dict[int, float]] = {}
    previous: dict[str, Category] = {}
    for year in fiscal_years:
        lineage: dict[str, list[str]] = {name: [name] for name in names}
        vocab = dict(words)
        if year == fiscal_years[1]:
            renamed = names[2] + "（名称変更）"
            lineage = {(renamed if n == names[2] else n): [n] for n in names}
            vocab = {(renamed if n == names[2] else n): w for n, w in words.items()}
        elif year == fiscal_years[2]:
            before = list(previous)
            merged, split = f"{before[4]}・{before[5]}", before[6]
            halves = [f"{split}（前半）", f"{split}（後半）"]
            lineage = {n: [n] for n in before if n not in (before[4], before[5], split)}
            lineage[merged] = [before[4], before[5]]
            lineage[halves[0]] = [split]
            lineage[halves[1]] = [split]
            old = {name: vocabularies[category.pk] for name, category in previous.items()}
            vocab = {n: old[n] for n in lineage if n in old}
            vocab[merged] = old[before[4]] + old[before[5]]
            vocab[halves[0]] = old[split][:4] + pseudo_words(rng, 4)
            vocab[halves[1]] = old[split][4:] + pseudo_words(rng, 4)
        made: dict[str, Category] = {}
        for order, (name, predecessors) in enumerate(lineage.items(), start=1):
            category = Category.objects.create(
                fiscal_year=year, consulter_type=consulter_type, name=name, order=order
            )
            category.predecessors.add(*(previous[p] for p in predecessors if p in previous))
            vocabularies[category.pk] = vocab[name]
            made[name] = category
        # Zipf-like frequencies, so that the most frequent categories are a real baseline.
        weights[year] = {c.pk: 1 / (rank + 1) ** 0.8 for rank, c in enumerate(made.values())}
        previous = made
    return SyntheticLists(fiscal_years, vocabularies, weights, consulter_type)


@dataclass(frozen=True)
class Noise:
    """Of a note's words: the share from its categories' own vocabularies, the share from
    another category's (a confusing word); the rest are common words of every category."""

    own: float = 0.3
    confusing: float = 0.15


def synthetic_note(
    rng: random.Random,
    categories: Sequence[int],
    lists: SyntheticLists,
    shared: Sequence[str],
    noise: Noise,
) -> str:
    """Six to fourteen words, drawn as `noise` says."""
    others = [pk for pk in lists.vocabularies if pk not in categories]
    words = []
    for _ in range(rng.randint(6, 14)):
        draw = rng.random()
        if draw < noise.own:
            words.append(rng.choice(lists.vocabularies[rng.choice(categories)]))
        elif draw < noise.own + noise.confusing and others:
            words.append(rng.choice(lists.vocabularies[rng.choice(others)]))
        else:
            words.append(rng.choice(shared))
    return "".join(w + (rng.choice(ENDINGS) if rng.random() < 0.2 else "、") for w in words)


def generate_synthetic(
    *, records: int, categories: int, last_year: int, noise: Noise | None = None, seed: int = SEED
) -> SyntheticLists:
    """The lists and `records` consultations spread over their three years (a quarter
    with a second category), written in bulk."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    with transaction.atomic():
        lists = make_synthetic_lists(rng, categories=categories, last_year=last_year)
        shared = pseudo_words(rng, 80)
        kinds = {
            year: ActivityKind.objects.get_or_create(
                fiscal_year=year,
                name_key=normalize(CONSULTATION_KIND),
                defaults={"name": CONSULTATION_KIND},
            )[0]
            for year in lists.fiscal_years
        }
        drafts: list[tuple[SupportRecord, list[int]]] = []
        for index in range(records):
            year = lists.fiscal_years[index % 3]
            ids = list(lists.weights[year])
            chosen = rng.choices(ids, weights=list(lists.weights[year].values()))
            if rng.random() < 0.25:
                chosen.append(rng.choice([pk for pk in ids if pk != chosen[0]]))
            note = synthetic_note(rng, chosen, lists, shared, noise or Noise())
            first, _ = fiscal_year_bounds(year)
            day = first + timedelta(days=rng.randrange(365))
            record = SupportRecord(
                date=day,
                fiscal_year=year,
                activity_kind=kinds[year],
                place=Place.PHONE,
                consulter_type=lists.consulter_type,
                note=note,
                note_key=normalize(note),
            )
            drafts.append((record, chosen))
        SupportRecord.objects.bulk_create([record for record, _ in drafts], batch_size=2000)
        Through = SupportRecord.categories.through
        Through.objects.bulk_create(
            [
                Through(supportrecord_id=record.pk, category_id=pk)
                for record, chosen in drafts
                for pk in chosen
            ],
            batch_size=5000,
        )
        invalidate()  # bulk_create sends no model signal
    return lists


# --- the run -------------------------------------------------------------------------------


def run(options: dict[str, Any], write: Any) -> None:
    latencies: list[float] = []
    with transaction.atomic():
        ensure_consulter_types()
        load_directory()
        # Pinned where the story is written, so that the synthetic years up to this one
        # (generate_synthetic below) do not meet the demo's.
        load_records(pinned_demo_years(STORY_LAST_YEAR))
    demo_records = eligible_records().exclude(consulter_type__name=SYNTHETIC_TYPE)
    demo_years = sorted(set(demo_records.values_list("fiscal_year", flat=True).distinct()))
    demo = evaluate(demo_records, demo_years, latencies)
    write(
        f"demo ({_years(demo_years)}): learnt from {demo.learnt:,} records, "
        f"{demo.held_out:,} held out"
    )
    write(f"demo: {demo.line()}")

    last_year = current_fiscal_year()
    started = time.perf_counter()
    lists = generate_synthetic(
        records=options["records"], categories=options["categories"], last_year=last_year
    )
    write(
        f"synthetic: {options['records']:,} records, {options['categories']} categories a year "
        f"over {_years(lists.fiscal_years)}, generated in {time.perf_counter() - started:.1f} s"
    )
    synthetic_records = eligible_records().filter(consulter_type=lists.consulter_type)
    started = time.perf_counter()
    synthetic = evaluate(synthetic_records, [last_year], latencies)
    write(
        f"synthetic ({_years([last_year])}): learnt from {synthetic.learnt:,} records, "
        f"{synthetic.held_out:,} held out, trained and evaluated in "
        f"{time.perf_counter() - started:.1f} s"
    )
    write(f"synthetic: {synthetic.line()}")

    notes = list(
        held_out(synthetic_records).filter(fiscal_year=last_year).values_list("note", flat=True)
    ) or ["助成金の申請について相談"]
    model, query = time_parts(notes, lists.consulter_type.pk, last_year, options["lookups"])
    latencies.extend(
        seconds(
            partial(
                suggest_categories,
                note=note,
                consulter_type_id=lists.consulter_type.pk,
                fiscal_year=last_year,
            )
        )
        for note in islice(cycle(notes), options["lookups"])
    )
    write(
        f"suggestion latency over {len(latencies):,} suggestions: "
        f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms · "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms (goal < 50 ms)"
    )
    write(
        f"of which the classifier p50 {percentile(model, 0.5) * 1000:.1f} ms · "
        f"p95 {percentile(model, 0.95) * 1000:.1f} ms; "
        f"its category query replayed bare p50 {percentile(query, 0.5) * 1000:.1f} ms · "
        f"p95 {percentile(query, 0.95) * 1000:.1f} ms"
    )


def time_parts(
    notes: Sequence[str], consulter_type_id: int, fiscal_year: int, count: int
) -> tuple[list[float], list[float]]:
    """The two parts of a suggestion timed alone: the classifier on the note, and the
    SQL of one suggestion sent bare (the floor a suggestion cannot go below)."""
    model = current_model()
    classifier = model.classifier(fiscal_year, consulter_type_id) if model else None
    if classifier is None:
        return [0.0], [0.0]
    queries = capture_queries(
        lambda: suggest_categories(
            note=notes[0], consulter_type_id=consulter_type_id, fiscal_year=fiscal_year
        )
    )
    texts = [note_text(note) for note in islice(cycle(notes), count)]
    return (
        [seconds(partial(classifier.ranked, text, min_share=MIN_SHARE)) for text in texts],
        [seconds(lambda: run_bare(queries)) for _ in texts],
    )


def _years(fiscal_years: Sequence[int]) -> str:
    labels = [f"FY{fy} {fiscal_year_label(fy)}" for fy in fiscal_years]
    return labels[0] if len(labels) == 1 else f"{labels[0]} – {labels[-1]}"
