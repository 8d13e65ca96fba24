"""The computed report of one fiscal year: one object, rendered to HTML, text, JSON,
xlsx and CSV by the renderers. Plain frozen data, no database."""

from dataclasses import dataclass, field
from enum import Enum

from tsunagu.lib.change import signed_change


class DeltaKind(Enum):
    NUMBER = "number"  # ＋n件 / －n件 / ±0件
    NEW = "new"  # 新: nothing to compare with the year before
    NONE = "none"  # a split category has no delta of its own (see the section's note)


@dataclass(frozen=True)
class Delta:
    kind: DeltaKind
    value: int = 0

    @classmethod
    def between(cls, count: int, previous: int | None) -> "Delta":
        """The change from `previous`; 新 when there was nothing the year before."""
        if not previous:
            return cls(DeltaKind.NEW)
        return cls(DeltaKind.NUMBER, count - previous)

    @property
    def text(self) -> str:
        """＋5件, －2件, ±0件, 新, or "" for a split category."""
        if self.kind is DeltaKind.NEW:
            return "新"
        if self.kind is DeltaKind.NONE:
            return ""
        return signed_change(self.value, "件")


class Style(Enum):
    RANKED = "ranked"  # 1位：… with competition ranking (1, 2, 2, 4)
    LISTED = "listed"  # ・… ordered by count, ties in configured order
    TOTAL = "total"  # the total only


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    delta: Delta
    rank: int | None = None  # ranked sections only


@dataclass(frozen=True)
class Section:
    """A published table: a title with its total and delta, its rows, its notes."""

    key: str
    title: str
    style: Style
    total: int
    total_delta: Delta
    rows: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrendRow:
    label: str
    counts: tuple[int | None, ...]  # per year of the trend; None = not counted that year


@dataclass(frozen=True)
class Trend:
    """A table over the last three fiscal years, drawn as a chart beside it."""

    key: str
    title: str
    years: tuple[int, ...]
    year_labels: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutreachShare:
    """The share of consultations received at outreach (場所 = 出向いた先), per year."""

    years: tuple[int, ...]
    year_labels: tuple[str, ...]
    consultations: tuple[int, ...]
    at_outreach: tuple[int, ...]

    @property
    def shares(self) -> tuple[float | None, ...]:
        return tuple(
            o / c if c else None for o, c in zip(self.at_outreach, self.consultations, strict=True)
        )


@dataclass(frozen=True)
class SupportSplitRow:
    """One activity kind's records as 個別支援 and as 地域支援 (records/support_kind.py)."""

    label: str
    individual: int
    area: int
    # The year compared; None when not compared or the kind was not counted then.
    previous_individual: int | None = None
    previous_area: int | None = None

    @property
    def total(self) -> int:
        return self.individual + self.area

    @property
    def previous_total(self) -> int | None:
        if self.previous_individual is None or self.previous_area is None:
            return None
        return self.previous_individual + self.previous_area


@dataclass(frozen=True)
class SupportSplit:
    """個別支援・地域支援: each activity kind of the year split in two, as coordinators'
    activity reports print it; each row's total is that kind's 活動内容別 figure."""

    key: str
    title: str
    year_label: str
    previous_label: str | None  # None: the year before has no records to compare with
    rows: tuple[SupportSplitRow, ...]
    total: SupportSplitRow  # every record of the year, labelled 合計


# The keys of Report.municipality, as the reader sees them.
MUNICIPALITY_LABELS = {
    "name": "市区町村名",
    "council_name": "社会福祉協議会",
    "population": "人口",
    "households": "世帯数",
    "ageing_rate": "高齢化率",
    "area": "面積",
    "fiscal_year": "数値の年度",
}


@dataclass(frozen=True)
class Report:
    fiscal_year: int
    fiscal_year_label: str
    previous_label: str
    scope_label: str  # 市全体, or the zone's or region's name
    sections: tuple[Section, ...]  # one per consulter type, in configured order
    agency_table: Section  # 関係機関別
    trends: tuple[Trend, ...]  # 活動内容別, 支援先別
    outreach: OutreachShare
    notes: tuple[str, ...] = ()  # report-wide notes (e.g. no data the year before)
    municipality: dict[str, str] = field(default_factory=dict)
    # None in a report frozen before the section existed.
    support_split: SupportSplit | None = None
    # A report of a period within the year (reports/period.py): its label, such as
    # 令和2年度 上半期（令和2年4月〜9月）, and previous_label is the same period a year
    # earlier; "" for the whole year.
    period_label: str = ""
    comparison_label: str = "前年度比"  # 前年同期比 for a period

    @property
    def title_label(self) -> str:
        """What the report covers, as its title says it: 令和2年度, or the period."""
        return self.period_label or self.fiscal_year_label
