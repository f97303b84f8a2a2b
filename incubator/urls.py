from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from incubator import api_token_views, calendar_feed, personal_data_views, views

handler404 = "incubator.api.errors.page_not_found"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("calendar/<str:token>.ics", calendar_feed.calendar_feed, name="calendar_feed"),
    path("api/v1/", include("incubator.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/data/", personal_data_views.personal_data_download, name="personal_data_download"),
    path("profile/delete/", personal_data_views.account_delete, name="account_delete"),
    path("profile/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("profile/api-tokens/", api_token_views.api_tokens, name="api_tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", api_token_views.api_token_revoke_view, name="api_token_revoke"),
    path("cohorts/", include("cohorts.urls")),
    path("programs/", include("cohorts.program_home_urls")),
    path("mentoring/", include("mentoring.urls")),
    path("workspaces/", include("workspaces.urls")),
    # allauth's sign-in page, answering 429 when the failed sign-in limits refuse (incubator.adapters).
    path("accounts/login/", views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("review/", include("applications.scoring.urls")),
    path("", include("applications.interviews.urls")),
    path("", include("applications.urls")),
    prefix_default_language=False,
)

if settings.BENCH:
    urlpatterns.append(path("bench/ceiling/", views.bench_ceiling, name="bench_ceiling"))
