from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from incubator import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("cohorts/", include("cohorts.urls")),
    path("workspaces/", include("workspaces.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("review/", include("applications.scoring.urls")),
    path("", include("applications.urls")),
    prefix_default_language=False,
)
