"""Decision email templates: only the four placeholders, and a bad row saved earlier breaks neither the preview nor a
send."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.scoring.decisions import decisions_record
from applications.scoring.emails import decision_email
from applications.scoring.models import DecisionEmailTemplate
from tests.applications.scoring.factories import submitted


@pytest.mark.parametrize(
    "body, bad",
    [("Hello {name}, from {} to {", "{}"), ("Dear {0}", "{0}"), ("Hi {name.__class__}", "{name.__class__}")],
)
def test_a_template_with_another_placeholder_is_refused_naming_it(db, body, bad):
    template = DecisionEmailTemplate(language="en", outcome="accept", subject="Welcome {name}", body=body)
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert bad in str(refused.value.message_dict["body"])
    DecisionEmailTemplate(language="en", outcome="reject", subject="{call}", body="{name} {program} {url}").full_clean()


def test_a_subject_with_a_stray_brace_is_refused(db):
    template = DecisionEmailTemplate(language="en", outcome="accept", subject="Price } here", body="ok")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "subject" in refused.value.message_dict


def test_a_bad_template_saved_earlier_neither_breaks_the_preview_nor_reaches_attributes(client, call, rita, maya):
    application = submitted(call, name="Amal")
    body = "Hello {name}, prices from {} to { and {0} {name.__class__.__name__} {call}"
    DecisionEmailTemplate.objects.create(language="en", outcome="accept", subject="S {program}", body=body)
    email = decision_email(application, "accept", "en")
    assert email.body == f"Hello Amal, prices from {{}} to {{ and {{0}} {{name.__class__.__name__}} {call.title}"
    assert email.subject == f"S {call.cohort.program.name}"
    decisions_record(applications=[application], outcome="accept", by=maya)
    client.force_login(maya)
    assert client.get(reverse("scoring:decisions", args=[call.slug])).status_code == 200
