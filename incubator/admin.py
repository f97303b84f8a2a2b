import json

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from incubator.api.tokens import api_token_revoke
from incubator.models import ApiToken, AuditTrail, Notification, User
from incubator.notifications import notification_resend
from incubator.program_scope import people_visible_to, rows_visible_to
from incubator.ratelimit import email_request_allowed, too_many_requests
from incubator.secret_fields import secret_field_names

admin.site.site_header = _("Incubator portal administration")
admin.site.site_title = _("Incubator portal")
# One sign-in page for everyone: the admin's own would skip allauth's rate limits and email verification.
admin.site.login = secure_admin_login(admin.site.login)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "preferred_language", "time_zone", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", "preferred_language"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "preferred_language", "time_zone"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            # Superusers: the password as Django's form draws it, masked (algorithm and a few characters), with
            # the link to set a new one. Never the stored hash (incubator/secret_fields.py).
            return fieldsets
        # Anyone else reads the account read-only, and a read-only field prints its stored value: no password.
        return [
            (title, {**options, "fields": [n for n in options["fields"] if n not in secret_field_names(User)]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        fields = [name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]]
        return [name for name in fields if name not in secret_field_names(User)]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=people_visible_to(request.user).values("pk"))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed or request.user.is_superuser:
            return allowed
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        # Passwords, emails, staff and superuser flags and groups of accounts are changed by superusers only.
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied  # people change their own password from their account page
        return super().user_change_password(request, id, form_url)

    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]


# Allauth's email admins, without their raw id widget (the account is chosen by autocomplete) and without the
# confirmation keys (secrets, listed by allauth's confirmation admin when keys are stored rather than signed).
admin.site.unregister(EmailAddress)
if admin.site.is_registered(EmailConfirmation):
    admin.site.unregister(EmailConfirmation)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    raw_id_fields = ()
    autocomplete_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The ledger, for the managers of the programs its emails are about (superusers: every row)."""

    list_display = [
        "kind",
        "object_id",
        "recipient",
        "program",
        "threshold",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "kind"]
    list_select_related = ["recipient", "program"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def get_queryset(self, request):
        return rows_visible_to(super().get_queryset(request), request.user, "program")

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed or request.user.is_superuser:
            return allowed
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the ledger is what keeps a reminder from going out twice

    def has_resend_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("last error"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Send the selected failed emails again"), permissions=["resend"])
    def send_again(self, request, queryset):
        if not email_request_allowed(action="notification_resend", person=request.user):
            return too_many_requests(request, back=request.get_full_path())
        resent = sum(notification_resend(notification=row, by=request.user) for row in queryset)
        skipped = queryset.count() - resent
        self.message_user(request, _("%(n)s emails will be sent again.") % {"n": resent})
        if skipped:
            self.message_user(
                request,
                _("%(n)s selected emails were not failed, so were left as they are.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(AuditTrail)
class AuditTrailAdmin(admin.ModelAdmin):
    """The actions services recorded (incubator/audit.py). They span every program: superusers only; a program's
    managers read its row history on the program's history page and its scoring history on each application."""

    list_display = ["at", "person", "actions_ran"]
    fields = ["at", "person", "actions_ran", "details"]
    readonly_fields = fields

    def get_queryset(self, request):
        person = User.objects.filter(pk=Cast(KeyTextTransform("user", OuterRef("metadata")), BigIntegerField()))
        actions = super().get_queryset(request).filter(metadata__has_key="actions")
        return actions.annotate(person_email=Subquery(person.values("email")[:1]))

    # pghistory's own field names have no translations: the columns are named here.
    @admin.display(description=_("at"), ordering="created_at")
    def at(self, obj):
        return obj.created_at

    @admin.display(description=_("by"))
    def person(self, obj):
        return obj.person_email or "—"

    @admin.display(description=_("action"))
    def actions_ran(self, obj):
        return json.dumps([entry["action"] for entry in obj.metadata.get("actions", [])])  # as stored: codes

    @admin.display(description=_("details"))
    def details(self, obj):
        return json.dumps(obj.metadata, ensure_ascii=False)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every API token, for superusers only (a token acts as its person), never with its secret or its hash;
    a superuser may revoke tokens here, as their owners do on their profile."""

    list_display = [
        "name",
        "prefix",
        "person",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_from",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "person__email"]
    list_select_related = ["person"]
    fields = [
        "name",
        "prefix",
        "person",
        "programs",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_from",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return self.has_module_permission(request)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=token, by=request.user) for token in queryset)
        self.message_user(request, _("%(n)s tokens were revoked.") % {"n": revoked})
