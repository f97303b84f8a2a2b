from django.urls import path

from applications.scoring import final_views, views

app_name = "scoring"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
    path("conflicts/", views.conflict_by_email, name="conflict_by_email"),
    path("<int:pk>/files/<int:file_pk>/", views.review_file, name="file"),
    path("<int:pk>/others/", views.others, name="others"),
    path("<int:pk>/conflict/", views.conflict, name="conflict"),
    path("calls/<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("calls/<slug:slug>/ranking.csv", views.ranking_csv, name="ranking_csv"),
    path("calls/<slug:slug>/ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("calls/<slug:slug>/ranking/weight/", final_views.interview_weight, name="interview_weight"),
    path("calls/<slug:slug>/selection/", views.selection, name="selection"),
    path("calls/<slug:slug>/decisions/", views.decisions, name="decisions"),
]
