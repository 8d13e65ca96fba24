"""Yearly lists for the category tests (the records tests' fixtures are their own)."""

from datetime import date

from tsunagu.records.models import ActivityKind, Category, ConsulterType, SupportRecord

KINDS = ["出向き・参加", "話し合いへの参加", "相談対応"]
CATEGORIES = {
    "ニーズを抱えている個人": ["福祉サービス・相談機関への紹介", "近況報告など", "その他"],
    "ボランティア希望（活動）者": ["ボランティアしたい", "寄付（寄贈）したい"],
}


def consulter_type(name: str) -> ConsulterType:
    return ConsulterType.objects.get(name=name)


def make_year(fiscal_year: int) -> None:
    """FY `fiscal_year`'s activity kinds and two consulter types' categories, new."""
    for order, name in enumerate(KINDS, start=1):
        ActivityKind.objects.create(fiscal_year=fiscal_year, name=name, order=order)
    for type_name, names in CATEGORIES.items():
        for order, name in enumerate(names, start=1):
            Category.objects.create(
                fiscal_year=fiscal_year,
                consulter_type=consulter_type(type_name),
                name=name,
                order=order,
            )


def category(fiscal_year: int, name: str) -> Category:
    return Category.objects.get(fiscal_year=fiscal_year, name=name)


def kind(fiscal_year: int, name: str) -> ActivityKind:
    return ActivityKind.objects.get(fiscal_year=fiscal_year, name=name)


def consultation(category: Category, day: date | None = None) -> SupportRecord:
    """A consultation of the category's year under that category."""
    record = SupportRecord.objects.create(
        date=day or date(category.fiscal_year, 6, 1),
        activity_kind=kind(category.fiscal_year, "相談対応"),
        place="office",
        consulter_type=category.consulter_type,
    )
    record.categories.add(category)
    return record
