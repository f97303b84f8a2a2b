"""How `make test` spreads the tests over its pytest-xdist workers.

pytest-xdist's `--dist load` hands out tests in chunks taken in collection order, and `loadfile` whole files: either
way one worker can be left with the long tail (the odd-input sweep's shards are one file, 4 minutes). Here each test
is a unit of its own, handed to whichever worker frees up, except the modules whose tests share a module-scoped
fixture (a reliability stack takes 10–20 seconds to start): those run whole, on one worker, so it starts once.
pytest-xdist's own `loadgroup` would say this with markers, but under pytest 9 it loses the groups."""

from xdist.scheduler import LoadScopeScheduling

KEPT_TOGETHER = ("tests/reliability/",)


class TestsApartScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return path if path.startswith(KEPT_TOGETHER) else nodeid
