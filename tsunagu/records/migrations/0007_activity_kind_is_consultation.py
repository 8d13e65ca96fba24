# The counting rule declared on the activity kind. Existing kinds are marked from their
# name (相談対応), the convention the screens used until now; records are not touched
# (`tsunagu check_records` lists those against the rule).

from django.db import migrations, models


def mark_consultation_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("records", "ActivityKind")
    ActivityKind.objects.filter(name_key__contains="相談").update(is_consultation=True)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_saved_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitykind",
            name="is_consultation",
            field=models.BooleanField(default=False, verbose_name="相談として数える"),
        ),
        migrations.RunPython(mark_consultation_kinds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activitykind",
            name="is_consultation",
            field=models.BooleanField(
                default=None,
                help_text="この種別の記録は相談者区分が必要で、相談件数に数えます。",
                verbose_name="相談として数える",
            ),
        ),
    ]
