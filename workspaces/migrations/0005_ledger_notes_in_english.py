"""Ledger notes were stored in the language of whoever's request wrote them; they are now stored in English and
translated for their reader. Notes already written in another language go back to their English original."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

NOTES = [
    "Over the monthly cap: full price.",
    "The cohort's subsidy budget is spent: full price.",
    "Cancelled in time",
]


def notes_back_to_english(apps, schema_editor):
    LedgerLine = apps.get_model("workspaces", "LedgerLine")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for note in NOTES:
                written = translation.gettext(note)
                if written != note:
                    LedgerLine.objects.filter(note=written).update(note=note)


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0004_currency")]

    operations = [migrations.RunPython(notes_back_to_english, migrations.RunPython.noop)]
