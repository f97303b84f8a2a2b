from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0016_assignment_queue_key"),
        ("cohorts", "0008_member_invitations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="application_call_status_idx",
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["call", "status"],
                include=("id", "eligibility", "eligibility_override"),
                name="application_call_counts_idx",
            ),
        ),
    ]
