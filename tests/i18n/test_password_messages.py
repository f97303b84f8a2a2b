"""A password refused at sign-up is explained in the page's language: Django's own Hebrew and Arabic catalogues lack
the length rule's message, so the portal's catalogues carry it (issue 19)."""

import pytest
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation

ENGLISH = "This password is too short"


@pytest.mark.parametrize("language", ["he", "ar", "fr", "pl"])
def test_sign_up_says_a_password_is_too_short_in_the_pages_language(client, db, language):
    cache.clear()
    response = client.post(
        f"/{language}/accounts/signup/",
        {"email": "new@example.org", "name": "New", "password1": "abc", "password2": "abc", "time_zone": "UTC"},
    )
    with translation.override(language):
        expected = MinimumLengthValidator().get_error_message()
    assert ENGLISH not in expected
    assert expected in response.content.decode()


@pytest.mark.parametrize("minimum", range(12))
def test_every_arabic_plural_form_of_the_length_rule_takes_its_number(minimum):
    with translation.override("ar"), pytest.raises(ValidationError) as refused:
        MinimumLengthValidator(min_length=minimum + 1).validate("")
    assert str(minimum + 1) in refused.value.messages[0]
    assert ENGLISH not in refused.value.messages[0]
