"""The role groups, and the model permissions the program manager group holds; synced after each migrate."""

from django.contrib.auth.models import Group, Permission

from incubator.roles import ALL_ROLES, PROGRAM_MANAGER

MANAGED_APPS = ["applications", "cohorts", "mentoring", "workspaces"]
READ_ONLY_MODELS = ["notification", "webhookendpoint", "webhookdelivery"]
# Managers read the accounts of their programs' people; changing accounts (passwords, emails, staff and superuser
# flags, groups) is for superusers. Roles on a program are given on its roles page (cohorts.program_roles).
USER_PERMISSIONS = ["view_user"]


def manager_permissions_sync(**kwargs):
    """Every role exists; program managers may run the program models in the admin (each admin keeps them to their
    own programs), read the ledger and their programs' people.

    Runs after each migrate (and each flush), since permissions only exist once their models do."""
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    permissions = (
        Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
        | Permission.objects.filter(
            content_type__app_label="incubator", content_type__model__in=READ_ONLY_MODELS, codename__startswith="view_"
        )
        | Permission.objects.filter(content_type__app_label="incubator", codename__in=USER_PERMISSIONS)
    )
    group = Group.objects.get(name=PROGRAM_MANAGER)
    group.permissions.add(*permissions)
    # Granted by earlier versions: the audit log is for superusers, accounts are changed by superusers only.
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="incubator").exclude(pk__in=permissions.values("pk"))
    )
