import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Each (call, reviewer)'s assignments counted again from the assignments whenever one is added, removed or changes
# its call, reviewer or review status (kept on it by migration 0016's triggers), whatever writes them: one indexed
# count per pair touched. A pair left with no assignment loses its row.
# The count and upsert of the pairs `calls` × `reviewers` (migration 0020 runs it after locking them).
REFRESH_STATEMENT = """
    WITH pairs AS (SELECT DISTINCT * FROM unnest(calls, reviewers) AS p(call_id, reviewer_id)),
    counted AS (
        SELECT p.call_id, p.reviewer_id, COUNT(a.id) AS assigned,
               COUNT(a.id) FILTER (WHERE a.review_status <> 'submitted') AS unfinished
        FROM pairs p
        LEFT JOIN applications_reviewerassignment a ON a.call_id = p.call_id AND a.reviewer_id = p.reviewer_id
        GROUP BY p.call_id, p.reviewer_id
    ),
    emptied AS (
        DELETE FROM applications_reviewerload l USING counted c
        WHERE l.call_id = c.call_id AND l.reviewer_id = c.reviewer_id AND c.assigned = 0
    )
    INSERT INTO applications_reviewerload (call_id, reviewer_id, assigned, unfinished)
    SELECT call_id, reviewer_id, assigned, unfinished FROM counted WHERE assigned > 0
    ON CONFLICT (call_id, reviewer_id) DO UPDATE SET assigned = EXCLUDED.assigned, unfinished = EXCLUDED.unfinished
"""

REFRESH_SQL = f"""
CREATE FUNCTION applications_reviewer_load_refresh(calls bigint[], reviewers bigint[]) RETURNS void
LANGUAGE sql AS $${REFRESH_STATEMENT}$$;
"""

LOAD_SQL = (
    REFRESH_SQL
    + """
-- The pairs as two arrays aggregated from the same rows, so they stay aligned.
CREATE FUNCTION applications_assignment_load_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE calls bigint[]; reviewers bigint[];
BEGIN
    SELECT array_agg(call_id), array_agg(reviewer_id) INTO calls, reviewers FROM new_rows;
    PERFORM applications_reviewer_load_refresh(calls, reviewers);
    RETURN NULL;
END $$;
CREATE TRIGGER applications_assignment_load_insert AFTER INSERT ON applications_reviewerassignment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_assignment_load_new();

CREATE FUNCTION applications_assignment_load_old() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE calls bigint[]; reviewers bigint[];
BEGIN
    SELECT array_agg(call_id), array_agg(reviewer_id) INTO calls, reviewers FROM old_rows;
    PERFORM applications_reviewer_load_refresh(calls, reviewers);
    RETURN NULL;
END $$;
CREATE TRIGGER applications_assignment_load_delete AFTER DELETE ON applications_reviewerassignment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_assignment_load_old();

-- Only assignments whose call, reviewer or review status changed (not a reviewer seeing the others' scores).
CREATE FUNCTION applications_assignment_load_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE calls bigint[]; reviewers bigint[];
BEGIN
    SELECT array_agg(p.call_id), array_agg(p.reviewer_id) INTO calls, reviewers
    FROM new_rows n JOIN old_rows o ON o.id = n.id,
         LATERAL (VALUES (n.call_id, n.reviewer_id), (o.call_id, o.reviewer_id)) AS p(call_id, reviewer_id)
    WHERE (n.call_id, n.reviewer_id, n.review_status) IS DISTINCT FROM (o.call_id, o.reviewer_id, o.review_status);
    IF calls IS NOT NULL THEN
        PERFORM applications_reviewer_load_refresh(calls, reviewers);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER applications_assignment_load_update AFTER UPDATE ON applications_reviewerassignment
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION applications_assignment_load_update();
"""
)

FILL_SQL = """
INSERT INTO applications_reviewerload (call_id, reviewer_id, assigned, unfinished)
SELECT call_id, reviewer_id, COUNT(*), COUNT(*) FILTER (WHERE review_status <> 'submitted')
FROM applications_reviewerassignment GROUP BY call_id, reviewer_id
ON CONFLICT (call_id, reviewer_id) DO UPDATE SET assigned = EXCLUDED.assigned, unfinished = EXCLUDED.unfinished
"""

DROP_SQL = """
DROP TRIGGER applications_assignment_load_update ON applications_reviewerassignment;
DROP TRIGGER applications_assignment_load_delete ON applications_reviewerassignment;
DROP TRIGGER applications_assignment_load_insert ON applications_reviewerassignment;
DROP FUNCTION applications_assignment_load_update();
DROP FUNCTION applications_assignment_load_old();
DROP FUNCTION applications_assignment_load_new();
DROP FUNCTION applications_reviewer_load_refresh(bigint[], bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0017_application_call_counts_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewerLoad",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("assigned", models.PositiveIntegerField(default=0, verbose_name="assigned")),
                ("unfinished", models.PositiveIntegerField(default=0, verbose_name="unfinished")),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="applications.call",
                        verbose_name="call",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewer",
                    ),
                ),
            ],
            options={
                "verbose_name": "reviewer load",
                "verbose_name_plural": "reviewer loads",
                "constraints": [models.UniqueConstraint(fields=("call", "reviewer"), name="reviewer_load_once")],
            },
        ),
        migrations.RunSQL(LOAD_SQL, DROP_SQL),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
    ]
