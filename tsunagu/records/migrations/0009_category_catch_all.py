# The catch-all category (その他) of each list. Existing categories named その他 are
# marked, as new ones are by default, except in closed years: their published ranks
# stay as they were frozen (an administrator can still mark them on the list's screen).

from django.db import migrations, models


def mark_catch_all(apps, schema_editor):
    Category = apps.get_model("records", "Category")
    YearClosure = apps.get_model("reports", "YearClosure")
    closed = YearClosure.objects.filter(reopened_at__isnull=True).values_list(
        "fiscal_year", flat=True
    )
    # name_key is the normalised name (lib.textnorm): その他 normalises to itself.
    Category.objects.filter(name_key="その他").exclude(fiscal_year__in=list(closed)).update(
        catch_all=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0008_consultertype_version"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="catch_all",
            field=models.BooleanField(
                default=False,
                help_text="順位をつける報告で、同じ件数の分類のあとに並び、順位を分け合いません。",
                verbose_name="その他扱い",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                condition=models.Q(("catch_all", True)),
                fields=("fiscal_year", "consulter_type"),
                name="category_one_catch_all",
            ),
        ),
        migrations.RunPython(mark_catch_all, migrations.RunPython.noop),
    ]
