import re

import pytest
from django import forms

from incubator.forms import ProfileForm, SignupExtraForm
from incubator.models import User, time_zone_choices
from incubator.widgets import LongSelect


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("value", ["Europe/Warsaw", "", None, "Not/AZone", "<script>"])
def test_the_long_select_writes_what_djangos_select_writes(value):
    choices = [("", "Choose <your> zone"), *time_zone_choices()]
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
    assert '<option value="Asia/Jerusalem" selected>Jerusalem (Asia/Jerusalem)</option>' in page


def test_translated_labels_are_written_in_the_language_of_each_page():
    from django.utils import translation

    from incubator.models import currency_choices

    pages = {}
    for language in ("fr", "pl", "fr"):
        with translation.override(language):
            pages[language] = LongSelect(choices=currency_choices()).render("currency", "PLN")
    assert "PLN — złoty polski" in pages["pl"] and "PLN — zloty polonais" in pages["fr"]
    assert '<option value="PLN" selected>' in pages["fr"]


def test_forms_share_a_long_list_of_choices_instead_of_copying_it():
    from incubator.widgets import LongChoiceField

    class ZoneForm(forms.Form):
        zone = LongChoiceField(choices=[(f"Zone/{n}", f"Zone {n}") for n in range(500)])

    first, second = ZoneForm(), ZoneForm()
    assert first.fields["zone"] is not second.fields["zone"]
    assert first.fields["zone"].choices[100] is second.fields["zone"].choices[100]
    second.fields["zone"].choices = [("UTC", "UTC")]
    assert len(first.fields["zone"].choices) == 500


def test_zones_are_grouped_by_area_and_named_in_the_language_of_the_page(db):
    from django.utils import translation

    with translation.override("fr"):
        page = str(ProfileForm(instance=User(time_zone="Europe/Warsaw"))["time_zone"])
    assert '<optgroup label="Europe">' in page and '<optgroup label="Amériques">' in page
    assert '<option value="Europe/Warsaw" selected>Varsovie (Europe/Warsaw)</option>' in page
    with translation.override("he"):
        page = str(SignupExtraForm()["time_zone"])
    assert ">ורשה (Europe/Warsaw)</option>" in page and "Choose" not in page


def test_a_zone_stored_under_an_old_name_stays_valid(db):
    user = User(email="old@example.org", name="Old", time_zone="US/Eastern", preferred_language="en")
    form = ProfileForm({"name": "Old", "preferred_language": "en", "time_zone": "US/Eastern"}, instance=user)
    assert form.is_valid(), form.errors
    assert '<option value="US/Eastern" selected>' in str(form["time_zone"])
