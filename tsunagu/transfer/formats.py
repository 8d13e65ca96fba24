"""The file formats: which columns each kind of import and export has.

These headers are a public contract (docs/import-formats.md): councils build their Excel
templates on them. Add a column only as an optional one, and document it.
"""

from dataclasses import dataclass

from tsunagu.lib.textnorm import normalize


class Kind:
    DIRECTORY = "directory"
    CATEGORIES = "categories"
    RECORDS = "records"
    BASELINE = "baseline"
    CONSULTER_TYPES = "consulter-types"


KIND_LABELS = {
    Kind.DIRECTORY: "マスタ（圏域・地域社協・活動団体・関係機関）",
    Kind.CATEGORIES: "年度ごとの分類（相談内容・活動種別）",
    Kind.RECORDS: "支援記録",
    Kind.BASELINE: "過去の集計値（つなぐを使う前の年度の公表値）",
    Kind.CONSULTER_TYPES: "相談者区分（報告書の見出し・集計の形・順）",
}

# What can be exported (baseline figures are only ever imported).
EXPORT_KINDS = (Kind.DIRECTORY, Kind.CATEGORIES, Kind.CONSULTER_TYPES, Kind.RECORDS)

SEPARATOR = "|"

RECORD_CORE_COLUMNS = (
    "日付",
    "担当職員",
    "活動種別",
    "場所",
    "支援先",
    "地域",
    "相談者区分",
    "相談内容",
    "関係機関",
    "働きかけ",
    "同意",
    "メモ",
)
# Optional columns beyond the twelve: without them an export could not give back
# identical records (time, duration, follow-up, and the zone of a record without target).
RECORD_EXTRA_COLUMNS = ("圏域", "時刻", "所要時間", "フォローアップ", "フォローアップ期日")
# 空欄 (derived: records/support_kind.py), 個別支援 or 地域支援.
SUPPORT_KIND_COLUMN = "個別・地域の区分"
# The record's number in tsunagu (its id, as in /records/123/). An export carries it so
# that importing the same records again is refused instead of doubling them; a row
# without it is a new record.
RECORD_ID = "記録ID"
RECORD_COLUMNS = (RECORD_ID, *RECORD_CORE_COLUMNS, *RECORD_EXTRA_COLUMNS, SUPPORT_KIND_COLUMN)
RECORD_REQUIRED = ("日付", "活動種別", "場所")

# 使用終了 is optional: absent or empty = offered for new records. その他扱い (the list's
# catch-all, categories only) is optional: absent = as it is, or その他 for a new list.
CATCH_ALL_COLUMN = "その他扱い"
CATEGORY_COLUMNS = ("年度", "相談者区分", "名称", "順", "前年度", "使用終了", CATCH_ALL_COLUMN)
CATEGORY_REQUIRED = ("年度", "相談者区分", "名称")
# The 相談者区分 value under which a categories file lists the activity kinds.
ACTIVITY_KIND_TYPE = "活動種別"


# 相談者区分: matched by 名称; 順 empty keeps the order (a new type goes last).
CONSULTER_TYPE_COLUMNS = ("名称", "報告書の見出し", "集計の形", "順")
CONSULTER_TYPE_REQUIRED = ("名称", "集計の形")
# The words of 集計の形, as exported, and the ReportStyle value each stands for.
CONSULTER_TYPE_SHAPES = {"合計のみ": "total", "順位": "ranked", "一覧": "listed"}
# Also read: the words the consulter-type screen shows (ReportStyle's labels).
_SHAPE_SYNONYMS = {"順位をつける": "ranked", "件数順に並べる": "listed"}


def shape_of(text: str) -> str | None:
    """The ReportStyle value a 集計の形 cell names, None when it names none."""
    key = normalize(text)
    for word, style in (*CONSULTER_TYPE_SHAPES.items(), *_SHAPE_SYNONYMS.items()):
        if key == normalize(word):
            return style
    return None


def shape_label(style: str) -> str:
    """The 集計の形 word an export writes for a ReportStyle value."""
    return next(word for word, value in CONSULTER_TYPE_SHAPES.items() if value == style)


@dataclass(frozen=True)
class EntityFormat:
    """One directory entity as a sheet (xlsx) or a file (csv)."""

    name: str  # the sheet name and the value of --entity
    slug: str  # the directory screens' slug, also accepted for --entity
    columns: tuple[str, ...]
    required: tuple[str, ...] = ("名称",)


ENTITY_FORMATS: tuple[EntityFormat, ...] = (
    EntityFormat("圏域", "zones", ("名称", "よみ", "説明", "地域担当職員", "順", "有効")),
    EntityFormat("地域社協", "regions", ("名称", "よみ", "圏域", "代表者", "会員数", "順", "有効")),
    EntityFormat("活動団体の種別", "group-kinds", ("名称", "よみ", "順", "有効")),
    EntityFormat(
        "活動団体",
        "groups",
        ("名称", "よみ", "種別", "圏域", "地域社協", "開催日時", "連絡先", "順", "有効"),
    ),
    EntityFormat("関係機関", "agencies", ("名称", "よみ", "報告区分", "順", "有効")),
)


def find_entity(text: str) -> EntityFormat | None:
    """The entity named by a sheet name, an --entity value or a file name's stem."""
    key = normalize(text)
    for entity in ENTITY_FORMATS:
        if key in (normalize(entity.name), entity.slug):
            return entity
    return None


def entity_names() -> str:
    return "、".join(f"「{e.name}」" for e in ENTITY_FORMATS)
