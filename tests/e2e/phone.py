"""The phone check (issue 19): a page at 390×844 is no wider than the screen, and every control on it can be tapped,
that is, the element at its centre is the control itself (or its label), not something laid over it."""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# One pass in the page: each visible control is scrolled to the middle of the screen (and of any scrolling box it is
# in) and asked who is on top at its centre. Controls hidden on purpose (a skip link, a collapsed menu, a check box
# drawn by its label) are not tapped there and are left out.
_LAYOUT = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    // The culprits: elements wider than the screen inside a parent that is not, and not in a box scrolling them
    // (an absolutely placed one escapes a box that is not positioned: a visually hidden column title did).
    const sticksOut = e => {
      const r = e.getBoundingClientRect();
      return r.width && (r.right > width + 1 || r.left < -1);
    };
    const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const wide = [...document.body.querySelectorAll('*')]
      .filter(e => sticksOut(e) && !sticksOut(e.parentElement) && !scrolls(e.parentElement))
      .filter(e => getComputedStyle(e).position === 'absolute'
        || ![...document.querySelectorAll('*')].some(s => scrolls(s) && s !== e && s.contains(e)))
      .slice(0, 3).map(e => e.outerHTML.slice(0, 160));
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide: ${wide.join(' | ')}`);
  }
  const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const control of controls) {
    const style = getComputedStyle(control);
    if (!control.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (style.pointerEvents === 'none' || control.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    const box = control.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    control.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const at = control.getBoundingClientRect();
    const x = at.left + at.width / 2, y = at.top + at.height / 2;
    if (x < 0 || y < 0 || x > width || y > window.innerHeight) {
      problems.push(`off the screen: ${control.outerHTML.slice(0, 120)}`);
      continue;
    }
    const top = document.elementFromPoint(x, y);
    const label = top && top.closest('label');
    if (top && (control.contains(top) || top.contains(control) && top === control.parentElement
        || (label && label.control === control))) continue;
    problems.push(`covered by ${top ? top.outerHTML.slice(0, 80) : 'nothing'}: ${control.outerHTML.slice(0, 120)}`);
  }
  window.scrollTo({top: 0, left: 0, behavior: 'instant'});
  return problems;
}"""


def layout_problems(page) -> list[str]:
    return page.evaluate(_LAYOUT)


def in_view(page, selector: str) -> bool:
    """Whether the element is on the screen now, without scrolling: feedback a person sees where they tapped."""
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
           return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )
