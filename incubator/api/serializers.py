"""Related objects are ids, or whole objects when the request names them in `?expand=` (the view fetches them in
its own queries, so expanding costs a fixed number of queries whatever the page holds)."""

from functools import cached_property

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class ExpandableField(serializers.Field):
    def __init__(self, serializer_class, **kwargs):
        self.serializer_class = serializer_class
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        if self.field_name in self.context.get("expand", ()):
            return getattr(instance, self.source)
        return getattr(instance, f"{self.source}_id")

    def to_representation(self, value):
        if isinstance(value, models.Model):
            return self.expanded.to_representation(value)
        return value

    @cached_property
    def expanded(self) -> serializers.Serializer:
        """One serializer for every row of the page: building its fields again for each row cost milliseconds."""
        return self.serializer_class(context={**self.context, "expand": set()})


class ExpandableFieldSchema(OpenApiSerializerFieldExtension):
    target_class = ExpandableField

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(self.target.serializer_class, direction)
        return {"oneOf": [{"type": "integer"}, component.ref]}
