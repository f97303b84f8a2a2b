import django.db.models.deletion
from django.db import migrations, models

# Statement-level triggers with transition tables: one set-based refresh per statement, so a bulk insert of 5,000
# reviews or a rubric change recomputing 30,000 reviews' points refreshes each application once, not per row.
SUMMARY_SQL = """
CREATE FUNCTION applications_score_summary_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
UPDATE applications_scoresummary s
SET ranked = f.ranked, submitted_at = f.submitted_at, review_count = f.review_count, mean = f.mean,
    median = f.median, stddev = f.stddev, yes = f.yes, maybe = f.maybe, no = f.no
FROM (
    SELECT app.id,
           app.status IN ('submitted', 'accepted', 'waitlisted', 'rejected')
           AND (app.eligibility_override = 'eligible'
                OR (app.eligibility_override = '' AND app.eligibility = 'eligible')) AS ranked,
           app.submitted_at,
           COUNT(r.id) AS review_count,
           AVG(r.points) AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.points) AS median,
           STDDEV_SAMP(r.points) AS stddev,
           COUNT(r.id) FILTER (WHERE r.recommendation = 'yes') AS yes,
           COUNT(r.id) FILTER (WHERE r.recommendation = 'maybe') AS maybe,
           COUNT(r.id) FILTER (WHERE r.recommendation = 'no') AS no
    FROM applications_application app
    LEFT JOIN applications_reviewerassignment a ON a.application_id = app.id
    LEFT JOIN applications_review r ON r.assignment_id = a.id AND r.status = 'submitted' AND r.points IS NOT NULL
    WHERE app.id = ANY(ids)
    GROUP BY app.id
) f
WHERE s.application_id = f.id
$$;

CREATE FUNCTION applications_application_summary_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO applications_scoresummary (application_id, call_id, ranked, review_count, yes, maybe, no)
    SELECT id, call_id, false, 0, 0, 0, 0 FROM new_rows;
    PERFORM applications_score_summary_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER applications_application_summary_insert AFTER INSERT ON applications_application
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_application_summary_insert();

-- Autosaves update drafts all day long: only a change of what the ranking reads refreshes the summary.
CREATE FUNCTION applications_application_summary_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_score_summary_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.eligibility, n.eligibility_override, n.submitted_at)
              IS DISTINCT FROM (o.status, o.eligibility, o.eligibility_override, o.submitted_at)
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER applications_application_summary_update AFTER UPDATE ON applications_application
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION applications_application_summary_update();

CREATE FUNCTION applications_review_summary_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_score_summary_refresh(ARRAY(
        SELECT DISTINCT a.application_id FROM new_rows r
        JOIN applications_reviewerassignment a ON a.id = r.assignment_id
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER applications_review_summary_insert AFTER INSERT ON applications_review
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_summary_new();
CREATE TRIGGER applications_review_summary_update AFTER UPDATE ON applications_review
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_summary_new();

-- A review is deleted before its assignment (Django deletes the dependent rows first).
CREATE FUNCTION applications_review_summary_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_score_summary_refresh(ARRAY(
        SELECT DISTINCT a.application_id FROM old_rows r
        JOIN applications_reviewerassignment a ON a.id = r.assignment_id
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER applications_review_summary_delete AFTER DELETE ON applications_review
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_summary_delete();

INSERT INTO applications_scoresummary (application_id, call_id, ranked, review_count, yes, maybe, no)
SELECT id, call_id, false, 0, 0, 0, 0 FROM applications_application;
SELECT applications_score_summary_refresh(ARRAY(SELECT id FROM applications_application));
"""

DROP_SQL = """
DROP TRIGGER applications_review_summary_delete ON applications_review;
DROP TRIGGER applications_review_summary_update ON applications_review;
DROP TRIGGER applications_review_summary_insert ON applications_review;
DROP TRIGGER applications_application_summary_update ON applications_application;
DROP TRIGGER applications_application_summary_insert ON applications_application;
DROP FUNCTION applications_review_summary_delete();
DROP FUNCTION applications_review_summary_new();
DROP FUNCTION applications_application_summary_update();
DROP FUNCTION applications_application_summary_insert();
DROP FUNCTION applications_score_summary_refresh(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_criteria_into_rubric"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScoreSummary",
            fields=[
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="score_summary",
                        serialize=False,
                        to="applications.application",
                        verbose_name="application",
                    ),
                ),
                ("ranked", models.BooleanField(default=False, verbose_name="ranked")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted at")),
                ("review_count", models.PositiveIntegerField(default=0, verbose_name="reviews")),
                ("mean", models.FloatField(blank=True, null=True, verbose_name="mean")),
                ("median", models.FloatField(blank=True, null=True, verbose_name="median")),
                ("stddev", models.FloatField(blank=True, null=True, verbose_name="standard deviation")),
                ("yes", models.PositiveIntegerField(default=0, verbose_name="yes")),
                ("maybe", models.PositiveIntegerField(default=0, verbose_name="maybe")),
                ("no", models.PositiveIntegerField(default=0, verbose_name="no")),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="applications.call",
                        verbose_name="call",
                    ),
                ),
            ],
            options={
                "verbose_name": "score summary",
                "verbose_name_plural": "score summaries",
                "indexes": [
                    models.Index(
                        models.F("call"),
                        models.OrderBy(models.F("mean"), descending=True, nulls_last=True),
                        models.OrderBy(models.F("median"), descending=True, nulls_last=True),
                        models.F("submitted_at"),
                        models.F("application"),
                        condition=models.Q(("ranked", True)),
                        name="score_summary_rank_idx",
                    )
                ],
            },
        ),
        migrations.RunSQL(SUMMARY_SQL, DROP_SQL),
    ]
