"""Text at 200 % (a reader's browser setting, WCAG 1.4.4): the navigation still fits its bar, in every language, at a
desk and on a phone with the menu open. Before, links spilled past the dark bar's edge: white on white, and off the
page in Arabic."""

from tests.e2e.phone import PHONE
from tests.e2e.test_accessibility import signed_in

LANGUAGES = ("en", "he", "ar", "fr", "pl")

# The browser's text size doubles the root font size, which every rem of the style sheets follows.
_OUTSIDE_THE_BAR = """() => {
  document.documentElement.style.fontSize = '200%';
  const toggler = document.querySelector('.navbar-toggler');
  if (toggler && getComputedStyle(toggler).display !== 'none' && toggler.getAttribute('aria-expanded') !== 'true') {
    document.getElementById('main-nav').classList.add('show');
  }
  const bar = document.querySelector('nav.navbar').getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('nav.navbar a, nav.navbar button, nav.navbar select')]
    .filter(e => e.checkVisibility() && !e.closest('.dropdown-menu'))
    .filter(e => { const r = e.getBoundingClientRect();
      return r.left < Math.max(bar.left, 0) - 1 || r.right > Math.min(bar.right, width) + 1
        || r.top < bar.top - 1 || r.bottom > bar.bottom + 1; })
    .map(e => { const r = e.getBoundingClientRect();
      return `${e.outerHTML.slice(0, 60)} at ${[r.left, r.top, r.right, r.bottom].map(Math.round)}`; });
}"""


def outside_the_bar(context, base, email, paths) -> list[str]:
    page = context.new_page()
    signed_in(page, base, email)
    found = []
    for path in paths:
        for language in LANGUAGES:
            page.goto(f"{base}{'' if language == 'en' else '/' + language}{path}")
            found += [f"{path} ({language}): {link}" for link in page.evaluate(_OUTSIDE_THE_BAR)]
    return found


def test_the_navigation_fits_its_bar_at_200_percent_text(seeded_demo, live_server, browser):
    found = []
    for device in ({"viewport": {"width": 1280, "height": 900}}, PHONE):
        context = browser.new_context(**device)
        try:
            found += outside_the_bar(context, live_server.url, "manager@example.org", ["/"])
        finally:
            context.close()
    assert not found, "\n".join(found)
