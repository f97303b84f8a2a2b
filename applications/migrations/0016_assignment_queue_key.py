from django.conf import settings
from django.db import migrations, models

# The assignment's copy of its review's status, its call's deadline and its application's submission time, kept by
# triggers whatever writes the rows (services, the admin, bulk inserts). An assignment written by Python (a full
# save of an instance read earlier included) gets all three recomputed from their rows, so a copy is never stale.
QUEUE_KEY_SQL = """
CREATE FUNCTION applications_assignment_queue_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.review_status := COALESCE((SELECT status FROM applications_review WHERE assignment_id = NEW.id), '');
    NEW.call_closes_at := (SELECT closes_at FROM applications_call WHERE id = NEW.call_id);
    NEW.application_submitted_at := (
        SELECT submitted_at FROM applications_application WHERE id = NEW.application_id
    );
    RETURN NEW;
END $$;
CREATE TRIGGER applications_assignment_queue_key BEFORE INSERT OR UPDATE ON applications_reviewerassignment
FOR EACH ROW EXECUTE FUNCTION applications_assignment_queue_key();

-- The updates below only touch an assignment whose copy differs; the trigger above then reads the new value.
CREATE FUNCTION applications_review_queue_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications_reviewerassignment a SET review_status = r.status
    FROM new_rows r WHERE a.id = r.assignment_id AND a.review_status IS DISTINCT FROM r.status;
    RETURN NULL;
END $$;
CREATE TRIGGER applications_review_queue_key_insert AFTER INSERT ON applications_review
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_queue_key();
CREATE TRIGGER applications_review_queue_key_update AFTER UPDATE ON applications_review
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_queue_key();

CREATE FUNCTION applications_review_queue_key_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications_reviewerassignment a SET review_status = ''
    FROM old_rows r WHERE a.id = r.assignment_id AND a.review_status <> '';
    RETURN NULL;
END $$;
CREATE TRIGGER applications_review_queue_key_delete AFTER DELETE ON applications_review
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_review_queue_key_delete();

CREATE FUNCTION applications_call_queue_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications_reviewerassignment a SET call_closes_at = c.closes_at
    FROM new_rows c WHERE a.call_id = c.id AND a.call_closes_at IS DISTINCT FROM c.closes_at;
    RETURN NULL;
END $$;
CREATE TRIGGER applications_call_queue_key AFTER UPDATE ON applications_call
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_call_queue_key();

-- Autosaves update drafts all day long: one indexed look-up of the saved application's assignments (none for a
-- draft) per statement.
CREATE FUNCTION applications_application_queue_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications_reviewerassignment a SET application_submitted_at = n.submitted_at
    FROM new_rows n WHERE a.application_id = n.id AND a.application_submitted_at IS DISTINCT FROM n.submitted_at;
    RETURN NULL;
END $$;
CREATE TRIGGER applications_application_queue_key AFTER UPDATE ON applications_application
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_application_queue_key();
"""

# Every existing assignment through the first trigger: 28,500 of them in a few seconds.
FILL_SQL = "UPDATE applications_reviewerassignment SET review_status = review_status"

DROP_SQL = """
DROP TRIGGER applications_application_queue_key ON applications_application;
DROP TRIGGER applications_call_queue_key ON applications_call;
DROP TRIGGER applications_review_queue_key_delete ON applications_review;
DROP TRIGGER applications_review_queue_key_update ON applications_review;
DROP TRIGGER applications_review_queue_key_insert ON applications_review;
DROP TRIGGER applications_assignment_queue_key ON applications_reviewerassignment;
DROP FUNCTION applications_application_queue_key();
DROP FUNCTION applications_call_queue_key();
DROP FUNCTION applications_review_queue_key_delete();
DROP FUNCTION applications_review_queue_key();
DROP FUNCTION applications_assignment_queue_key();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0015_audit_trail"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewerassignment",
            name="application_submitted_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="application submitted at"),
        ),
        migrations.AddField(
            model_name="reviewerassignment",
            name="call_closes_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="call closes at"),
        ),
        migrations.AddField(
            model_name="reviewerassignment",
            name="review_status",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=16, verbose_name="review status"
            ),
        ),
        migrations.RunSQL(QUEUE_KEY_SQL, DROP_SQL),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="reviewerassignment",
            index=models.Index(
                fields=["reviewer", "review_status", "call_closes_at", "call", "application_submitted_at", "id"],
                name="assignment_queue_idx",
            ),
        ),
    ]
