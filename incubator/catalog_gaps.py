"""Messages of Django's own admin and auth forms that Django's Hebrew or Arabic catalogs leave untranslated.

Listed here so that `makemessages` carries them into our catalogs, which Django consults before its own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_CATALOG_GAPS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
