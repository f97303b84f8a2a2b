"""Nothing typed is lost in any language (issue 19): each form renders its stored values in the form its inputs
read (ISO dates for `<input type="date">`, a dot in numbers), and posting them back unchanged stores them unchanged.

A page in French wrote the date of birth as `03/02/1999`: the browser's date input showed an empty field, and the
next autosave erased the stored date."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.models import Application, Question
from applications.services import DraftData, application_save_draft, application_start
from cohorts import forms as cohorts_forms
from cohorts.models import Membership, Program
from incubator.when import format_day
from mentoring import forms as mentoring_forms
from tests.applications.factories import make_call, question
from tests.factories import CohortFactory, ProgramFactory, UserFactory
from tests.html_forms import form_data
from workspaces import forms as workspaces_forms

LANGUAGES = [code for code, _ in settings.LANGUAGES]
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
    session_form = {"program": program, "kinds": [], "people": [], "mentee_ids": set()}
    return {
        "session log": mentoring_forms.LogForm(**session_form),
        "session schedule": mentoring_forms.ScheduleForm(**session_form),
        "session move": mentoring_forms.MoveForm(program=program),
        "session record": mentoring_forms.RecordForm(attendances=[]),
        "impact report": mentoring_forms.ReportForm(programs=Program.objects.all()),
        "participant profile": mentoring_forms.ParticipantProfileForm(),
        "mentor profile": mentoring_forms.MentorProfileForm(),
        "recurring booking": workspaces_forms.RecurringForm(resources=[]),
        "induction": workspaces_forms.InductionForm(types=[]),
        "membership status": cohorts_forms.StatusForm(membership=Membership(status=Membership.Status.ACTIVE)),
        "initiative": cohorts_forms.InitiativeForm(cohort=cohort),
        "initiative progress": cohorts_forms.ProgressForm(),
        "milestone": cohorts_forms.MilestoneForm(),
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
