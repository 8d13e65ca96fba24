"""`tsunagu check_records`: the records against the counting rule, listed as they are."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.models import SupportRecord


class Command(BaseCommand):
    help = (
        "数え方の決まり（相談として数える活動種別の記録には相談者区分があり、ほかの記録には"
        "ない）に合わない支援記録を一覧にします。記録は変更しません。"
        "合わない記録があるときは終了コード1で終わります。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        records = (
            SupportRecord.objects.alive()
            .breaking_counting_rule()
            .select_related("activity_kind", "consulter_type")
            .order_by("fiscal_year", "date", "id")
        )
        count = 0
        for record in records.iterator():
            count += 1
            kind = record.activity_kind
            if kind.is_consultation:
                problem = f"活動種別「{kind.name}」は相談として数えますが、相談者区分がありません"
            else:
                problem = (
                    f"活動種別「{kind.name}」は相談として数えませんが、"
                    f"相談者区分「{record.consulter_type}」があります"
                )
            self.stdout.write(
                f"{fiscal_year_label(record.fiscal_year)}　記録{record.pk}"
                f"（{record.date:%Y-%m-%d}）：{problem}。"
            )
        if count:
            raise CommandError(
                f"数え方の決まりに合わない記録が{count}件あります。"
                "記録の編集画面で活動種別か相談者区分を直してください。"
            )
        self.stdout.write("数え方の決まりに合わない記録はありません。")
