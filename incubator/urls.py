from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from incubator import calendar_feed, views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/<str:token>.ics", calendar_feed.calendar_feed, name="calendar_feed"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("cohorts/", include("cohorts.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("review/", include("applications.scoring.urls")),
    path("", include("applications.urls")),
    prefix_default_language=False,
)
