"""A date of birth typed in French or Polish survives autosave, a reload and the next autosave (issue 19).

The page wrote the stored date as `03/02/1999` or `03.02.1999`; the browser's date input showed an empty field, and
the next autosave erased the stored date."""

import datetime
from decimal import Decimal

import pytest

from applications.models import Application, Question
from tests.applications.factories import make_call
from tests.e2e.test_apply_flow import autosaved, fill_and_leave
from tests.factories import UserFactory

BIRTH = datetime.date(1999, 2, 3)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_a_date_of_birth_stays_through_autosaves_and_reloads(transactional_db, live_server, page, sign_in, language):
    call = make_call()
    founded = Question.objects.create(call=call, position=6, label="Founded", kind=Question.Kind.DATE, required=False)
    revenue = Question.objects.create(call=call, position=7, label="Revenue", kind=Question.Kind.NUMBER, required=False)
    applicant = UserFactory(preferred_language=language)
    sign_in(page, applicant.email)
    url = f"{live_server.url}/{language}/calls/{call.slug}/apply/"
    page.goto(url)
    assert page.get_attribute("html", "lang") == language

    autosaved(page, lambda: fill_and_leave(page, "input[name=date_of_birth]", BIRTH.isoformat()))
    autosaved(page, lambda: fill_and_leave(page, f"input[name=q_{founded.pk}]", "2024-11-30"))
    autosaved(page, lambda: fill_and_leave(page, f"input[name=q_{revenue.pk}]", "1234.5"))

    def check_stored():
        application = Application.objects.get(call=call, applicant=applicant)
        assert application.date_of_birth == BIRTH
        assert application.answers[str(founded.pk)] == "2024-11-30"
        assert Decimal(application.answers[str(revenue.pk)]) == Decimal("1234.5")

    def check_shown():
        assert page.input_value("input[name=date_of_birth]") == BIRTH.isoformat()
        assert page.input_value(f"input[name=q_{founded.pk}]") == "2024-11-30"
        assert page.input_value(f"input[name=q_{revenue.pk}]") == "1234.5"

    check_stored()
    page.goto(url)
    check_shown()
    # The next autosave posts the whole form as the browser holds it: the dates go with it, unchanged.
    autosaved(page, lambda: fill_and_leave(page, "input[name=phone]", "+48 600 000 000"))
    check_stored()
    page.reload()
    check_shown()
