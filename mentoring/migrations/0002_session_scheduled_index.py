from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0008_member_invitations"),
        ("mentoring", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("status", "scheduled")), fields=["program", "ends_at"], name="session_scheduled_idx"
            ),
        ),
    ]
