from django.urls import path

from applications import program_home, views

app_name = "applications"
urlpatterns = [
    path("calls/", views.call_list, name="calls"),
    path("calls/<slug:slug>/", views.call_detail, name="call"),
    path("calls/<slug:slug>/apply/", views.application_apply, name="apply"),
    path("calls/<slug:slug>/apply/preview/", views.application_preview, name="preview"),
    path("calls/<slug:slug>/apply/submit/", views.application_submit_view, name="submit"),
    path("applications/", views.application_list, name="list"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw_view, name="withdraw"),
    path("applications/<int:pk>/files/<int:file_pk>/", views.application_file, name="file"),
    path("programs/<slug:slug>/new-call/", program_home.program_call_copy, name="program_call_copy"),
]
