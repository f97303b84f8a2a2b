from django.urls import path

from mentoring import availability_views, manager_views, office_hours_views, report_template_views, views

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
    path("availability/", availability_views.availability_edit, name="availability"),
    path("office-hours/", office_hours_views.office_hours_list, name="office_hours"),
    path("office-hours/<int:pk>/", office_hours_views.office_hours_slots, name="office_hours_slots"),
    path("office-hours/<int:pk>/book/", office_hours_views.office_hour_book, name="office_hour_book"),
    path("office-hours/sessions/<int:pk>/cancel/", office_hours_views.office_hour_cancel, name="office_hour_cancel"),
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
    path("programs/<slug:slug>/reports/", report_template_views.report_templates, name="report_templates"),
    path(
        "programs/<slug:slug>/reports/templates/new/",
        report_template_views.report_template_create,
        name="report_template_create",
    ),
    path(
        "programs/<slug:slug>/reports/templates/<int:pk>/",
        report_template_views.report_template_report,
        name="report_template_report",
    ),
    path(
        "programs/<slug:slug>/reports/templates/<int:pk>/edit/",
        report_template_views.report_template_edit,
        name="report_template_edit",
    ),
    path(
        "programs/<slug:slug>/reports/templates/<int:pk>/delete/",
        report_template_views.report_template_delete,
        name="report_template_delete",
    ),
    path(
        "programs/<slug:slug>/reports/templates/<int:pk>/submit/",
        report_template_views.report_template_submit,
        name="report_template_submit",
    ),
    path("programs/<slug:slug>/reports/<int:pk>/", report_template_views.report_snapshot, name="report_snapshot"),
    path(
        "programs/<slug:slug>/reports/<int:pk>/export.csv",
        report_template_views.report_snapshot_export,
        {"fmt": "csv"},
        name="report_snapshot_csv",
    ),
    path(
        "programs/<slug:slug>/reports/<int:pk>/export.xlsx",
        report_template_views.report_snapshot_export,
        {"fmt": "xlsx"},
        name="report_snapshot_xlsx",
    ),
]
