"""One program's world seen by every persona of the permission matrix, built through the services."""

import datetime

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone

from applications.interviews.services import interview_book, interview_plan_save, interviews_shortlist
from applications.scoring.assignments import assignment_create
from applications.scoring.decisions import decisions_record
from applications.scoring.models import ReviewSettings
from applications.scoring.reviews import review_save
from applications.scoring.services import conflict_declare
from cohorts import services as cohort_services
from cohorts.availability import free_slots
from cohorts.availability_services import availability_save
from cohorts.checkins import checkin_submit, metric_add, metric_set_create
from cohorts.digest import unsubscribe_token
from cohorts.invitations import program_role_invite
from cohorts.member_invitations import membership_invite
from incubator.api.tokens import api_token_create
from incubator.calendar_feed import calendar_token_for
from incubator.webhooks import webhook_endpoint_create, webhook_event_emit
from mentoring import assignments as mentor_assignments
from mentoring import services as mentoring
from mentoring.office_hours import office_hour_book
from mentoring.report_templates import TemplateData, report_submit, report_template_create
from tests.applications.scoring.factories import manager, reviewer, scoring_call, submitted
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, grant, superuser
from tests.workspaces.factories import make_plan, make_resource, make_space
from workspaces import services as workspace_services

# The matrix runs at this moment (time-machine): the cohort is running, the booking is in the future.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)
BOOKED_DAY = datetime.date(2026, 6, 2)

PERSONAS = (
    "anonymous",
    "applicant_a",
    "applicant_b",
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
)


class World:
    def __init__(self):
        self.call = scoring_call(slug="matrix")
        self.cohort = self.call.cohort
        self.program = self.cohort.program
        self.region = self.program.regions.get(name="North")
        self.manager = manager(self.program, name="Maya Manager")
        self.other_program = ProgramFactory(name="Other program", slug="other-program")
        self.other_manager = manager(self.other_program, name="Otto Othermanager")
        self.superuser = superuser()

        self.applicant_a = UserFactory(name="Amina Applicant")
        self.applicant_b = UserFactory(name="Bilal Applicant")
        self.application = submitted(self.call, applicant=self.applicant_a, name="Amina Applicant")
        self.application_b = submitted(self.call, applicant=self.applicant_b, name="Bilal Applicant")
        self.reviewer_assigned = reviewer(self.program, name="Rita Reviewer")
        self.reviewer_unassigned = reviewer(self.program, name="Ruth Unassigned")
        self.reviewer_conflicted = reviewer(self.program, name="Rami Conflicted")
        self.assignment = assignment_create(application=self.application, reviewer=self.reviewer_assigned, by=None)
        assignment_create(application=self.application, reviewer=self.reviewer_conflicted, by=None)
        conflict_declare(reviewer=self.reviewer_conflicted, application=self.application, reason="My cousin")
        # A draft review and a pending decision (applicant B's): the API reads them, the admin and the decisions
        # page show them.
        self.review = review_save(
            assignment=self.assignment,
            scores={},
            comment="",
            recommendation="",
            submit=False,
            by=self.reviewer_assigned,
        )
        decisions_record(applications=[self.application_b], outcome="reject", by=self.manager)
        self.decision = self.application_b.decision
        self._interview()

        self.participant = accept(self.cohort, UserFactory(name="Pia Participant"), region=self.region).person
        self.membership = self.participant.memberships.get(cohort=self.cohort)
        self.other_cohort = CohortFactory(program=self.program, name="Other cohort", slug="other-cohort")
        self.other_participant = accept(self.other_cohort, UserFactory(name="Omar Othercohort")).person
        self.venture = cohort_services.venture_create(cohort=self.cohort, by=self.participant, name="Pia Pottery")
        self._checkins()
        self.post = cohort_services.post_create(
            cohort=self.cohort, author=self.participant, kind="need", title="A kiln"
        )
        self.initiative = cohort_services.initiative_create(
            cohort=self.cohort, by=self.participant, title="Catalogue", what="A catalogue"
        )
        self.milestone = cohort_services.milestone_create(
            initiative=self.initiative, title="Photos", due_on=datetime.date(2026, 7, 1), by=self.participant
        )

        self.mentor = grant(self.program, UserFactory(name="Meir Mentor"), "mentor")
        self.cohort.mentors.add(self.mentor)
        self.other_mentor = grant(self.program, UserFactory(name="Olek Othermentor"), "mentor")
        self.mentor_assignment = mentor_assignments.assignment_create(
            program=self.program, mentor=self.mentor, mentee=self.participant, by=self.manager
        )
        kinds = {kind.code: kind for kind in mentoring.session_kinds_ensure(self.program)}
        self.session, _ = mentoring.session_log(
            program=self.program,
            kind=kinds["individual"],
            starts_at=datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC),
            minutes=60,
            participants=[self.participant],
            summary="Worked on the price list.",
            private_notes="Seems tired.",
            action_items=[mentoring.ActionItemInput(text="Send the price list", owner=self.participant)],
            by=self.mentor,
        )
        self.action_item = self.session.action_items.get()
        # The mentor's office hours: Sundays and Tuesdays 09:00-12:00 in the program's zone, a day off in June.
        self.availability = availability_save(
            availability=None,
            program=self.program,
            owner=self.mentor,
            purpose="office_hours",
            settings={
                "time_zone": self.program.time_zone, "slot_minutes": 45, "notice_hours": 24, "horizon_days": 28,
                "cancel_hours": 24, "place": "Room 2", "online_link": "", "active": True,
            },
            windows=[{"weekday": day, "starts": datetime.time(9), "ends": datetime.time(12)} for day in (6, 1)],
            exceptions=[{"on": datetime.date(2026, 6, 9), "closed": True, "starts": None, "ends": None}],
            by=self.mentor,
        )  # fmt: skip
        # The participant's booking of its first free slot.
        first = free_slots(self.availability, busy=[], now=timezone.now())[0]
        self.office_hour = office_hour_book(
            availability=self.availability, starts_at=first.starts_at, by=self.participant
        )
        self.attendance = self.session.attendances.get()
        self.report_template = report_template_create(
            program=self.program, data=TemplateData("EU", "European Union", "he", ["youth", "people"]), by=self.manager
        )
        self.report_snapshot = report_submit(
            template=self.report_template, start=datetime.date(2026, 1, 1), end=BOOKED_DAY, by=self.manager
        )

        self.space = make_space([self.program], slug="matrix-space", week_starts_on=6)
        self.desk = make_resource(self.space)
        make_plan(self.cohort, self.space)
        self.booking = workspace_services.booking_create(
            resource=self.desk,
            starts=datetime.datetime.combine(BOOKED_DAY, datetime.time(8)),
            ends=datetime.datetime.combine(BOOKED_DAY, datetime.time(18)),
            by=self.participant,
        )
        self.ledger_line = self.booking.ledger_lines.get()
        self.calendar_token = calendar_token_for(self.participant).token
        self.webhook_endpoint, _secret = webhook_endpoint_create(
            program=self.program, url="https://93.184.216.34/hook", events=["booking.created"], by=self.manager
        )
        webhook_event_emit(program_id=self.program.pk, event="booking.created", data={"booking": self.booking.pk})
        self.webhook_delivery = self.webhook_endpoint.deliveries.get()
        self.api_token, _text = api_token_create(
            person=self.participant,
            name="Pia's spreadsheet",
            programs=[self.program],
            scopes=["workspaces:read"],
            expires_at=NOW + datetime.timedelta(days=30),
            by=self.participant,
        )
        # Applicant A's address is invited to review for the program: A alone may open and answer it.
        self.invitation, self.invitation_token = program_role_invite(
            program=self.program, role="reviewer", email=self.applicant_a.email, by=self.manager
        )
        # The participant's address is invited to the program's other cohort: the participant alone may answer it,
        # the program's managers alone may withdraw it (from that cohort's dashboard).
        self.member_invitation, _token = membership_invite(
            cohort=self.other_cohort, email=self.participant.email, name="Pia Typedname", by=self.manager
        )

    def _interview(self):
        """The call interviews: applicant A is shortlisted and has booked Wednesday 10:00 in Casablanca (the
        private link's pages, the managers' interview pages)."""
        ReviewSettings.objects.filter(call=self.call).update(has_interview=True)
        interview_plan_save(
            call=self.call,
            panel=[self.manager],
            settings={
                "time_zone": "Africa/Casablanca",
                "slot_minutes": 30,
                "notice_hours": 24,
                "horizon_days": 28,
                "cancel_hours": 24,
                "place": "",
                "online_link": "https://meet.example.org/matrix",
                "active": True,
            },
            windows=[{"weekday": day, "starts": datetime.time(9), "ends": datetime.time(12)} for day in range(5)],
            exceptions=[],
            by=self.manager,
        )
        (self.interview,) = interviews_shortlist(call=self.call, applications=[self.application], by=self.manager)
        interview_book(
            interview=self.interview,
            starts_at=datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC),
            by=self.applicant_a,
        )

    def _checkins(self):
        """The program asks monthly check-ins, one question its own: April is sent, May (the month the matrix
        opens) is not answered."""
        metric_set = metric_set_create(program=self.program, currency="ILS", by=None)
        self.metric = metric_add(metric_set=metric_set, name="Kilns fired", kind="count", by=None)
        typed = {metric.pk: "Good month" if metric.kind == "text" else "2" for metric in metric_set.metrics.all()}
        self.checkin = checkin_submit(
            venture=self.venture, month=datetime.date(2026, 4, 1), typed=typed, currency="ILS", by=self.participant
        )

    def person(self, persona):
        return None if persona == "anonymous" else getattr(self, persona)

    def kwargs_for(self, name: str, keys) -> dict:
        """The world's object for each of the URL's arguments."""
        return {key: self._value(name, key) for key in keys}

    def _value(self, name, key):
        namespace = name.split(":")[0] if ":" in name else ""
        if namespace == "admin":
            return self._admin_value(name, key)
        if key == "slug":
            if name in (
                "cohorts:program_roles",
                "cohorts:program_role_remove",
                "cohorts:program_history",
                "cohorts:program_invitation_revoke",
                "applications:program_call_copy",
            ) or namespace in ("mentoring", "programs"):
                return self.program.slug
            if name == "cohorts:member_invitation_revoke":
                return self.other_cohort.slug
            return {"cohorts": self.cohort.slug, "workspaces": self.space.slug}.get(namespace, self.call.slug)
        if key == "pk":
            return (
                {
                    "cohorts:venture_detail": self.venture,
                    "cohorts:venture_edit": self.venture,
                    "cohorts:checkins": self.venture,
                    "cohorts:checkin": self.venture,
                    "cohorts:post_detail": self.post,
                    "cohorts:initiative_detail": self.initiative,
                    "cohorts:milestone_create": self.initiative,
                    "cohorts:milestone_done": self.milestone,
                    "cohorts:membership_status": self.membership,
                    "cohorts:program_invitation_revoke": self.invitation,
                    "cohorts:member_invitation_revoke": self.member_invitation,
                    "cohorts:invitation_accept": self.invitation,
                    "cohorts:invitation_decline": self.invitation,
                    "mentoring:action_item_done": self.action_item,
                    "mentoring:assignment_end": self.mentor_assignment,
                    "mentoring:office_hours_slots": self.availability,
                    "mentoring:office_hour_book": self.availability,
                    "mentoring:office_hour_cancel": self.office_hour,
                    "api_token_revoke": self.api_token,
                }.get(name)
                or (self.interview if name.startswith("interviews:") else None)
                or (self.webhook_endpoint if name.startswith("programs:webhook_") else None)
                or (self.metric if name.startswith("programs:checkin_metric_") else None)
                or (self.report_snapshot if name.startswith("mentoring:report_snapshot") else None)
                or (self.report_template if name.startswith("mentoring:report_template") else None)
                or {
                    "mentoring": self.session,
                    "workspaces": self.booking,
                    "scoring": self.assignment,
                    "applications": self.application,
                }[namespace]
            ).pk
        if key == "user_id":
            return self.reviewer_assigned.pk if name == "cohorts:program_role_remove" else self.participant.pk
        if key == "role":
            return "reviewer"
        if key == "file_pk":
            return 1  # no uploaded file: the gate answers before the file is looked for
        if key in ("year", "month"):
            return {"year": 2026, "month": 5}[key]  # May 2026, the month before the matrix's clock
        if key == "delivery_id":
            return self.webhook_delivery.pk
        if key == "resource_id":
            return self.desk.pk
        if key == "token":
            if name.startswith("interviews:"):
                return self.interview.token  # applicant A's private link
            if name == "cohorts:digest_unsubscribe":
                return unsubscribe_token(self.manager)  # the manager's weekly digest: the signed link is the key
            return self.invitation_token if name == "cohorts:invitation" else self.calendar_token
        return {"key": "3-abc", "uidb36": "3"}[key]

    def _admin_value(self, name, key):
        if key == "app_label":
            return "cohorts"
        if key == "content_type_id":
            return ContentType.objects.get_for_model(self.program).pk
        if key in ("object_id", "id"):
            if name == "admin:view_on_site":
                return self.program.pk
            for model, model_admin in admin.site._registry.items():
                prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
                if name.startswith(prefix):
                    # A row the admin lists: the audit entries are the contexts holding actions, and the first
                    # context by its (random) uuid may hold none.
                    request = RequestFactory().get("/")
                    request.user = self.person("superuser")
                    found = model_admin.get_queryset(request).order_by("pk").first()
                    return found.pk if found else 0
            return self.participant.pk  # the user admin's password page
        raise KeyError(f"{name}: no value for {key}")
