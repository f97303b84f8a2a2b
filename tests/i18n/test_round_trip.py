"""Nothing typed is lost in any language (issue 19): each form renders its stored values in the form its inputs
read (ISO dates for `<input type="date">`, a dot in numbers), and posting them back unchanged stores them unchanged.

A page in French wrote the date of birth as `03/02/1999`: the browser's date input showed an empty field, and the
next autosave erased the stored date."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from applications.models import Application, Call, Question
from applications.scoring.models import Criterion, Review, ReviewSettings
from applications.services import DraftData, application_save_draft, application_start
from cohorts import availability_forms
from cohorts import forms as cohorts_forms
from cohorts import services as cohort_services
from cohorts.dates import program_today
from cohorts.models import InitiativeUpdate, Membership, Program
from incubator.when import format_day
from mentoring import assignments
from mentoring import forms as mentoring_forms
from mentoring import services as mentoring_services
from mentoring.models import MentorProfile, ParticipantProfile, Session
from tests.applications.factories import make_call, question
from tests.applications.scoring.factories import score, scoring_call, submitted
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager
from tests.html_forms import form_data
from tests.workspaces.factories import bizmax_setup, manager_of, participant
from workspaces import forms as workspaces_forms
from workspaces.models import Booking, ClosedDate, OpeningHours, Space

LANGUAGES = [code for code, _ in settings.LANGUAGES]
User = get_user_model()
BIRTH = datetime.date(1999, 2, 3)  # day and month told apart: 03/02 in French, 02/03 in English


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(db):
    """A draft with a date of birth, a date question and a number question among the call's own questions."""
    call = make_call()
    Question.objects.create(call=call, position=6, label="Founded on", kind=Question.Kind.DATE, required=False)
    Question.objects.create(call=call, position=7, label="Revenue", kind=Question.Kind.NUMBER, required=False)
    applicant = UserFactory(name="Amina Owner")
    data = DraftData(
        standard={
            "full_name": "Amina Owner",
            "date_of_birth": BIRTH,
            "region": call.cohort.program.regions.get(name="North"),
            "phone": "+212 600 000 000",
            "email": "amina@example.org",
        },
        answers={
            str(question(call, 1).pk): "Gnaoua Lab",
            str(question(call, 2).pk): "Music for all",
            str(question(call, 3).pk): "yes",
            str(question(call, 4).pk): ["Music", "Crafts"],
            str(question(call, 6).pk): "2024-11-30",
            str(question(call, 7).pk): "1234.5",
        },
        team=[{"name": "Sara Partner", "email": "sara@example.org", "role": "designer"}],
    )
    return application_save_draft(
        application=application_start(call=call, applicant=applicant), data=data, by=applicant
    )


def application_inputs(page: str) -> dict[str, list[str]]:
    """What the browser would post from the application page, minus the CSRF token (new on every page)."""
    inputs = form_data(page, "application-form", attribute="data-testid")
    inputs.pop("csrfmiddlewaretoken")
    return inputs


def stored(application: Application) -> dict:
    application = Application.objects.get(pk=application.pk)
    team = list(application.team_members.order_by("pk").values("name", "email", "role"))
    return {
        "full_name": application.full_name,
        "date_of_birth": application.date_of_birth,
        "region": application.region_id,
        "phone": application.phone,
        "email": application.email,
        "answers": application.answers,
        "invalid_answers": application.invalid_answers,
        "team": team,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_application_form_gives_back_every_stored_value_unchanged(client, draft, language):
    client.force_login(draft.applicant)
    before = stored(draft)
    with translation.override(language):
        url = reverse("applications:apply", args=[draft.call.slug])
        preview_url = reverse("applications:preview", args=[draft.call.slug])
    page = client.get(url).content.decode()
    assert f'lang="{language}"' in page
    posted = application_inputs(page)
    date_question, number_question = (f"q_{question(draft.call, n).pk}" for n in (6, 7))
    assert posted["date_of_birth"] == ["1999-02-03"]
    assert posted[date_question] == ["2024-11-30"]
    assert posted[number_question] == ["1234.5"]

    # The autosave posts the whole form as the browser holds it, then a return visit shows it again.
    response = client.post(url, posted, HTTP_HX_REQUEST="true")
    assert 'data-testid="saved"' in response.content.decode()
    assert stored(draft) == before
    assert application_inputs(client.get(url).content.decode()) == posted

    # "Save draft" without the page's script does the same.
    client.post(url, posted | {"action": "save"})
    assert stored(draft) == before

    preview = client.get(preview_url).content.decode()
    with translation.override(language):
        assert format_day(BIRTH) in preview


def _portal_forms(program, cohort) -> dict[str, forms.BaseForm]:
    """Every form of the portal with a date, time or number input, as its view builds it (the application form
    and the pages below have their own round trips)."""
    session_form = {"program": program, "kinds": [], "people": [], "mentee_ids": set(), "individual_ids": set()}
    return {
        "session log": mentoring_forms.LogForm(**session_form),
        "session schedule": mentoring_forms.ScheduleForm(**session_form),
        "session move": mentoring_forms.MoveForm(program=program),
        "session record": mentoring_forms.RecordForm(attendances=[]),
        "impact report": mentoring_forms.ReportForm(programs=Program.objects.all()),
        "participant profile": mentoring_forms.ParticipantProfileForm(),
        "mentor profile": mentoring_forms.MentorProfileForm(),
        "recurring booking": workspaces_forms.RecurringForm(resources=[]),
        "induction": workspaces_forms.InductionForm(types=[], people=[]),
        "membership status": cohorts_forms.StatusForm(membership=Membership(status=Membership.Status.ACTIVE)),
        "initiative": cohorts_forms.InitiativeForm(cohort=cohort),
        "initiative progress": cohorts_forms.ProgressForm(),
        "milestone": cohorts_forms.MilestoneForm(),
        "availability settings": availability_forms.AvailabilitySettingsForm(),
        "availability window": availability_forms.WindowForm(),
        "availability exception": availability_forms.ExceptionForm(),
    }


def _sample(field: forms.Field):
    """A value the field accepts whose written form differs between languages when localized."""
    if isinstance(field, forms.DateField):
        return BIRTH
    if isinstance(field, forms.TimeField):
        return datetime.time(14, 30)
    if isinstance(field, forms.DecimalField):
        return Decimal("1234.5")
    low, high = field.min_value or 0, field.max_value or 1234
    return max(low, min(high, 1234))


ISO_INPUTS = {"date": r"\d{4}-\d{2}-\d{2}", "time": r"\d{2}:\d{2}", "number": r"-?\d+(\.\d+)?"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_time_and_number_input_reads_back_what_it_shows(db, language):
    program = ProgramFactory(time_zone="Europe/Warsaw")
    cohort = CohortFactory(program=program)
    checked = set()
    with translation.override(language):
        for form_name, form in _portal_forms(program, cohort).items():
            widgets = {n: f for n, f in form.fields.items() if getattr(f.widget, "input_type", None) in ISO_INPUTS}
            assert widgets, f"{form_name} has no date, time or number input"
            # A date typed as text would be read in the language's own format: every date is a date picker.
            dates = {n for n, f in form.fields.items() if isinstance(f, forms.DateField | forms.TimeField)}
            assert dates <= set(widgets), (form_name, dates - set(widgets))
            for name, field in widgets.items():
                value = _sample(field)
                bound = form[name]
                bound.initial = value
                html = f'<form id="one">{bound.as_widget()}</form>'
                shown = form_data(html, "one")[bound.html_name][0]
                assert re.fullmatch(ISO_INPUTS[field.widget.input_type], shown), (form_name, name, shown)
                assert field.clean(shown) == value, (form_name, name, shown)
                checked.add((form_name, field.widget.input_type))
    assert {kind for _, kind in checked} == set(ISO_INPUTS)


def page_form(page: str, field: str) -> dict[str, list[str]]:
    """What the browser would post from the page's form holding the input `field`, minus the CSRF token."""
    at = page.index(f'name="{field}"')
    start, end = page.rindex("<form", 0, at), page.index("</form>", at)
    opening = page.index(">", start) + 1
    inputs = form_data(f'<form id="page-form">{page[opening:end]}</form>', "page-form")
    inputs.pop("csrfmiddlewaretoken")
    return inputs


@pytest.fixture
def mentoring_world(db):
    program = ProgramFactory(time_zone="Europe/Warsaw")
    cohort = CohortFactory(program=program)
    mentor, mentee = UserFactory(name="Meir Mentor"), accept(cohort).person
    manager = UserFactory(name="Mona Manager")
    program.managers.add(manager)
    program.mentors.add(mentor)
    assignments.assignment_create(program=program, mentor=mentor, mentee=mentee, by=manager)
    kind = {kind.code: kind for kind in mentoring_services.session_kinds_ensure(program)}["individual"]
    start = datetime.datetime(2030, 1, 7, 8, tzinfo=datetime.UTC)  # 09:00 in Warsaw
    session, _ = mentoring_services.session_schedule(
        program=program, kind=kind, starts_at=start, ends_at=start + datetime.timedelta(minutes=90),
        participants=[mentee], by=mentor,
    )  # fmt: skip
    return SimpleNamespace(mentor=mentor, mentee=mentee, session=session)


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_moving_a_session_to_the_time_it_shows_keeps_its_time(client, mentoring_world, language):
    session = mentoring_world.session
    client.force_login(mentoring_world.mentor)
    with translation.override(language):
        url = reverse("mentoring:session_move", args=[session.pk])
    posted = page_form(client.get(url).content.decode(), "minutes")
    assert (posted["date"], posted["time"], posted["minutes"]) == (["2030-01-07"], ["09:00"], ["90"])
    assert client.post(url, posted).status_code == 302
    moved = Session.objects.get(pk=session.pk)
    assert (moved.starts_at, moved.ends_at) == (session.starts_at, session.ends_at)


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_the_mentoring_profiles_give_back_their_numbers_unchanged(client, mentoring_world, language):
    mentor, mentee = mentoring_world.mentor, mentoring_world.mentee
    MentorProfile.objects.create(user=mentor, capacity_mentees=1200, capacity_hours=1234, languages=["fr"])
    ParticipantProfile.objects.create(user=mentee, birth_year=1999, consent=True)
    with translation.override(language):
        url = reverse("mentoring:profile")
    checks = [(mentor, "m-capacity_hours", "mentor_profile"), (mentee, "p-birth_year", "participant_profile")]
    for person, field, profile in checks:
        client.force_login(person)
        before = model_to_dict(getattr(User.objects.get(pk=person.pk), profile))
        posted = page_form(client.get(url).content.decode(), field)
        assert posted[field] == [str(before[field[2:]])]
        assert client.post(url, posted).status_code == 302
        assert model_to_dict(getattr(User.objects.get(pk=person.pk), profile)) == before


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_a_progress_update_is_dated_the_day_its_form_shows(client, db, language):
    cohort = CohortFactory()
    member = accept(cohort, UserFactory(), venture_name="Mira Studio").person
    initiative = cohort_services.initiative_create(
        cohort=cohort, by=member, title="Catalogue", what="Our work", status="running", next_step="Print it"
    )
    client.force_login(member)
    with translation.override(language):
        url = reverse("cohorts:initiative_detail", args=[cohort.slug, initiative.pk])
    posted = page_form(client.get(url).content.decode(), "text")
    today = program_today(cohort.program)
    assert posted["on"] == [today.isoformat()]
    assert client.post(url, posted | {"text": "Met 22 businesses"}).status_code == 302
    assert InitiativeUpdate.objects.get().on == today
    initiative.refresh_from_db()
    assert (initiative.status, initiative.next_step) == ("running", "Print it")


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_a_recurring_booking_starts_on_the_day_picked_and_the_form_keeps_it(client, db, language):
    cohort, space, desk, _ = bizmax_setup()
    person = participant(cohort, preferred_language=language)
    client.force_login(person)
    with translation.override(language):
        url = reverse("workspaces:recurring", args=[space.slug])
    with time_machine.travel(datetime.datetime(2026, 6, 1, 6, tzinfo=datetime.UTC), tick=False):
        posted = page_form(client.get(url).content.decode(), "weeks")
        assert posted["weeks"] == ["4"]
        sunday = datetime.date(2026, 6, 7)  # what the browser's date picker posts, whatever the page's language
        response = client.post(
            url, posted | {"resource": str(desk.pk), "first_day": sunday.isoformat(), "weekdays": ["6"]}
        )
    first = Booking.objects.filter(person=person).order_by("period").first()
    assert first.period.lower.astimezone(ZoneInfo(space.time_zone)).date() == sunday
    shown = page_form(response.content.decode(), "weeks")
    assert (shown["first_day"], shown["weeks"]) == ([sunday.isoformat()], ["4"])


def admin_unchanged_save(client, language: str, obj, snapshot) -> None:
    """Open the admin change form of `obj` in `language`, save it as the browser posts it: `snapshot()` is the
    same after. The admin's date and time fields are text, shown in the language's format and read in it."""
    with translation.override(language):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    before = snapshot()
    page = client.get(url).content.decode()
    assert f'lang="{language}"' in page
    posted = form_data(page, f"{obj._meta.model_name}_form")
    response = client.post(url, posted | {"_save": ["Save"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unchanged_save_of_the_call_admin_changes_nothing_in_any_language(client, db, language):
    zone = ZoneInfo("Africa/Casablanca")
    call = make_call(
        opens_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=zone),
        closes_at=datetime.datetime(2026, 12, 3, 23, 59, 59, tzinfo=zone),
    )
    ReviewSettings.objects.create(call=call, review_deadline=datetime.datetime(2027, 1, 2, 18, 0, tzinfo=zone))
    Criterion.objects.create(call=call, position=1, name="Viability", weight=Decimal("1.25"), scale_min=1, scale_max=5)
    client.force_login(program_manager(call.cohort.program))
    admin_unchanged_save(
        client, language, call,
        lambda: (model_to_dict(Call.objects.get(pk=call.pk)), list(Criterion.objects.values()),
                 list(ReviewSettings.objects.values())),
    )  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unchanged_save_of_the_space_admins_changes_nothing_in_any_language(client, db, language):
    cohort, space, desk, plan = bizmax_setup()
    ClosedDate.objects.create(space=space, date=datetime.date(2026, 12, 3), reason="Holiday")
    client.force_login(manager_of(cohort.program, is_superuser=False))
    admin_unchanged_save(
        client, language, space,
        lambda: (model_to_dict(Space.objects.get(pk=space.pk)), list(OpeningHours.objects.values()),
                 list(ClosedDate.objects.values())),
    )  # fmt: skip
    for row in (desk, plan):
        admin_unchanged_save(client, language, row, lambda row=row: model_to_dict(type(row).objects.get(pk=row.pk)))


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_a_draft_review_saved_as_shown_keeps_its_scores(client, db, language):
    call = scoring_call()
    rita = UserFactory(name="Rita Reviewer")
    assignment = score(submitted(call, name="Amal"), rita, [5, 4, 3, 2], recommendation="maybe", submit=False,
                       comment="À revoir")  # fmt: skip
    client.force_login(rita)
    with translation.override(language):
        url = reverse("scoring:review", args=[assignment.pk])

    def review_as_stored():
        review = Review.objects.get(assignment=assignment)
        return model_to_dict(review, exclude=["updated_at"]), list(
            review.scores.order_by("criterion").values("criterion", "score")
        )

    before = review_as_stored()
    posted = form_data(client.get(url).content.decode(), "review-form")
    posted.pop("csrfmiddlewaretoken")
    assert client.post(url, posted | {"action": "draft"}).status_code == 302
    assert review_as_stored() == before
