"""`/api/v1/`: the endpoints the apps registered (incubator.api.registry); the schema and its reference page are
public (no data in them)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from incubator.api import registry

router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_root_view = False
router.include_format_suffixes = False
for prefix, viewset, basename in registry.registered():
    router.register(prefix, viewset, basename=basename)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("reference/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="reference"),
    path("", include(router.urls)),
]
