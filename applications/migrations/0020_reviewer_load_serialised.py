from importlib import import_module

from django.db import migrations

load = import_module("applications.migrations.0018_reviewer_load")

# Two transactions changing one (call, reviewer)'s assignments at once (a reviewer submitting from two tabs) each
# counted from their own snapshot, and the later upsert wrote the earlier count. Each pair is now locked first (in
# one order), and the count that follows, a statement of its own, sees what the previous holder committed.
LOCKED_SQL = f"""
CREATE OR REPLACE FUNCTION applications_reviewer_load_refresh(calls bigint[], reviewers bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('applications_reviewerload'), hashtext(p.call_id || ':' || p.reviewer_id))
    FROM (SELECT DISTINCT * FROM unnest(calls, reviewers) AS u(call_id, reviewer_id) ORDER BY 1, 2) p;
    {load.REFRESH_STATEMENT};
END $$;
"""

UNLOCKED_SQL = "DROP FUNCTION applications_reviewer_load_refresh(bigint[], bigint[]);" + load.REFRESH_SQL


class Migration(migrations.Migration):
    dependencies = [("applications", "0019_assignment_unfinished_index")]

    operations = [migrations.RunSQL(LOCKED_SQL, UNLOCKED_SQL)]
