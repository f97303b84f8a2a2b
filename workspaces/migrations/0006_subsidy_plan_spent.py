import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

# What each plan's lines in its space's currency add up to, as workspaces.ledger.plans_spent_recount sets it: one
# statement (70,000 lines in well under a second).
SPENT_SQL = """
UPDATE workspaces_subsidyplan p SET spent = s.total
FROM (
    SELECT l.plan_id, SUM(l.subsidy) AS total
    FROM workspaces_ledgerline l
    JOIN workspaces_subsidyplan lp ON lp.id = l.plan_id
    JOIN workspaces_space sp ON sp.id = lp.space_id
    WHERE l.currency = sp.currency
    GROUP BY l.plan_id
) s
WHERE p.id = s.plan_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0005_ledger_notes_in_english"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="subsidyplan",
            name="update_update",
        ),
        migrations.AddField(
            model_name="subsidyplan",
            name="spent",
            field=models.DecimalField(
                db_default=0, decimal_places=2, default=0, editable=False, max_digits=12, verbose_name="subsidy spent"
            ),
        ),
        migrations.RunSQL(SPENT_SQL, migrations.RunSQL.noop),
        pgtrigger.migrations.AddTrigger(
            model_name="subsidyplan",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."budget" IS DISTINCT FROM (NEW."budget") OR OLD."cohort_id" IS DISTINCT FROM (NEW."cohort_id") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."monthly_cap" IS DISTINCT FROM (NEW."monthly_cap") OR OLD."over_cap" IS DISTINCT FROM (NEW."over_cap") OR OLD."share_percent" IS DISTINCT FROM (NEW."share_percent") OR OLD."space_id" IS DISTINCT FROM (NEW."space_id"))',
                    func='INSERT INTO "workspaces_subsidyplanevent" ("budget", "cohort_id", "id", "monthly_cap", "over_cap", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "share_percent", "space_id") VALUES (NEW."budget", NEW."cohort_id", NEW."id", NEW."monthly_cap", NEW."over_cap", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."share_percent", NEW."space_id"); RETURN NULL;',
                    hash="0ec04d28d762dc3bbc8d48f0fbcd374e151ee5c1",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_79667",
                    table="workspaces_subsidyplan",
                    when="AFTER",
                ),
            ),
        ),
    ]
