"""Fields whose value is a secret: password hashes, tokens, feed keys, session keys. No page renders them, the
admin included, whoever reads it (superusers too).

`SECRET_FIELDS` is the one list, read by the admin's system check below (run at every start and by
`manage.py check`) and by tests/incubator/test_admin_fields.py, which renders every admin page as every staff
persona and looks for the stored values. A model admin may name a secret field only where its form draws it
masked (the user admin's password: Django's `ReadOnlyPasswordHashWidget` shows the algorithm and a few masked
characters, for superusers only); never as a read-only field, a list column, a filter or a search path.

The same check refuses `raw_id_fields`: a raw id widget prints the name behind any id typed into it, so people are
chosen through scoped autocompletes (`autocomplete_fields`), which list only rows of the viewer's programs."""

from django.contrib.admin.utils import NotRelationField, flatten_fieldsets, get_fields_from_path
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

# "app_label.model.field", lower case, as `Field` labels read (`User._meta.get_field("password")` ->
# "incubator.user.password"). A new secret field is added here.
SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "incubator.user.password",  # the password hash
        "incubator.calendartoken.token",  # the key of a person's private calendar feed address
        "incubator.webhookendpoint.secret",  # the key a program's webhook deliveries are signed with
        "incubator.apitoken.secret_hash",  # the hash of an API token's secret
        "sessions.session.session_key",
        "sessions.session.session_data",
        "account.emailconfirmation.key",  # allauth's email confirmation key
        "cohorts.programroleinvitation.token_hash",  # the hash of an invitation link's token
        "applications.interview.token",  # the private link of a shortlisted applicant's interview booking
    }
)
# Form fields that draw a secret masked, never its value.
MASKED_FORM_FIELDS = (ReadOnlyPasswordHashField,)


def field_label(field) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


def is_secret(field) -> bool:
    return getattr(field, "concrete", False) and field_label(field) in SECRET_FIELDS


def secret_field_names(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields if is_secret(field)}


def _path_is_secret(model, path) -> bool:
    if not isinstance(path, str):
        return False
    path = path.lstrip("-^=@")  # ordering and search_fields prefixes
    try:
        fields = get_fields_from_path(model, path)
    except (FieldDoesNotExist, NotRelationField):  # a method, or a path ending in a lookup ("email__iexact")
        try:
            fields = get_fields_from_path(model, path.rsplit("__", 1)[0]) if "__" in path else []
        except (FieldDoesNotExist, NotRelationField):
            return False
    return any(is_secret(field) for field in fields)


def _admin_problems(admin_obj) -> list[str]:
    model = admin_obj.model
    secrets = secret_field_names(model)
    problems = []
    if getattr(admin_obj, "raw_id_fields", ()):
        problems.append(f"raw_id_fields {list(admin_obj.raw_id_fields)}: use scoped autocomplete_fields")
    for option in ("list_display", "list_display_links", "list_filter", "search_fields", "sortable_by", "ordering"):
        for entry in getattr(admin_obj, option, None) or ():
            path = entry[0] if isinstance(entry, list | tuple) else entry
            if _path_is_secret(model, path):
                problems.append(f"{option} names the secret {path!r}")
    for name in admin_obj.readonly_fields or ():
        if name in secrets:
            problems.append(f"readonly_fields shows the secret {name!r} as it is stored")
    declared = getattr(admin_obj.form, "declared_fields", {})
    shown = set(admin_obj.fields or ()) | set(flatten_fieldsets(admin_obj.fieldsets or ()))
    if not admin_obj.fields and not admin_obj.fieldsets:
        shown = {f.name for f in model._meta.concrete_fields if f.editable} - set(admin_obj.exclude or ())
    for name in sorted(secrets & shown):
        if not isinstance(declared.get(name), MASKED_FORM_FIELDS):
            problems.append(f"the form shows the secret {name!r}: exclude it")
    return problems


@checks.register(checks.Tags.admin, checks.Tags.security)
def check_admin_fields(app_configs=None, **kwargs):
    """Every registered model admin and inline: no secret shown or searched, no raw id widget."""
    from django.contrib import admin

    errors = []
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for admin_obj in [model_admin, *inlines]:
            for problem in _admin_problems(admin_obj):
                errors.append(
                    checks.Error(
                        f"{type(admin_obj).__name__} ({admin_obj.model._meta.label}): {problem}.",
                        hint="See incubator/secret_fields.py.",
                        obj=type(admin_obj),
                        id="incubator.E101",
                    )
                )
    return errors
