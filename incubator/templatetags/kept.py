"""`{% kept key … %}…{% endkept %}`: a fragment rendered once per distinct key, then kept in this process.

For the markup that is slow to render and rarely changes: the week grid's rows (a space of 200 resources has over
a thousand slots) and the directory's cards. The key is everything the fragment shows (`workspaces.cells`,
`cohorts.selectors.directory_cards`), so whatever changes what it shows (a booking, a price, a name, the page's
language) changes its key and the fragment is rendered again; the others come from here. Keys are compared whole,
never as digests: two different fragments cannot share one."""

import threading
from collections import OrderedDict

from django import template

register = template.Library()

# A few weeks of a few spaces and a few directories, in every language: 1-2 kB each.
KEPT_FRAGMENTS = 4000


class _Kept:
    """The most recently used fragments, by key."""

    def __init__(self, size: int):
        self.size = size
        self.fragments: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key) -> str | None:
        with self.lock:
            fragment = self.fragments.get(key)
            if fragment is not None:
                self.fragments.move_to_end(key)
            return fragment

    def put(self, key, fragment: str) -> None:
        with self.lock:
            self.fragments[key] = fragment
            if len(self.fragments) > self.size:
                self.fragments.popitem(last=False)


KEPT = _Kept(KEPT_FRAGMENTS)


class KeptNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist, self.keys = nodelist, keys

    def render(self, context):
        key = tuple(part.resolve(context) for part in self.keys)
        if key[0] is None:  # nothing to keep it by: rendered every time
            return self.nodelist.render(context)
        fragment = KEPT.get(key)
        if fragment is None:
            fragment = self.nodelist.render(context)
            KEPT.put(key, fragment)
        return fragment


@register.tag
def kept(parser, token):
    """`{% kept row.key testid %}`: the first value is the fragment's key (None: do not keep), the others what the
    fragment reads besides it."""
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not keys:
        raise template.TemplateSyntaxError("{% kept %} needs a key.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, keys)
