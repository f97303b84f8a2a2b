from django.urls import path

from mentoring import manager_views, views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("log/", views.session_log, name="session_log"),
    path("schedule/", views.session_schedule, name="session_schedule"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/log/", views.session_record, name="session_record"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/feedback/", views.session_feedback, name="session_feedback"),
    path("actions/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("profile/", views.my_profile, name="profile"),
    path("programs/<slug:slug>/assignments/", manager_views.assignments, name="assignments"),
    path(
        "programs/<slug:slug>/assignments/<int:user_id>/", manager_views.assignment_suggest, name="assignment_suggest"
    ),
    path("programs/<slug:slug>/assignments/<int:pk>/end/", manager_views.assignment_end, name="assignment_end"),
    path("report/", manager_views.report, name="report"),
    path("report/export.csv", manager_views.report_export, {"fmt": "csv"}, name="report_csv"),
    path("report/export.xlsx", manager_views.report_export, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report/records/", manager_views.report_records, name="report_records"),
    path("report/records.csv", manager_views.report_export, {"fmt": "records.csv"}, name="report_records_csv"),
]
