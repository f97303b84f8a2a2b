"""`/api/v1/`: each app registers its endpoints; the schema and its reference page are public (no data in them)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from applications import api as applications_api
from cohorts import api as cohorts_api
from mentoring import api as mentoring_api
from workspaces import api as workspaces_api

router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_root_view = False
router.include_format_suffixes = False
for app in (cohorts_api, applications_api, mentoring_api, workspaces_api):
    app.register(router)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("reference/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="reference"),
    path("", include(router.urls)),
]
