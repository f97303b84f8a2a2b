from django.urls import path

from cohorts import checkin_metric_views, program_home, webhook_views

app_name = "programs"
urlpatterns = [
    path("", program_home.program_list, name="index"),
    path("<slug:slug>/", program_home.program_home, name="home"),
    path("<slug:slug>/webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("<slug:slug>/webhooks/new/", webhook_views.webhook_create, name="webhook_create"),
    path("<slug:slug>/webhooks/<int:pk>/", webhook_views.webhook_log, name="webhook_log"),
    path("<slug:slug>/webhooks/<int:pk>/disable/", webhook_views.webhook_disable, name="webhook_disable"),
    path("<slug:slug>/webhooks/<int:pk>/enable/", webhook_views.webhook_enable, name="webhook_enable"),
    path("<slug:slug>/webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook_delete"),
    path(
        "<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery_id>/send-again/",
        webhook_views.webhook_resend,
        name="webhook_resend",
    ),
    path("<slug:slug>/checkins/", checkin_metric_views.metric_set_page, name="checkin_metrics"),
    path("<slug:slug>/checkins/currency/", checkin_metric_views.metric_set_currency, name="checkin_currency"),
    path("<slug:slug>/checkins/metrics/new/", checkin_metric_views.metric_create, name="checkin_metric_create"),
    path(
        "<slug:slug>/checkins/metrics/<int:pk>/rename/",
        checkin_metric_views.metric_rename,
        name="checkin_metric_rename",
    ),
    path("<slug:slug>/checkins/metrics/<int:pk>/move/", checkin_metric_views.metric_move, name="checkin_metric_move"),
    path(
        "<slug:slug>/checkins/metrics/<int:pk>/retire/",
        checkin_metric_views.metric_retire,
        name="checkin_metric_retire",
    ),
    path(
        "<slug:slug>/checkins/metrics/<int:pk>/ask-again/",
        checkin_metric_views.metric_ask_again,
        name="checkin_metric_ask_again",
    ),
    path(
        "<slug:slug>/checkins/metrics/<int:pk>/delete/",
        checkin_metric_views.metric_delete,
        name="checkin_metric_delete",
    ),
]
