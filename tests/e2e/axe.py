"""axe-core (vendored from npm, tests/e2e/vendor) run inside the page under test.

`assert_accessible(page)` fails on any serious or critical violation and names each node and rule.

Stock axe 4.10 under-reports right-to-left pages: color-contrast only looks at elements with a text node
that is not an "icon ligature", and its ligature test (`isIconLigature`) draws the first character alone
and then the whole text on a canvas and calls the text a ligature when the two differ a lot. Arabic letters
change shape with their neighbours, so nearly every Arabic text "is" a ligature, and after three such texts
axe decides the whole font family is an icon font and skips Hebrew in it too. `RTL_AWARE_CONTRAST` keeps the
stock matcher but, for an element whose own text holds Hebrew or Arabic letters, runs it with axe's per-font
ligature cache answering "this font has no ligatures", so the heuristic never fires for that text; icon fonts
on Latin text keep the stock behaviour.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("serious", "critical")

RTL_AWARE_CONTRAST = """() => {
  const rule = axe._audit.rules.find((r) => r.id === 'color-contrast');
  if (rule.rtlAware) return;
  const stockMatches = rule.matches;
  // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Arabic Extended and the presentation forms.
  const rtlLetters = /[\\u0590-\\u08FF\\uFB1D-\\uFDFF\\uFE70-\\uFEFF]/;
  // isIconLigature() returns "not a ligature" at once for a font seen 3+ times with no ligature.
  const noLigatureFonts = new Proxy({}, {get: () => ({occurrences: 3, numLigatures: 0})});
  axe.configure({rules: [{id: 'color-contrast', matches(node, virtualNode, context) {
    const ownText = virtualNode.children.filter((child) => child.props.nodeType === 3)
      .map((child) => child.props.nodeValue).join('');
    if (!rtlLetters.test(ownText)) return stockMatches.call(this, node, virtualNode, context);
    const fonts = axe._cache.get('fonts', () => ({}));
    axe._cache.set('fonts', noLigatureFonts);
    try {
      return stockMatches.call(this, node, virtualNode, context);
    } finally {
      axe._cache.set('fonts', fonts);
    }
  }}]});
  axe._audit.rules.find((r) => r.id === 'color-contrast').rtlAware = true;
}"""


def axe_in_every_page(context) -> None:
    """For a browser context that checks nearly every page it opens: axe is put in each new page as it starts (about
    13 ms a page, the browser caching its compilation) instead of evaluated into each page checked (about 50 ms)."""
    context.add_init_script(AXE_SOURCE)


def load_axe(page, *, rtl_aware: bool = True) -> None:
    # Runtime evaluation through the DevTools protocol is not subject to the page's CSP (no inline scripts).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    if rtl_aware:
        page.evaluate(RTL_AWARE_CONTRAST)


def axe_violations(page, impacts=BLOCKING_IMPACTS, *, rtl_aware: bool = True) -> list[dict]:
    load_axe(page, rtl_aware=rtl_aware)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
