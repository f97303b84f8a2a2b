from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0018_reviewer_load"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reviewerassignment",
            index=models.Index(
                condition=models.Q(("review_status", "submitted"), _negated=True),
                fields=["application"],
                name="assignment_unfinished_idx",
            ),
        ),
    ]
