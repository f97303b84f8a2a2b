"""Trust at the level of fields (issue 18), in the admin, as every staff persona.

Two programs built through the services (tests/incubator/test_admin_isolation.py), every name of the second one
containing "Zeta". The personas: a superuser, a manager of both programs, the manager of Alpha only, and a staff
reviewer of Alpha (staff, no admin permission).

1. No admin page (changelists, add, change and history pages of every registered model) renders a password hash,
   a calendar-feed token, a session key or any value of a field listed in `incubator.secret_fields.SECRET_FIELDS`.
2. No admin form or inline has a raw id widget; a person or program row outside the viewer's programs is named
   neither by an add page given its id (`?author=<id>`) nor by the autocomplete endpoint.
3. The view-on-site shortcut (`/admin/r/<content_type_id>/<object_id>/`) answers alike for a hidden object and a
   missing one.
"""

import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import ManyToManyField
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse

from applications.models import Application, Call
from cohorts.models import Program, Region
from incubator.calendar_feed import calendar_token_for
from incubator.models import CalendarToken, User
from incubator.secret_fields import SECRET_FIELDS, _admin_problems, check_admin_fields
from tests.applications.scoring.factories import manager, reviewer
from tests.factories import grant, superuser
from tests.incubator.test_admin_isolation import admin_url, build_program
from tests.workspaces.factories import make_resource, make_space

PERSONAS = ("superuser", "all_programs_manager", "alpha_manager", "staff_reviewer")
# What a stored password looks like, whatever the hasher (tests use MD5PasswordHasher: settings.TESTING).
HASH_PATTERNS = ("pbkdf2_", "argon2", "bcrypt", "md5$", "scrypt$", "sha1$")


class World:
    def __init__(self, capture):
        self.zeta_manager = build_program("Zeta", capture)
        self.alpha_manager = build_program("Alpha", capture)
        self.alpha = Program.objects.get(name="Alpha program")
        self.zeta = Program.objects.get(name="Zeta program")
        # Every row of the other program names it, so that one word finds it on any page.
        for region in Region.objects.filter(program=self.zeta):
            region.name = f"Zeta {region.name}"
            region.save(update_fields=["name"])
        for program, word in ((self.alpha, "Alpha"), (self.zeta, "Zeta")):
            space = make_space([program], slug=f"{word.lower()}-space")
            make_resource(space, name=f"{word} desk")
        self.superuser = superuser()
        self.all_programs_manager = grant(self.zeta, manager(self.alpha, name="Alpha Both Manager"), "manager")
        self.staff_reviewer = reviewer(self.alpha, name="Alpha Staff Reviewer", is_staff=True)
        self.alpha_applicant = User.objects.get(name="Alpha Applicant")
        for person in User.objects.all():
            calendar_token_for(person)  # a private feed address for everyone

    def person(self, persona):
        return getattr(self, persona)


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(django_capture_on_commit_callbacks)


def signed_in(client, person):
    client.force_login(person)
    return client


def request_as(person):
    request = RequestFactory().get("/admin/")
    request.user = person
    return request


def secret_values() -> dict[str, list[str]]:
    """Every stored value of every field listed as secret."""
    values = {}
    for label in sorted(SECRET_FIELDS):
        app_label, model_name, field = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue  # an app not installed here
        values[label] = [str(v) for v in model._default_manager.values_list(field, flat=True) if v]
    return values


def admin_pages(world):
    """Changelist and add page of every registered model, change and history pages of some of its rows (every
    staff account's among the users: the hashes most worth stealing)."""
    staff = [world.person(p).pk for p in PERSONAS] + [world.alpha_applicant.pk]
    yield reverse("admin:index")
    for model in admin.site._registry:
        yield admin_url(model, "changelist")
        if url := admin_url(model, "add"):
            yield url
        rows = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        chosen = {*rows[:2], *rows[-2:]}
        if model is get_user_model():
            chosen |= set(staff)
        for pk in sorted(chosen):
            for page in ("change", "history"):
                if url := admin_url(model, page, pk):
                    yield url


# --- 1. no secret on any admin page --------------------------------------------------------------------------------


def password_change_logged(client, world):
    """The history page of an account has something to show: a superuser sets a password through the admin (of an
    applicant of Alpha, whom every manager persona may read)."""
    url = reverse("admin:auth_user_password_change", args=[world.alpha_applicant.pk])
    data = {"password1": "another-pass-2026!", "password2": "another-pass-2026!", "usable_password": "true"}
    assert signed_in(client, world.superuser).post(url, data).status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_admin_page_renders_a_password_hash_token_or_key(client, world, persona):
    password_change_logged(client, world)
    secrets = secret_values()
    # Not vacuous: hashes, feed tokens and session keys are stored, and tests hash with MD5 ("md5$...").
    assert all(v.startswith("md5$") for v in secrets["incubator.user.password"]), secrets["incubator.user.password"]
    assert len(secrets["incubator.calendartoken.token"]) == CalendarToken.objects.count() >= 10
    assert secrets["sessions.session.session_key"]
    assert len(secrets["incubator.webhookendpoint.secret"]) == 2
    signed_in(client, world.person(persona))
    shown = 0
    for url in admin_pages(world):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        shown += 1
        page = response.content.decode()
        for pattern in HASH_PATTERNS:
            assert pattern not in page, f"{url} as {persona} shows a password hash ({pattern})"
        for label, values in secrets.items():
            leaked = [v for v in values if v in page]
            assert not leaked, f"{url} as {persona} shows {label}"
    assert shown >= {"staff_reviewer": 1}.get(persona, 30), shown


def test_a_superuser_sees_the_password_masked_and_a_manager_not_at_all(client, world):
    target = world.alpha_manager
    url = reverse("admin:incubator_user_change", args=[target.pk])
    as_root = signed_in(client, world.superuser).get(url).content.decode()
    assert "algorithm" in as_root and "md5" in as_root and target.password not in as_root
    assert 'href="../password/"' in as_root  # Django's button to set a new one
    as_manager = signed_in(client, world.all_programs_manager).get(url)
    assert as_manager.status_code == 200
    shown = {name for _title, options in as_manager.context["adminform"].fieldsets for name in options["fields"]}
    assert "email" in shown and "password" not in shown
    assert "algorithm" not in as_manager.content.decode() and target.password not in as_manager.content.decode()


def test_the_admin_check_refuses_secret_fields_and_raw_id_widgets(db):
    assert check_admin_fields() == []  # every registered admin and inline, at start-up and in `manage.py check`

    class Careless(admin.ModelAdmin):
        readonly_fields = ["password"]
        search_fields = ["email", "calendar_token__token"]
        list_display = ["email", "password"]
        raw_id_fields = ["groups"]

    problems = " ".join(_admin_problems(Careless(User, admin.site)))
    assert "readonly_fields" in problems and "search_fields" in problems and "list_display" in problems
    assert "raw_id_fields" in problems

    class Unlisted(admin.ModelAdmin):  # no fields named: the default form would hold the token
        pass

    assert "exclude it" in " ".join(_admin_problems(Unlisted(CalendarToken, admin.site)))


# --- 2. no raw ids, no name behind an outsider's id ------------------------------------------------------------------


def form_widgets(response):
    """Every widget of the change form and of its inlines (their empty row too), wrappers unwrapped."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or ():
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            widget = field.widget
            while widget is not None:
                yield type(form).__name__, name, widget
                widget = getattr(widget, "widget", None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_admin_form_or_inline_has_a_raw_id_widget(client, world, persona):
    signed_in(client, world.person(persona))
    forms_seen = 0
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        for url in (admin_url(model, "add"), admin_url(model, "change", first.pk) if first else None):
            response = client.get(url) if url else None
            if response is None or response.status_code != 200 or response.context is None:
                continue
            forms_seen += 1
            page = response.content.decode()
            assert "vForeignKeyRawIdAdminField" not in page and "vManyToManyRawIdAdminField" not in page, url
            for form, name, widget in form_widgets(response):
                assert not isinstance(widget, ForeignKeyRawIdWidget | ManyToManyRawIdWidget), (url, form, name)
    assert forms_seen >= {"staff_reviewer": 0}.get(persona, 12), forms_seen


def outsiders(model, limit=2):
    """Rows of `model` named after the other program (the world names each of them "Zeta ...")."""
    found = [obj for obj in model._default_manager.order_by("pk") if "zeta" in str(obj).lower()]
    return found[:limit]


@pytest.mark.parametrize("persona", ["alpha_manager", "staff_reviewer"])
def test_an_add_page_given_an_outsiders_id_does_not_name_them(client, world, persona):
    signed_in(client, world.person(persona))
    probed = set()
    for model in admin.site._registry:
        url = admin_url(model, "add")
        response = client.get(url) if url else None
        if response is None or response.status_code != 200:
            continue
        for name, field in response.context["adminform"].form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            db_field = model._meta.get_field(name)
            for outsider in outsiders(field.queryset.model):
                # A many-to-many initial is a comma-separated list of ids (ModelAdmin.get_changeform_initial_data).
                value = f"{world.alpha.pk},{outsider.pk}" if isinstance(db_field, ManyToManyField) else outsider.pk
                page = client.get(f"{url}?{urlencode({name: value})}")
                assert page.status_code == 200
                body = page.content.decode()
                assert str(outsider) not in body and "zeta" not in body.lower(), (url, name, outsider)
                probed.add(f"{model._meta.label_lower}.{name}")
    if persona == "alpha_manager":
        # The ones the issue names, and the rest of the people and program fields a manager's add pages hold.
        assert {"cohorts.post.author", "cohorts.post.cohort", "applications.conflictofinterest.application"} <= probed
        assert {"applications.conflictofinterest.reviewer", "workspaces.induction.person"} <= probed, probed
        assert {"workspaces.space.programs", "workspaces.resource.space", "applications.call.cohort"} <= probed, probed


def autocomplete_fields():
    """(app_label, model_name, field_name) of every autocomplete of every registered admin and inline."""
    for model, model_admin in admin.site._registry.items():
        for admin_obj in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            for name in admin_obj.autocomplete_fields:
                yield admin_obj.model._meta.app_label, admin_obj.model._meta.model_name, name


def autocomplete(client, app_label, model_name, field_name, term):
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    return client.get(f"{reverse('admin:autocomplete')}?{urlencode(query)}")


@pytest.mark.parametrize("persona", ["alpha_manager", "staff_reviewer"])
def test_the_autocomplete_endpoint_names_nobody_outside_the_viewers_programs(client, world, persona):
    fields = sorted(set(autocomplete_fields()))
    assert ("cohorts", "post", "author") in fields and ("applications", "conflictofinterest", "application") in fields
    signed_in(client, world.person(persona))
    named = 0
    for app_label, model_name, field_name in fields:
        for term in ("", "Zeta", "zeta applicant", world.zeta_manager.email, "Alpha"):
            response = autocomplete(client, app_label, model_name, field_name, term)
            assert response.status_code in (200, 403), (model_name, field_name, response.status_code)
            if response.status_code == 403:
                continue  # the refusal page (it repeats its own address, the term included)
            texts = [row["text"] for row in response.json()["results"]]
            assert not [text for text in texts if "zeta" in text.lower()], (model_name, field_name, term, texts)
            named += len(texts) if term == "Alpha" else 0
    # Not vacuous: the manager finds the people and applications of her own program.
    assert named > 0 if persona == "alpha_manager" else named == 0


def test_the_superuser_does_find_the_other_program_so_the_walks_above_mean_something(client, world):
    signed_in(client, world.superuser)
    found = autocomplete(client, "cohorts", "post", "author", "Zeta").json()["results"]
    assert any("Zeta" in row["text"] for row in found)
    outsider = outsiders(get_user_model())[0]
    page = client.get(f"{reverse('admin:cohorts_post_add')}?author={outsider.pk}").content.decode()
    assert str(outsider) in page


# --- 3. the view-on-site shortcut says nothing of hidden objects -------------------------------------------------


def shortcut_url(model, pk) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, pk])


def answer(client, model, pk):
    response = client.get(shortcut_url(model, pk))
    # The page may name its own address, whole (the sign-in link) or without its language (the debug page's path,
    # where the content type's id could equal the object's): that is the only difference allowed.
    address = shortcut_url(model, pk)
    body = response.content.decode().replace(address, "URL").replace(address.lstrip("/").split("/", 1)[1], "PATH")
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", body)  # the CSRF token is masked afresh in every response
    # The id where an address or a message may carry it, not inside the page's own numbers (a viewport's scale of 1,
    # a class named ms-1): the worker's database starts its ids at 1 after each committing test.
    return response.status_code, re.sub(rf"(?<![-=.\w]){pk}(?![-\w.])", "ID", body)


@pytest.mark.parametrize("debug", [False, True])
def test_the_view_on_site_shortcut_answers_alike_for_a_hidden_and_a_missing_object(
    client, world, settings, monkeypatch, debug
):
    settings.DEBUG = debug  # the debug 404 page would print any message naming the object or its model
    # Give the models an address, so that the shortcut of an object one may see redirects to it.
    for model in (Program, Call, Application, User):
        monkeypatch.setattr(model, "get_absolute_url", lambda self: f"/somewhere/{self.pk}/", raising=False)
    signed_in(client, world.alpha_manager)
    hidden = {
        Program: world.zeta,
        Call: Call.objects.get(slug="zeta"),
        Application: Application.objects.filter(call__slug="zeta").first(),
        User: world.zeta_manager,
    }
    for model, obj in hidden.items():
        missing = model._default_manager.order_by("-pk").first().pk + 1000
        assert answer(client, model, obj.pk) == answer(client, model, missing), model
        assert answer(client, model, obj.pk)[0] == 404
    # A pk that is not a number, and a content type that does not exist, answer the same too.
    assert client.get(shortcut_url(Program, "abc")).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[999999, world.zeta.pk])).status_code == 404
    # The manager's own program still leads to its page.
    own = client.get(shortcut_url(Program, world.alpha.pk))
    assert own.status_code == 302 and own["Location"].endswith(f"/somewhere/{world.alpha.pk}/")


def test_the_shortcut_follows_the_model_admins_own_view_rules(world):
    site = admin.site
    program_type = ContentType.objects.get_for_model(Program).pk
    as_alpha = request_as(world.alpha_manager)
    assert site.visible_object(as_alpha, program_type, world.alpha.pk) == world.alpha
    assert site.visible_object(as_alpha, program_type, world.zeta.pk) is None
    assert site.visible_object(request_as(world.superuser), program_type, world.zeta.pk) == world.zeta
    # A model without an admin (the feed tokens) is nobody's to open this way, a superuser's neither.
    token = CalendarToken.objects.first()
    token_type = ContentType.objects.get_for_model(CalendarToken).pk
    assert site.visible_object(request_as(world.superuser), token_type, token.pk) is None
