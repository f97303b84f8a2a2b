from contextlib import nullcontext

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgramZoneAdminMixin:
    """The change page of a program's object renders inside its program's zone, so read-only times show
    there too; the zone is named in the page's fieldsets (`zone_note`)."""

    def program_zone(self, obj):
        # Each admin using the mixin says how its object reaches the program (CallAdmin, ApplicationAdmin).
        raise NotImplementedError("an admin using ProgramZoneAdminMixin defines program_zone(obj)")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and fieldsets and not fieldsets[0][1].get("description"):
            note = _("Times are in %(zone)s, the program's time zone.") % {"zone": self.program_zone(obj).key}
            fieldsets[0] = (fieldsets[0][0], {**fieldsets[0][1], "description": note})
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        zone = self.program_zone(obj) if obj is not None else None
        extra_context = {**(extra_context or {}), "program_zone": zone}
        with timezone.override(zone) if zone else nullcontext():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # here, in the program's zone, not later in the manager's
        return response
