from django.db import migrations

# An attendance given to another person (the admin's inline lets a manager correct who came) refreshes both
# people's assignments: the one who lost the session as well as the one who gained it.
BOTH_SQL = """
CREATE FUNCTION mentoring_attendance_last_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mentoring_last_session_refresh(ARRAY(
        SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows
    ));
    RETURN NULL;
END $$;
DROP TRIGGER mentoring_attendance_last_session_update ON mentoring_attendance;
CREATE TRIGGER mentoring_attendance_last_session_update AFTER UPDATE ON mentoring_attendance
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION mentoring_attendance_last_session_changed();
"""

NEW_ONLY_SQL = """
DROP TRIGGER mentoring_attendance_last_session_update ON mentoring_attendance;
CREATE TRIGGER mentoring_attendance_last_session_update AFTER UPDATE ON mentoring_attendance
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mentoring_attendance_last_session_new();
DROP FUNCTION mentoring_attendance_last_session_changed();
"""


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_assignment_last_session")]

    operations = [migrations.RunSQL(BOTH_SQL, NEW_ONLY_SQL)]
