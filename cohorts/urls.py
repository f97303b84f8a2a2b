from django.urls import path

from cohorts import (
    board_views,
    checkin_views,
    digest_views,
    directory_views,
    initiative_views,
    invitation_views,
    program_views,
    venture_views,
    views,
)

app_name = "cohorts"
urlpatterns = [
    path("", directory_views.cohort_index, name="index"),
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
    path("<slug:slug>/", directory_views.directory, name="directory"),
    path("<slug:slug>/profile/", directory_views.profile_edit, name="profile_edit"),
    path("<slug:slug>/photos/<int:user_id>/", directory_views.member_photo, name="member_photo"),
    path("<slug:slug>/ventures/new/", venture_views.venture_create, name="venture_create"),
    path("<slug:slug>/ventures/<int:pk>/", venture_views.venture_detail, name="venture_detail"),
    path("<slug:slug>/ventures/<int:pk>/edit/", venture_views.venture_edit, name="venture_edit"),
    path("<slug:slug>/ventures/<int:pk>/checkins/", checkin_views.checkin_history, name="checkins"),
    path("<slug:slug>/ventures/<int:pk>/checkins/<int:year>/<int:month>/", checkin_views.checkin, name="checkin"),
    path("<slug:slug>/board/", board_views.board, name="board"),
    path("<slug:slug>/board/<int:pk>/", board_views.post_detail, name="post_detail"),
    path("<slug:slug>/initiatives/", initiative_views.initiative_list, name="initiatives"),
    path("<slug:slug>/initiatives/new/", initiative_views.initiative_create, name="initiative_create"),
    path("<slug:slug>/initiatives/<int:pk>/", initiative_views.initiative_detail, name="initiative_detail"),
    path("<slug:slug>/initiatives/<int:pk>/milestones/", initiative_views.milestone_create, name="milestone_create"),
    path("<slug:slug>/milestones/<int:pk>/done/", initiative_views.milestone_done, name="milestone_done"),
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
