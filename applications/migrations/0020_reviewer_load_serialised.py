from django.db import migrations

# Two transactions changing one (call, reviewer)'s assignments at once (a reviewer submitting from two tabs) each
# counted from their own snapshot, and the later upsert wrote the earlier count. Each pair is now locked first (in
# one order), and the count that follows, a statement of its own, sees what the previous holder committed.
LOCKED_SQL = """
CREATE OR REPLACE FUNCTION applications_reviewer_load_refresh(calls bigint[], reviewers bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('applications_reviewerload'), hashtext(p.call_id || ':' || p.reviewer_id))
    FROM (SELECT DISTINCT * FROM unnest(calls, reviewers) AS u(call_id, reviewer_id) ORDER BY 1, 2) p;
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
    ON CONFLICT (call_id, reviewer_id) DO UPDATE SET assigned = EXCLUDED.assigned, unfinished = EXCLUDED.unfinished;
END $$;
"""

UNLOCKED_SQL = """
DROP FUNCTION applications_reviewer_load_refresh(bigint[], bigint[]);
CREATE FUNCTION applications_reviewer_load_refresh(calls bigint[], reviewers bigint[]) RETURNS void
LANGUAGE sql AS $$
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
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("applications", "0019_assignment_unfinished_index")]

    operations = [migrations.RunSQL(LOCKED_SQL, UNLOCKED_SQL)]
