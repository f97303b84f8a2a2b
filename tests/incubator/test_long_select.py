import re

import pytest
from django import forms

from incubator.forms import ProfileForm, SignupExtraForm
from incubator.models import TIME_ZONE_CHOICES, User
from incubator.widgets import LongSelect


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("value", ["Europe/Warsaw", "", None, "Not/AZone", "<script>"])
def test_the_long_select_writes_what_djangos_select_writes(value):
    choices = [("", "Choose <your> zone"), *TIME_ZONE_CHOICES]
    attrs = {"id": "id_time_zone", "required": True}
    django = forms.Select(choices=choices).render("time_zone", value, attrs)
    assert _flat(LongSelect(choices=choices).render("time_zone", value, attrs)) == _flat(django)


def test_time_zone_fields_of_forms_and_the_admin_use_it(db):
    from django.contrib import admin

    assert isinstance(ProfileForm().fields["time_zone"].widget, LongSelect)
    assert isinstance(SignupExtraForm().fields["time_zone"].widget, LongSelect)
    user_admin = admin.site._registry[User]
    field = user_admin.formfield_for_dbfield(User._meta.get_field("time_zone"), request=None)
    assert isinstance(field.widget, LongSelect)
    page = str(ProfileForm(instance=User(time_zone="Asia/Jerusalem"))["time_zone"])
    assert '<option value="Asia/Jerusalem" selected>Asia/Jerusalem</option>' in page


def test_translated_labels_are_written_in_the_language_of_each_page():
    from django.utils import translation

    from incubator.models import currency_choices

    pages = {}
    for language in ("fr", "pl", "fr"):
        with translation.override(language):
            pages[language] = LongSelect(choices=currency_choices()).render("currency", "PLN")
    assert "PLN — złoty polski" in pages["pl"] and "PLN — zloty polonais" in pages["fr"]
    assert '<option value="PLN" selected>' in pages["fr"]


def test_forms_share_the_long_list_of_choices_instead_of_copying_it(db):
    first, second = ProfileForm(), ProfileForm()
    assert first.fields["time_zone"] is not second.fields["time_zone"]
    assert first.fields["time_zone"].choices[100] is second.fields["time_zone"].choices[100]
    second.fields["time_zone"].choices = [("UTC", "UTC")]
    assert len(first.fields["time_zone"].choices) > 400
