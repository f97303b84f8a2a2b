"""What every API list shares: cursor pages, `?updated_since=`, `?expand=` and the refusal of unknown parameters
(400, so that a misspelt filter is never taken for "no filter" and answered with everything)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins, viewsets
from rest_framework.pagination import CursorPagination

from incubator.api.auth import HasAreaScope, TokenAuthentication
from incubator.bounds import MAX_BIGINT, validate_day

MAX_PAGE_SIZE = 200


class ApiCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [_("A whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]}
            )
        return int(raw)

    def decode_cursor(self, request):
        """DRF's cursor, whose position (an id, by the ordering) is refused like any other malformed cursor when it
        is no id: DRF would hand it to the lookup, which fails with a 500."""
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor else None
        if position is not None and not (position.isascii() and position.isdigit() and int(position) <= MAX_BIGINT):
            raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


class InstantField(forms.DateTimeField):
    """An instant within the portal's bounds (incubator/bounds.py), in UTC: PostgreSQL refuses an offset of more
    than 16 hours, and Python cannot move year 1 east of Greenwich."""

    default_validators = [validate_day]

    def clean(self, value):
        instant = super().clean(value)
        return instant.astimezone(datetime.UTC) if instant is not None else None


class ListParameters(forms.Form):
    """The parameters every list takes; a view adds its own filters as fields of a subclass."""

    cursor = forms.CharField(required=False)
    page_size = forms.CharField(required=False)
    updated_since = InstantField(required=False, help_text="Rows changed at or after this instant (ISO 8601)")
    expand = forms.CharField(required=False)


TYPES = {
    forms.IntegerField: OpenApiTypes.INT,
    forms.DateTimeField: OpenApiTypes.DATETIME,
    InstantField: OpenApiTypes.DATETIME,
    forms.DateField: OpenApiTypes.DATE,
    forms.BooleanField: OpenApiTypes.BOOL,
}


def parameter_schema(field: forms.Field) -> dict:
    """A filter's type with the values it takes (choices, bounds, length), so that a client, and schemathesis,
    knows which values are refused with 400."""
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _label in field.choices if value != ""]}
    schema = build_basic_type(TYPES.get(type(field), OpenApiTypes.STR))
    bounds = {"minimum": "min_value", "maximum": "max_value", "maxLength": "max_length"}
    schema.update({key: getattr(field, name) for key, name in bounds.items() if getattr(field, name, None) is not None})
    return schema


class ApiAutoSchema(AutoSchema):
    """Adds the view's own parameters (its `parameters` form and `expand`) to the schema."""

    def get_override_parameters(self):
        view = self.view
        parameters = []
        if self._is_list_view():
            parameters = [
                OpenApiParameter(name, parameter_schema(field), description=str(field.help_text))
                for name, field in view.parameters.base_fields.items()
                if name not in ("cursor", "page_size", "expand")
            ]
        if view.expandable and self.method == "GET":
            names = ", ".join(view.expandable)
            parameters.append(OpenApiParameter("expand", OpenApiTypes.STR, description=f"Comma-separated: {names}"))
        return parameters + super().get_override_parameters()


class ApiViewSet(viewsets.GenericViewSet):
    """An endpoint of one area, with the actions its subclass mixes in. Subclasses set `api_area`,
    `serializer_class`, `rows(request)` (the rows the caller may read, already narrowed to the token's programs),
    and may set `parameters` and `expandable`."""

    schema = ApiAutoSchema()
    lookup_value_converter = "int"
    authentication_classes = [TokenAuthentication]
    permission_classes = [HasAreaScope]
    pagination_class = ApiCursorPagination
    parameters = ListParameters
    # name -> the select_related/prefetch path that makes the expanded object free.
    expandable: dict[str, str] = {}
    api_area = ""

    def filtered(self, queryset, values: dict):
        """Apply the view's own filters; `updated_since` is applied by the base class."""
        return queryset

    def cleaned_parameters(self) -> dict:
        params = self.request.query_params
        known = set(self.parameters.base_fields) if self.action == "list" else {"expand"}
        if unknown := sorted(set(params) - known):
            message = _("Unknown parameter; this takes: %(known)s.") % {"known": ", ".join(sorted(known))}
            raise exceptions.ValidationError({name: [message] for name in unknown})
        form = self.parameters(data={name: params.get(name) for name in params})
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        return form.cleaned_data

    def expansions(self) -> set[str]:
        raw = self.request.query_params.get("expand", "")
        wanted = {name.strip() for name in raw.split(",") if name.strip()}
        if unknown := sorted(wanted - set(self.expandable)):
            raise exceptions.ValidationError(
                {"expand": [_("Not expandable: %(names)s.") % {"names": ", ".join(unknown)}]}
            )
        return wanted

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expand"] = self.expansions() if self.request else set()
        return context

    def get_queryset(self):
        queryset = self.rows(self.request)
        if getattr(self, "swagger_fake_view", False):
            return queryset
        expand = self.expansions()
        related = [self.expandable[name] for name in expand]
        if related:
            queryset = queryset.prefetch_related(*related)
        values = self.cleaned_parameters()
        if self.action == "list":
            if values.get("updated_since"):
                queryset = queryset.filter(changed_at__gte=values["updated_since"])
            queryset = self.filtered(queryset, values)
        return queryset


class ApiReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A read-only endpoint of one area: a list and its rows one by one."""
