from django.urls import path

from applications.interviews import booking, views

app_name = "interviews"
urlpatterns = [
    path("interview/<str:token>/", booking.book, name="book"),
    path("interview/<str:token>/interview.ics", booking.ics, name="ics"),
    path("review/calls/<slug:slug>/interviews/", views.interview_list, name="list"),
    path("review/calls/<slug:slug>/interviews/plan/", views.plan, name="plan"),
    path("review/calls/<slug:slug>/interviews/shortlist/", views.shortlist, name="shortlist"),
    path("review/calls/<slug:slug>/interviews/<int:pk>/held/", views.record, {"outcome": "held"}, name="held"),
    path("review/calls/<slug:slug>/interviews/<int:pk>/no-show/", views.record, {"outcome": "no_show"}, name="no_show"),
    path("review/calls/<slug:slug>/interviews/<int:pk>/cancel/", views.record, {"outcome": "cancelled"}, name="cancel"),
]
