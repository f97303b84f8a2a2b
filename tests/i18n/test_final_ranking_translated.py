"""The interview stage's pages in Hebrew, Arabic, French and Polish, checked as `test_untranslated` checks every
page of the matrix world (whose call has no interview stage): the final ranking, its export, the weight form
refused, and a panel member's interview scoring page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.applications.scoring.factories import manager, reviewer, score, submitted
from tests.applications.scoring.interview_factories import interview_call, interview_score, interview_stage
from tests.i18n.test_untranslated import (
    LANGUAGES,
    NOT_UI,
    SAME_EVERYWHERE,
    Lookups,
    bare,
    english_left,
    visible_texts,
    world_data,
)


@pytest.mark.django_db
def test_the_interview_stage_pages_are_translated_in_every_language(monkeypatch):
    call = interview_call(slug="translated")
    program = call.cohort.program
    maya, rita, omar = manager(program, name="Maya Manager"), reviewer(program, name="Rita"), reviewer(program)
    call.review_settings.reviewers.add(rita)
    first, second = submitted(call, name="Amal"), submitted(call, name="Bilal")
    score(first, omar, 4)
    score(second, omar, 5)
    interview_stage(call)
    assignment = interview_score(first, rita, 5, by=maya)
    requests = [
        (maya, "get", "scoring:ranking", [call.slug], {}),
        (maya, "get", "scoring:ranking_csv", [call.slug], {}),
        (maya, "post", "scoring:interview_weight", [call.slug], {"interview_weight": "0"}),
        (rita, "get", "scoring:review", [assignment.pk], {}),
        (rita, "get", "scoring:queue", [], {}),
    ]
    lookups = Lookups()
    lookups.install(monkeypatch)
    data = world_data()
    problems, missing, answered = [], [], set()
    for person, method, name, args, payload in requests:
        client = Client()
        client.force_login(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        with translation.override("en"):
            english = visible_texts(getattr(client, method)(reverse(name, args=args), payload))
        for language in LANGUAGES:
            with translation.override(language):
                url = reverse(name, args=args)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            lookups.language, lookups.missing, lookups.answered = language, set(), set()
            response = getattr(client, method)(url, payload)
            assert response.status_code in (200, 400), (url, response.status_code)
            texts = visible_texts(response)
            where = f"{url} ({language})"
            missing += [(where, message) for message in sorted(lookups.missing)]
            answered |= lookups.answered
            said = {bare(text) for text in lookups.answered}
            for text in sorted(texts & english):
                if bare(text) in said | SAME_EVERYWHERE or NOT_UI.search(text):
                    continue
                if english_left(text, data):
                    problems.append(f"{where}: English left on the page: {text!r}")
        lookups.language = None
    problems += [f"{where}: no translation for {message!r}" for where, message in missing if message not in answered]
    assert not problems, f"{len(problems)} untranslated:\n" + "\n".join(problems)
