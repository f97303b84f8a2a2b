from django.contrib.auth.models import Group, Permission

from incubator.roles import ALL_ROLES, PROGRAM_MANAGER

MANAGED_APPS = ["applications", "cohorts", "mentoring", "workspaces"]
READ_ONLY_MODELS = ["notification", "auditentry"]
USER_PERMISSIONS = ["view_user", "change_user"]


def manager_permissions_sync(**kwargs):
    """Every role exists; program managers may run every program model in the admin, read the ledger
    and audit log, and give people roles (the user admin keeps superuser status out of their reach).

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
    Group.objects.get(name=PROGRAM_MANAGER).permissions.add(*permissions)
