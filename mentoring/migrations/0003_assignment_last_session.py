from django.db import migrations, models

# Each assignment's copy of the last held session its mentee attended in its program, kept by triggers whatever
# writes the rows (services, the admin, bulk inserts). An assignment written by Python gets it recomputed, so a
# full save of an instance read earlier cannot leave it stale.
LAST_SESSION_SQL = """
-- ($1 the program, $2 the person)
CREATE FUNCTION mentoring_last_session(bigint, bigint) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT MAX(s.starts_at)
    FROM mentoring_attendance a JOIN mentoring_session s ON s.id = a.session_id
    WHERE a.person_id = $2 AND a.status = 'present' AND s.status = 'held' AND s.program_id = $1
$$;

CREATE FUNCTION mentoring_assignment_last_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_session_at := mentoring_last_session(NEW.program_id, NEW.mentee_id);
    RETURN NEW;
END $$;
CREATE TRIGGER mentoring_assignment_last_session BEFORE INSERT OR UPDATE ON mentoring_assignment
FOR EACH ROW EXECUTE FUNCTION mentoring_assignment_last_session();

-- Touching the people's assignments recomputes them through the trigger above; only a changed value is written.
CREATE FUNCTION mentoring_last_session_refresh(people bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE mentoring_assignment SET last_session_at = last_session_at
    WHERE mentee_id = ANY(people)
      AND last_session_at IS DISTINCT FROM mentoring_last_session(program_id, mentee_id)
$$;

CREATE FUNCTION mentoring_attendance_last_session_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mentoring_last_session_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER mentoring_attendance_last_session_insert AFTER INSERT ON mentoring_attendance
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mentoring_attendance_last_session_new();
CREATE TRIGGER mentoring_attendance_last_session_update AFTER UPDATE ON mentoring_attendance
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mentoring_attendance_last_session_new();

CREATE FUNCTION mentoring_attendance_last_session_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mentoring_last_session_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER mentoring_attendance_last_session_delete AFTER DELETE ON mentoring_attendance
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mentoring_attendance_last_session_old();

-- A session held, cancelled, moved or given to another program: its attendees' assignments.
CREATE FUNCTION mentoring_session_last_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mentoring_last_session_refresh(ARRAY(
        SELECT DISTINCT a.person_id FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        JOIN mentoring_attendance a ON a.session_id = n.id
        WHERE (n.status, n.starts_at, n.program_id) IS DISTINCT FROM (o.status, o.starts_at, o.program_id)
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER mentoring_session_last_session AFTER UPDATE ON mentoring_session
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION mentoring_session_last_session();
"""

# Every existing assignment through the first trigger.
FILL_SQL = "UPDATE mentoring_assignment SET last_session_at = NULL"

DROP_SQL = """
DROP TRIGGER mentoring_session_last_session ON mentoring_session;
DROP TRIGGER mentoring_attendance_last_session_delete ON mentoring_attendance;
DROP TRIGGER mentoring_attendance_last_session_update ON mentoring_attendance;
DROP TRIGGER mentoring_attendance_last_session_insert ON mentoring_attendance;
DROP TRIGGER mentoring_assignment_last_session ON mentoring_assignment;
DROP FUNCTION mentoring_session_last_session();
DROP FUNCTION mentoring_attendance_last_session_old();
DROP FUNCTION mentoring_attendance_last_session_new();
DROP FUNCTION mentoring_last_session_refresh(bigint[]);
DROP FUNCTION mentoring_assignment_last_session();
DROP FUNCTION mentoring_last_session(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0002_session_scheduled_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="last_session_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last session attended"),
        ),
        migrations.RunSQL(LAST_SESSION_SQL, DROP_SQL),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
    ]
