"""The call's free-text "selection criteria" and its scoring rubric become one thing: the rubric.

A call whose rubric is still empty gets one criterion per line of its text (weight 1, scored 1–5, to be
adjusted in the admin); a call that already has a rubric keeps it. Then the text field goes."""

from django.db import migrations


def text_into_rubric(apps, schema_editor):
    Call = apps.get_model("applications", "Call")
    Criterion = apps.get_model("applications", "Criterion")
    for call in Call.objects.exclude(criteria="").filter(criteria_set__isnull=True):
        names = [line.strip() for line in call.criteria.splitlines() if line.strip()]
        Criterion.objects.bulk_create(
            Criterion(call=call, position=position, name=name[:200]) for position, name in enumerate(names, start=1)
        )


def rubric_into_text(apps, schema_editor):
    Call = apps.get_model("applications", "Call")
    for call in Call.objects.all():
        call.criteria = "\n".join(call.criteria_set.order_by("position", "pk").values_list("name", flat=True))
        call.save(update_fields=["criteria"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_application_invalid_answers"),
    ]

    operations = [
        migrations.RunPython(text_into_rubric, rubric_into_text),
        migrations.RemoveField(
            model_name="call",
            name="criteria",
        ),
    ]
