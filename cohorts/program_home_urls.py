from django.urls import path

from cohorts import program_home

app_name = "programs"
urlpatterns = [
    path("", program_home.program_list, name="index"),
    path("<slug:slug>/", program_home.program_home, name="home"),
]
