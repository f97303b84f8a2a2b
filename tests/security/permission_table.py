"""What every persona may do at every URL of the project; tests/security/test_permission_matrix.py checks it.

Each URL name maps to its outcome classes, the same for GET and POST ("*") or per method; a persona a row does not
name is "denied" (403, 404, 405, or the admin's "doesn't exist"). "ok" is a 2xx or a 3xx elsewhere than sign-in,
"login" a redirect to sign-in, "invalid" a 400 for an empty form the person may send. The objects are the
matrix world's (tests/security/matrix_world.py): applicant A's application, the participant's cohort, venture,
initiative, mentoring session and booking, the program's call and space."""

from tests.security.permission_personas import EVERYONE, PROGRAM_STAFF, SIGNED_IN, STAFF
from tests.security.permission_table_admin import ADMIN

# A form posted to by a program's managers only (an empty one is refused), or a button of theirs.
POST_INVALID = {"GET": {"login": ("anonymous",)}, "POST": {"login": ("anonymous",), "invalid": PROGRAM_STAFF}}
PARTICIPANTS = ("participant", "other_participant")
POST_OK = {"GET": {"login": ("anonymous",)}, "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF}}

EXPECTED = {
    "account_change_password": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "account_confirm_email": {"GET": {"ok": EVERYONE}, "POST": {}},
    "account_confirm_login_code": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "account_delete": {
        "GET": {"login": ("anonymous",), "ok": SIGNED_IN},
        "POST": {"invalid": SIGNED_IN, "login": ("anonymous",)},
    },
    "account_email": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "account_email_verification_sent": {"GET": {"ok": EVERYONE}, "POST": {}},
    "account_inactive": {"GET": {"ok": EVERYONE}, "POST": {}},
    "account_login": {"*": {"ok": EVERYONE}},
    "account_logout": {"*": {"ok": EVERYONE}},
    "account_reauthenticate": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "account_reset_password": {"*": {"ok": EVERYONE}},
    "account_reset_password_done": {"GET": {"ok": EVERYONE}, "POST": {}},
    "account_reset_password_from_key": {"*": {"ok": EVERYONE}},
    "account_reset_password_from_key_done": {"GET": {"ok": EVERYONE}, "POST": {}},
    "account_set_password": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "account_signup": {"*": {"ok": EVERYONE}},
    **ADMIN,
    "api:reference": {"GET": {"ok": EVERYONE}, "POST": {}},
    "api:schema": {"GET": {"ok": EVERYONE}, "POST": {}},
    "api_tokens": {
        "GET": {"login": ("anonymous",), "ok": SIGNED_IN},
        "POST": {"invalid": SIGNED_IN, "login": ("anonymous",)},
    },
    "api_token_revoke": {"GET": {}, "POST": {"login": ("anonymous",), "ok": ("participant",)}},
    "applications:apply": {
        "GET": {"login": ("anonymous",), "ok": SIGNED_IN},
        "POST": {
            "invalid": (
                "reviewer_assigned",
                "reviewer_unassigned",
                "reviewer_conflicted",
                "mentor",
                "other_mentor",
                "participant",
                "other_participant",
                "manager",
                "other_manager",
                "superuser",
            ),
            "login": ("anonymous",),
            "ok": ("applicant_a", "applicant_b"),
        },
    },
    "applications:call": {"*": {"ok": EVERYONE}},
    "applications:program_call_copy": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "applications:calls": {"*": {"ok": EVERYONE}},
    "applications:detail": {"*": {"login": ("anonymous",), "ok": ("applicant_a", "manager", "superuser")}},
    "applications:file": {"*": {"login": ("anonymous",)}},
    "applications:list": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "applications:preview": {"*": {"login": ("anonymous",), "ok": ("applicant_a", "applicant_b")}},
    "applications:submit": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("applicant_a", "applicant_b")},
    },
    "applications:withdraw": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("applicant_a",)},
    },
    "calendar_feed": {"*": {"ok": EVERYONE}},
    "calendar_reset": {"GET": {"login": ("anonymous",)}, "POST": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "cohorts:board": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
        "POST": {"login": ("anonymous",), "ok": ("participant",)},
    },
    "cohorts:dashboard": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    # The weekly digest's signed unsubscribe link works without signing in, for whoever holds it.
    "cohorts:digest_unsubscribe": {"*": {"ok": EVERYONE}},
    "cohorts:directory": {"*": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")}},
    "cohorts:index": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "cohorts:initiative_create": {"*": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")}},
    "cohorts:initiative_detail": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
        "POST": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")},
    },
    "cohorts:initiatives": {"*": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")}},
    "cohorts:invitation": {
        "GET": {"login": ("anonymous",), "ok": ("applicant_a",)},  # its invited address's account alone
        "POST": {"login": ("anonymous",)},
    },
    "cohorts:invitation_accept": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("applicant_a",)},
    },
    "cohorts:invitation_decline": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("applicant_a",)},
    },
    "cohorts:invitations": {"GET": {"login": ("anonymous",), "ok": SIGNED_IN}, "POST": {"login": ("anonymous",)}},
    "cohorts:member_invite": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "cohorts:member_invitation_revoke": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "cohorts:member_photo": {"*": {"login": ("anonymous",)}},
    "cohorts:members_csv": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "cohorts:membership_status": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "cohorts:milestone_create": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")},
    },
    "cohorts:milestone_done": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")},
    },
    "cohorts:post_detail": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
        "POST": {"login": ("anonymous",), "ok": ("mentor", "participant")},
    },
    "cohorts:profile_edit": {"*": {"login": ("anonymous",), "ok": ("participant",)}},
    "cohorts:program_invitation_revoke": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "cohorts:program_role_remove": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "cohorts:program_history": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "cohorts:program_roles": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"invalid": PROGRAM_STAFF, "login": ("anonymous",)},
    },
    # The venture's check-ins: its team answers them; its team, the cohort's mentors and the program's managers read.
    "cohorts:checkin": {"*": {"login": ("anonymous",), "ok": ("participant",)}},
    "cohorts:checkins": {"*": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")}},
    # The cohort's outcomes and the check-ins behind them: the program's managers and the cohort's mentors read them.
    "cohorts:outcomes": {"*": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")}},
    "cohorts:outcome_records": {"*": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")}},
    # The alumni survey: the cohort's member answers it (the matrix's cohort has not ended: the page says when it
    # opens, and an answer is refused); the program's managers read its results.
    "cohorts:alumni_survey": {
        "GET": {"login": ("anonymous",), "ok": ("participant",)},
        "POST": {"invalid": ("participant",), "login": ("anonymous",)},
    },
    "cohorts:alumni_results": {
        "GET": {"login": ("anonymous",), "ok": ("manager", "superuser")},
        "POST": {"login": ("anonymous",)},
    },
    "cohorts:venture_create": {"*": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")}},
    "cohorts:venture_detail": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
        "POST": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")},
    },
    "cohorts:venture_edit": {"*": {"login": ("anonymous",), "ok": ("participant", "manager", "superuser")}},
    "healthz": {"*": {"ok": EVERYONE}},
    # The program home: its managers and superusers; /programs/ takes any manager to their own program(s).
    "programs:home": {"GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF}, "POST": {"login": ("anonymous",)}},
    "programs:index": {"GET": {"login": ("anonymous",), "ok": STAFF}, "POST": {"login": ("anonymous",)}},
    "programs:webhook_create": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",), "invalid": PROGRAM_STAFF},
    },
    "programs:webhook_delete": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "programs:webhook_disable": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "programs:webhook_enable": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "programs:webhook_log": {"GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF}, "POST": {"login": ("anonymous",)}},
    "programs:webhook_resend": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "programs:webhooks": {"GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF}, "POST": {"login": ("anonymous",)}},
    # The program's check-in metrics: its managers. The world's own metric has answers: deleting it is refused.
    "programs:checkin_metrics": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "programs:checkin_currency": POST_INVALID,
    "programs:checkin_metric_create": POST_INVALID,
    "programs:checkin_metric_rename": POST_INVALID,
    "programs:checkin_metric_move": POST_INVALID,
    "programs:checkin_metric_retire": POST_OK,
    "programs:checkin_metric_ask_again": POST_OK,
    "programs:checkin_metric_delete": POST_INVALID,
    "home": {"*": {"ok": EVERYONE}},
    "mentoring:action_item_done": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
    },
    "mentoring:assignment_end": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
    },
    "mentoring:assignment_suggest": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:assignments": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "mentoring:home": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    # A mentor's own office hours in the programs they mentor: managers and the superuser have none.
    "mentoring:availability": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "other_mentor")},
        "POST": {"invalid": ("mentor", "other_mentor"), "login": ("anonymous",)},
    },
    # Office hours are booked by the program's active participants (the other cohort's too); a booking is cancelled
    # by whoever booked it. Without a slot's time, the confirmation is a 400.
    "mentoring:office_hours": {"GET": {"login": ("anonymous",), "ok": PARTICIPANTS}, "POST": {"login": ("anonymous",)}},
    "mentoring:office_hours_slots": {
        "GET": {"login": ("anonymous",), "ok": PARTICIPANTS},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:office_hour_book": {"*": {"login": ("anonymous",), "invalid": PARTICIPANTS}},
    "mentoring:office_hour_cancel": {"*": {"login": ("anonymous",), "ok": ("participant",)}},
    "mentoring:profile": {"GET": {"login": ("anonymous",), "ok": SIGNED_IN}, "POST": {"login": ("anonymous",)}},
    "mentoring:report": {"*": {"login": ("anonymous",), "ok": STAFF}},
    "mentoring:report_csv": {"*": {"login": ("anonymous",), "ok": STAFF}},
    "mentoring:report_xlsx": {"*": {"login": ("anonymous",), "ok": STAFF}},
    # Asked without `figure=` (as the matrix asks it), the records page finds no figure: 404 for everyone.
    "mentoring:report_records": {"*": {"login": ("anonymous",)}},
    "mentoring:report_records_csv": {"*": {"login": ("anonymous",), "ok": STAFF}},
    "mentoring:report_snapshot": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:report_snapshot_csv": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:report_snapshot_xlsx": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:report_template_create": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"invalid": PROGRAM_STAFF, "login": ("anonymous",)},
    },
    "mentoring:report_template_delete": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "mentoring:report_template_edit": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"invalid": PROGRAM_STAFF, "login": ("anonymous",)},
    },
    "mentoring:report_template_report": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:report_template_submit": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"invalid": PROGRAM_STAFF, "login": ("anonymous",)},
    },
    "mentoring:report_templates": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",)},
    },
    "mentoring:session_attendance": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")},
        "POST": {"invalid": ("mentor", "manager", "superuser"), "login": ("anonymous",)},
    },
    "mentoring:session_cancel": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")},
    },
    "mentoring:session_detail": {
        "*": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")}
    },
    "mentoring:session_feedback": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("mentor", "participant", "manager", "superuser")},
    },
    "mentoring:session_log": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "other_mentor", "manager", "other_manager", "superuser")},
        "POST": {
            "invalid": ("mentor", "other_mentor", "manager", "other_manager", "superuser"),
            "login": ("anonymous",),
        },
    },
    "mentoring:session_move": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")},
        "POST": {"invalid": ("mentor", "manager", "superuser"), "login": ("anonymous",)},
    },
    "mentoring:session_record": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "manager", "superuser")},
        "POST": {"invalid": ("mentor", "manager", "superuser"), "login": ("anonymous",)},
    },
    "mentoring:session_schedule": {
        "GET": {"login": ("anonymous",), "ok": ("mentor", "other_mentor", "manager", "other_manager", "superuser")},
        "POST": {
            "invalid": ("mentor", "other_mentor", "manager", "other_manager", "superuser"),
            "login": ("anonymous",),
        },
    },
    "personal_data_download": {"GET": {"login": ("anonymous",)}, "POST": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "profile_edit": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    # Applicant A's private interview link: hers alone, signed in (anyone else: 404).
    "interviews:book": {
        "GET": {"login": ("anonymous",), "ok": ("applicant_a",)},
        "POST": {"login": ("anonymous",), "invalid": ("applicant_a",)},
    },
    "interviews:ics": {"GET": {"login": ("anonymous",), "ok": ("applicant_a",)}, "POST": {"login": ("anonymous",)}},
    "interviews:list": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "interviews:plan": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",), "invalid": PROGRAM_STAFF},
    },
    "interviews:shortlist": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"login": ("anonymous",), "invalid": PROGRAM_STAFF},
    },
    # Applicant A's interview is booked for a time still to come: held and no-show are refused until then.
    "interviews:held": {"*": {"login": ("anonymous",), "invalid": PROGRAM_STAFF}},
    "interviews:no_show": {"*": {"login": ("anonymous",), "invalid": PROGRAM_STAFF}},
    "interviews:cancel": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "scoring:conflict": {
        "GET": {"login": ("anonymous",)},
        "POST": {"login": ("anonymous",), "ok": ("reviewer_assigned",)},
    },
    "scoring:conflict_by_email": {
        "GET": {"login": ("anonymous",)},
        "POST": {
            "login": ("anonymous",),
            "ok": (
                "reviewer_assigned",
                "reviewer_unassigned",
                "reviewer_conflicted",
                "manager",
                "other_manager",
                "superuser",
            ),
        },
    },
    # The world's pending decision: publishing it redirects.
    "scoring:decisions": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "scoring:file": {"*": {"login": ("anonymous",)}},
    "scoring:others": {"*": {"login": ("anonymous",)}},
    "scoring:interview_weight": POST_INVALID,
    "scoring:queue": {
        "*": {
            "login": ("anonymous",),
            "ok": (
                "reviewer_assigned",
                "reviewer_unassigned",
                "reviewer_conflicted",
                "manager",
                "other_manager",
                "superuser",
            ),
        }
    },
    "scoring:ranking": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "scoring:ranking_csv": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "scoring:ranking_xlsx": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "scoring:review": {
        "GET": {"login": ("anonymous",), "ok": ("reviewer_assigned",)},
        "POST": {"invalid": ("reviewer_assigned",), "login": ("anonymous",)},
    },
    "scoring:selection": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "set_language": {"GET": {}, "POST": {"ok": EVERYONE}},
    "workspaces:book": {"GET": {"login": ("anonymous",)}, "POST": {"invalid": SIGNED_IN, "login": ("anonymous",)}},
    "workspaces:booking_cancel": {"*": {"login": ("anonymous",), "ok": ("participant",)}},
    "workspaces:booking_check_in": {
        "GET": {"login": ("anonymous",)},
        "POST": {"invalid": ("participant",), "login": ("anonymous",)},
    },
    "workspaces:bookings": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "workspaces:index": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
    "workspaces:inductions": {
        "GET": {"login": ("anonymous",), "ok": PROGRAM_STAFF},
        "POST": {"invalid": PROGRAM_STAFF, "login": ("anonymous",)},
    },
    "workspaces:recurring": {
        "*": {"login": ("anonymous",), "ok": ("participant", "other_participant", "manager", "superuser")}
    },
    "workspaces:report": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "workspaces:resource_check_in": {
        "*": {"login": ("anonymous",), "ok": ("participant", "other_participant", "manager", "superuser")}
    },
    "workspaces:resource_qr": {"*": {"login": ("anonymous",), "ok": PROGRAM_STAFF}},
    "workspaces:space": {
        "*": {"login": ("anonymous",), "ok": ("participant", "other_participant", "manager", "superuser")}
    },
    "workspaces:statement": {"*": {"login": ("anonymous",), "ok": SIGNED_IN}},
}


def expected(name: str, method: str, persona: str) -> str:
    row = EXPECTED[name]
    classes = row.get(method, row.get("*"))
    return next((outcome for outcome, personas in classes.items() if persona in personas), "denied")
