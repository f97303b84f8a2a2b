from django.urls import path

from cohorts import program_home, webhook_views

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
]
