from django.urls import path

from workspaces import views

app_name = "workspaces"

urlpatterns = [
    path("", views.index, name="index"),
    path("book/", views.book, name="book"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/check-in/", views.booking_check_in, name="booking_check_in"),
    path("check-in/<int:resource_id>/", views.resource_check_in, name="resource_check_in"),
    path("statement/", views.statement, name="statement"),
    path("<slug:slug>/", views.space_detail, name="space"),
    path("<slug:slug>/recurring/", views.recurring, name="recurring"),
    path("<slug:slug>/reports/", views.report, name="report"),
    path("<slug:slug>/inductions/", views.inductions, name="inductions"),
    path("<slug:slug>/resources/<int:resource_id>/qr.svg", views.resource_qr, name="resource_qr"),
]
