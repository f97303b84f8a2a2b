import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cohorts.forms import PHOTO_MAX_BYTES
from cohorts.models import MemberProfile
from tests.cohorts.conftest import PNG
from tests.factories import UserFactory, accept


def _profile(person, **fields):
    MemberProfile.objects.update_or_create(user=person, defaults=fields)


@pytest.fixture
def directory_url(cohort):
    return reverse("cohorts:directory", args=[cohort.slug])


@pytest.fixture
def photographer(cohort, north):
    person = UserFactory(name="Pnina Photographer")
    accept(cohort, person, region=north, venture_name="Pnina Pictures", venture_field="photography")
    _profile(person, field="photography", skills=["portraits", "lighting"], offers="Product shoots",
             contact_email="pnina@studio.example", contact_phone="+972-50-555-0101", contact_consent=True)  # fmt: skip
    return person


@pytest.fixture
def designer(cohort):
    person = UserFactory(name="Dov Designer")
    accept(cohort, person, region=cohort.program.regions.get(name="South"))
    _profile(person, field="graphic_design", skills=["logos"], needs="A photographer for a client",
             contact_email="dov@hidden.example", contact_phone="+972-50-555-0199", contact_consent=False)  # fmt: skip
    return person


def test_directory_shows_cards_with_field_skills_offers_needs_and_venture(client, directory_url, member, photographer,
                                                                          designer):  # fmt: skip
    client.force_login(member)
    page = client.get(directory_url).text
    for text in ["Pnina Photographer", "Dov Designer", "Mira Member", "portraits", "Product shoots",
                 "A photographer for a client", "Pnina Pictures"]:  # fmt: skip
        assert text in page


def test_contact_details_show_only_with_consent(client, directory_url, member, photographer, designer):
    client.force_login(member)
    page = client.get(directory_url).text
    assert "pnina@studio.example" in page and "+972-50-555-0101" in page
    assert "dov@hidden.example" not in page and "+972-50-555-0199" not in page


def test_contact_without_consent_stays_out_of_the_csv_too(client, cohort, manager, designer, photographer):
    client.force_login(manager)
    csv = client.get(reverse("cohorts:members_csv", args=[cohort.slug])).content.decode()
    assert "+972-50-555-0101" in csv
    assert "+972-50-555-0199" not in csv


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"field": "photography"}, {"Pnina Photographer"}),
        ({"skill": "logos"}, {"Dov Designer"}),
        ({"q": "client"}, {"Dov Designer"}),
        ({"q": "PORTRAIT"}, {"Pnina Photographer"}),
        ({"q": "pictures"}, {"Pnina Photographer"}),
        ({"q": "nobody-like-this"}, set()),
    ],
    ids=["field", "skill", "search-needs", "search-skills-any-case", "search-venture", "no-match"],
)
def test_directory_search_and_filters(client, directory_url, member, photographer, designer, query, expected):
    client.force_login(member)
    members = client.get(directory_url, query).context["members"]
    assert {m.person.name for m in members} == expected


def test_region_filter(client, directory_url, north, member, photographer, designer):
    client.force_login(member)
    members = client.get(directory_url, {"region": north.pk}).context["members"]
    assert {m.person.name for m in members} == {"Mira Member", "Pnina Photographer"}


def test_member_completes_profile_with_a_photo(client, cohort, member):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"headline": "צלמת", "field": "photography", "skills": "צילום, תאורה, צילום", "offers": "x",
         "languages": "עברית", "photo": SimpleUploadedFile("me.png", PNG, content_type="image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user=member)
    assert profile.skills == ["צילום", "תאורה"]
    assert profile.photo.name.startswith(f"profiles/{member.pk}/") and profile.photo.name.endswith(".png")
    assert not profile.contact_consent

    photo = client.get(reverse("cohorts:member_photo", args=[cohort.slug, member.pk]))
    assert photo.status_code == 200
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (1, 1)


def test_a_file_that_is_not_an_image_is_refused(client, cohort, member):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not MemberProfile.objects.filter(user=member).exists()


def test_photos_are_not_served_to_other_cohorts(client, cohort, member, other_member):
    _profile(member, photo=SimpleUploadedFile("me.png", PNG))
    client.force_login(other_member)
    assert client.get(reverse("cohorts:member_photo", args=[cohort.slug, member.pk])).status_code == 404


@pytest.mark.parametrize("size", [1, 30])
def test_directory_runs_a_fixed_number_of_queries(client, cohort, north, manager, django_assert_num_queries, size):
    for number in range(size):
        person = UserFactory()
        accept(cohort, person, region=north, venture_name=f"Venture {number}", venture_field="video")
        _profile(person, field="video", skills=[f"skill {number}", "editing"], contact_consent=True,
                 contact_email=f"c{number}@example.org")  # fmt: skip
    client.force_login(manager)
    # 1 session, 2 user, 3 the user's groups (roles, cached on the request), 4 the cohort with the viewer's roles,
    # 5 the program's regions (filter), 6 the skills in the cohort (filter), 7 the number of members (pager), 8 the
    # page's members with person, profile and region, 9 their ventures in this cohort (prefetch).
    with django_assert_num_queries(9):
        response = client.get(reverse("cohorts:directory", args=[cohort.slug]), {"region": north.pk})
    assert len(response.context["members"]) == size


# A PNG whose bytes also carry HTML: served as text/html it would run in the portal's origin.
POLYGLOT = PNG + b"<html><script>alert(document.cookie)</script></html>"


def _jpeg(size=(40, 30), exif=None) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "teal").save(output, format="JPEG", **({"exif": exif} if exif else {}))
    return output.getvalue()


JPEG = _jpeg()


@pytest.mark.parametrize("name", ["me.html", "me.svg", "me", "me.png.html", "me.jpg"])
def test_a_photo_whose_name_does_not_match_its_content_is_refused(client, cohort, member, name):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile(name, POLYGLOT, content_type="image/png")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not MemberProfile.objects.filter(user=member).exists()


def test_a_photo_is_stored_under_a_random_name_with_the_extension_of_its_content(client, cohort, member):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("My Portrait.JPEG", JPEG, content_type="image/jpeg")},
    )
    assert response.status_code == 302
    name = MemberProfile.objects.get(user=member).photo.name
    assert name.startswith(f"profiles/{member.pk}/") and name.endswith(".jpg") and "Portrait" not in name


def test_a_photo_is_served_as_its_image_type_with_nosniff_and_a_sandbox(client, cohort, member, second_member):
    client.force_login(member)
    client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("me.png", PNG, content_type="image/png")},
    )
    client.force_login(second_member)
    response = client.get(reverse("cohorts:member_photo", args=[cohort.slug, member.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(PNG[:8])


def test_a_photo_is_drawn_again_so_location_metadata_and_appended_markup_are_dropped(client, cohort, member):
    exif = Image.Exif()
    exif[0x8825] = {2: (31.0, 46.0, 0.0), 1: "N"}  # GPS: latitude of Jerusalem
    exif[0x010E] = "home studio"  # ImageDescription
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("me.jpg", _jpeg(exif=exif) + b"<script>x</script>", content_type="image/jpeg")},
    )
    assert response.status_code == 302
    stored = MemberProfile.objects.get(user=member).photo.open("rb").read()
    assert b"<script>" not in stored and b"home studio" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_decompression_bomb_is_refused(client, cohort, member):
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, format="PNG")  # a few kB on disk, 100 megapixels in memory
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("me.png", output.getvalue(), content_type="image/png")},
    )
    assert response.status_code == 200
    assert "40 megapixels" in str(response.context["form"].errors["photo"])
    assert not MemberProfile.objects.filter(user=member).exists()


def test_a_big_photo_is_scaled_down(client, cohort, member):
    client.force_login(member)
    client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("me.jpg", _jpeg(size=(3000, 2000)), content_type="image/jpeg")},
    )
    assert Image.open(MemberProfile.objects.get(user=member).photo.open("rb")).size == (1200, 800)


def test_a_stored_file_is_served_by_its_content_never_by_its_name(client, cohort, member, second_member):
    """A photo stored before the fix under an `.html` name is still served as an image, and a non-image not at all."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    profile = MemberProfile.objects.create(user=member)
    profile.photo.name = default_storage.save(f"profiles/{member.pk}/old.html", ContentFile(POLYGLOT))
    profile.save()
    client.force_login(second_member)
    url = reverse("cohorts:member_photo", args=[cohort.slug, member.pk])
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"

    profile.photo.name = default_storage.save(f"profiles/{member.pk}/page.html", ContentFile(b"<script>x</script>"))
    profile.save()
    assert client.get(url).status_code == 404


def test_the_directory_is_paged_and_the_pager_keeps_the_filters(client, cohort, north, manager):
    for number in range(32):
        accept(cohort, UserFactory(name=f"Member {number:02d}"), region=north)
    client.force_login(manager)
    url = reverse("cohorts:directory", args=[cohort.slug])
    first = client.get(url, {"region": north.pk})
    assert len(first.context["members"]) == 30
    assert "32 members" in first.content.decode()
    assert f'href="?region={north.pk}&amp;page=2"' in first.content.decode()
    second = client.get(url, {"region": north.pk, "page": 2})
    assert [m.person.name for m in second.context["members"]] == ["Member 30", "Member 31"]
    assert client.get(url, {"page": "nonsense"}).status_code == 200


def test_a_twelve_megapixel_phone_photo_is_taken_and_drawn_again_at_1200_pixels(client, cohort, member):
    output = io.BytesIO()
    Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3)).save(output, format="JPEG", quality=80)
    assert 3 * 1024 * 1024 < len(output.getvalue()) < PHOTO_MAX_BYTES  # refused before, at 3 MB
    client.force_login(member)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {"photo": SimpleUploadedFile("IMG_0042.jpg", output.getvalue(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    with Image.open(MemberProfile.objects.get(user=member).photo.open("rb")) as stored:
        assert stored.size == (1200, 900)


def test_the_photo_limit_is_said_beside_the_field_and_checked_on_choosing(client, cohort, member):
    client.force_login(member)
    url = reverse("cohorts:profile_edit", args=[cohort.slug])
    page = client.get(url).content.decode()
    assert "up to 15 MB" in page and f'data-max-bytes="{PHOTO_MAX_BYTES}"' in page
    too_large = SimpleUploadedFile("big.jpg", JPEG + b"\0" * PHOTO_MAX_BYTES, content_type="image/jpeg")
    response = client.post(url, {"photo": too_large, "headline": "Kept"})
    assert response.context["form"].errors["photo"] == ["The photo is larger than 15 MB; choose a smaller one."]
    assert 'value="Kept"' in response.content.decode()
