# Venture names and initiative titles are unique per cohort whatever their case.

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def rename_case_duplicates(apps, schema_editor):
    """Rows that only differ by case ("Studio", "studio") get a numbered suffix, so the new constraint holds."""
    for model_name, field in (("Venture", "name"), ("Initiative", "title")):
        model = apps.get_model("cohorts", model_name)
        seen: dict[tuple[int, str], int] = {}
        taken = {(cohort_id, value.lower()) for cohort_id, value in model.objects.values_list("cohort_id", field)}
        for row in model.objects.order_by("cohort_id", "pk"):
            key = (row.cohort_id, getattr(row, field).lower())
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 1:
                continue
            number = seen[key]
            while (row.cohort_id, f"{getattr(row, field)} ({number})".lower()) in taken:
                number += 1
            new_value = f"{getattr(row, field)} ({number})"
            taken.add((row.cohort_id, new_value.lower()))
            setattr(row, field, new_value)
            row.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0002_community"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="initiative",
            name="initiative_title_unique_per_cohort",
        ),
        migrations.RemoveConstraint(
            model_name="venture",
            name="venture_name_unique_per_cohort",
        ),
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("title"),
                models.F("cohort"),
                name="initiative_title_unique_per_cohort_ci",
            ),
        ),
        migrations.AddConstraint(
            model_name="venture",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("cohort"),
                name="venture_name_unique_per_cohort_ci",
            ),
        ),
    ]
