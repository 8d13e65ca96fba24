"""The index the yearly report reads instead of the table (docs/benchmarks.md).

Its leading columns are the report's filter (a fiscal year, alive records); the others
are every column the report counts by or scopes to, so that the report's GROUP BY is
answered from the index alone, in index order, on SQLite and PostgreSQL alike."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0002_consulter_types")]

    operations = [
        migrations.AddIndex(
            model_name="supportrecord",
            index=models.Index(
                fields=[
                    "fiscal_year",
                    "deleted_at",
                    "activity_kind",
                    "consulter_type",
                    "place",
                    "target_group",
                    "target_region",
                    "zone",
                    "region",
                ],
                name="record_report",
            ),
        ),
    ]
