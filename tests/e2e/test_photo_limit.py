"""On a phone, a photo over the limit is refused the moment it is chosen, in the page's language."""

from cohorts.forms import PHOTO_MAX_BYTES
from tests.e2e.test_accessibility import PHONE, signed_in


def test_a_photo_over_the_limit_is_refused_when_chosen(seeded_demo, live_server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        signed_in(page, live_server.url, "participant@example.org")
        page.goto(f"{live_server.url}/ar/cohorts/bizup-2026/profile/")
        photo = page.locator("input[name=photo]")
        photo.set_input_files(
            {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": b"\0" * (PHOTO_MAX_BYTES + 1)}
        )
        assert "الصورة أكبر من 15 ميغابايت" in photo.evaluate("input => input.validationMessage")
        photo.set_input_files({"name": "small.jpg", "mimeType": "image/jpeg", "buffer": b"\0" * 1000})
        assert photo.evaluate("input => input.validationMessage") == ""
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
