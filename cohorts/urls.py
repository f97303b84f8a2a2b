from django.urls import path

from cohorts import digest_views, invitation_views, program_views, views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_index, name="index"),
    path("programs/<slug:slug>/roles/", program_views.program_roles, name="program_roles"),
    path(
        "programs/<slug:slug>/invitations/<int:pk>/revoke/",
        program_views.program_invitation_revoke,
        name="program_invitation_revoke",
    ),
    path("invitations/", invitation_views.invitations, name="invitations"),
    path("digest/unsubscribe/<str:token>/", digest_views.digest_unsubscribe, name="digest_unsubscribe"),
    path("invitations/<int:pk>/accept/", invitation_views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", invitation_views.invitation_decline, name="invitation_decline"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("programs/<slug:slug>/history/", program_views.program_history, name="program_history"),
    path(
        "programs/<slug:slug>/roles/<str:role>/<int:user_id>/remove/",
        program_views.program_role_remove,
        name="program_role_remove",
    ),
    path("<slug:slug>/", views.directory, name="directory"),
    path("<slug:slug>/profile/", views.profile_edit, name="profile_edit"),
    path("<slug:slug>/photos/<int:user_id>/", views.member_photo, name="member_photo"),
    path("<slug:slug>/ventures/new/", views.venture_create, name="venture_create"),
    path("<slug:slug>/ventures/<int:pk>/", views.venture_detail, name="venture_detail"),
    path("<slug:slug>/ventures/<int:pk>/edit/", views.venture_edit, name="venture_edit"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/board/<int:pk>/", views.post_detail, name="post_detail"),
    path("<slug:slug>/initiatives/", views.initiative_list, name="initiatives"),
    path("<slug:slug>/initiatives/new/", views.initiative_create, name="initiative_create"),
    path("<slug:slug>/initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("<slug:slug>/initiatives/<int:pk>/milestones/", views.milestone_create, name="milestone_create"),
    path("<slug:slug>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/members.csv", views.members_csv, name="members_csv"),
    path("<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "<slug:slug>/members/invitations/<int:pk>/withdraw/",
        views.member_invitation_revoke,
        name="member_invitation_revoke",
    ),
    path("<slug:slug>/members/<int:pk>/status/", views.membership_status, name="membership_status"),
]
