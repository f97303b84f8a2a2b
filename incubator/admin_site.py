"""The portal's admin site: Django's, with a "view on site" shortcut that reveals nothing of hidden objects."""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _


class PortalAdminSite(admin.AdminSite):
    def get_urls(self):
        # Ours first: Django's own `r/<content_type_id>/<object_id>/` (same name) stays below it, unreachable.
        shortcut = path(
            "r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
        )
        return [shortcut, *super().get_urls()]

    def visible_object(self, request, content_type_id, object_id):
        """The object if its model admin lets `request.user` see it, else None: an object of another program, of a
        model without an admin, and one that does not exist are all the same "nothing"."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError, TypeError):
            return None
        model_admin = self._registry.get(model)
        if model_admin is None:
            return None
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError):
            return None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            return None
        return obj

    def view_on_site(self, request, content_type_id, object_id):
        obj = self.visible_object(request, content_type_id, object_id)
        if obj is None or not hasattr(obj, "get_absolute_url"):
            raise Http404  # one answer, no message naming the id or the model
        return contenttype_views.shortcut(request, content_type_id, object_id)


# Django builds (and validates, each form asking the database about its constraints) up to 1,000 forms of an inline
# when a forged management form claims that many; ours take at most this many, and refuse a larger count without
# building any of its forms.
INLINE_FORMS_MAX = 200


class BoundedInlineMixin:
    """For an inline: at most `max_num` forms (INLINE_FORMS_MAX unless it says), however many the POST claims. In a
    table, each input is named for a screen reader by its column (the table's headers are not its labels)."""

    max_num = INLINE_FORMS_MAX

    def get_formset(self, request, obj=None, **kwargs):
        limit = self.get_max_num(request, obj, **kwargs) or INLINE_FORMS_MAX
        formset = super().get_formset(request, obj, absolute_max=limit, **kwargs)
        formset = type(formset.__name__, (_RefusesForgedCounts, formset), {})
        if isinstance(self, admin.TabularInline):
            formset = type(formset.__name__, (_LabelledRows, formset), {})
        return formset


class _RefusesForgedCounts:
    """A count past `absolute_max` is refused as Django refuses it ("Please submit at most N forms"), but with no form
    built: Django builds `absolute_max` forms of the forged data first (a third of a second for a space's two
    inlines)."""

    def total_form_count(self):
        if self.is_bound and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max:
            return 0
        return super().total_form_count()


class _LabelledRows:
    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = _("Delete") if name == "DELETE" else field.label
            if label and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(label))
