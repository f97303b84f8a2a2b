"""Time claims: the database refuses a person two overlapping sessions. The backfill claims the time of every
session not cancelled, earliest first; a person's older overlaps stay as they were (ON CONFLICT DO NOTHING leaves
the later one unclaimed) instead of failing the migration."""

import django.contrib.postgres.constraints
import django.contrib.postgres.fields.ranges
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
INSERT INTO mentoring_timeclaim (person_id, session_id, period, exclusive)
SELECT people.person_id, session.id, tstzrange(session.starts_at, session.ends_at, '[)'),
       kind.counts_as <> 'series' AND session.series_id IS NULL
FROM mentoring_session session
JOIN mentoring_sessionkind kind ON kind.id = session.kind_id
JOIN (
    SELECT session_id, user_id AS person_id FROM mentoring_session_facilitators
    UNION
    SELECT session_id, person_id FROM mentoring_attendance
) people ON people.session_id = session.id
WHERE session.status <> 'cancelled'
ORDER BY session.starts_at, session.id, people.person_id
ON CONFLICT DO NOTHING
"""


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_report_templates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TimeClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("period", django.contrib.postgres.fields.ranges.DateTimeRangeField(verbose_name="period")),
                ("exclusive", models.BooleanField(verbose_name="exclusive")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="time_claims",
                        to="mentoring.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "time claim",
                "verbose_name_plural": "time claims",
                "constraints": [
                    django.contrib.postgres.constraints.ExclusionConstraint(
                        expressions=[
                            (
                                models.Func(
                                    models.F("person_id"),
                                    models.F("person_id"),
                                    models.Value("[]"),
                                    function="int8range",
                                    output_field=django.contrib.postgres.fields.ranges.BigIntegerRangeField(),
                                ),
                                "&&",
                            ),
                            ("period", "&&"),
                            (
                                models.Case(
                                    models.When(
                                        exclusive=True,
                                        then=models.Func(
                                            models.Value(None),
                                            models.Value(None),
                                            function="int8range",
                                            output_field=django.contrib.postgres.fields.ranges.BigIntegerRangeField(),
                                        ),
                                    ),
                                    default=models.Func(
                                        models.F("session_id"),
                                        models.F("session_id"),
                                        models.Value("[]"),
                                        function="int8range",
                                        output_field=django.contrib.postgres.fields.ranges.BigIntegerRangeField(),
                                    ),
                                    output_field=django.contrib.postgres.fields.ranges.BigIntegerRangeField(),
                                ),
                                "&&",
                            ),
                        ],
                        name="time_claim_no_overlap",
                    )
                ],
            },
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
