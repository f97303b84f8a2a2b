"""Sections and setup buttons other apps add to a program's home (`/programs/<slug>/`), so that cohorts imports
none of them. Each app registers its own in its AppConfig.ready, as it does for cohorts.dashboard_panels.

A section is `func(request, program) -> SafeString | None`: safe HTML rendered by its app, or None to show nothing.
A setup action is the same kind of function returning one button (or a small form) for the "Program setup" bar.
Both are shown in the order of `position`, then of registration; each runs a fixed number of queries."""

from collections.abc import Callable

from django.utils.safestring import SafeString

Section = Callable[..., SafeString | None]
_sections: list[tuple[int, Section]] = []
_setup_actions: list[tuple[int, Section]] = []


def _register(registry: list, func: Section, position: int) -> Section:
    if all(existing is not func for _position, existing in registry):
        registry.append((position, func))
        registry.sort(key=lambda entry: entry[0])
    return func


def register_section(func: Section | None = None, *, position: int = 100):
    """Usable as `register_section(func, position=10)` or as a decorator."""
    if func is None:
        return lambda inner: _register(_sections, inner, position)
    return _register(_sections, func, position)


def register_setup_action(func: Section | None = None, *, position: int = 100):
    if func is None:
        return lambda inner: _register(_setup_actions, inner, position)
    return _register(_setup_actions, func, position)


def _render(registry, request, program) -> list[SafeString]:
    return [html for html in (func(request, program) for _position, func in registry) if html]


def render_sections(request, program) -> list[SafeString]:
    return _render(_sections, request, program)


def render_setup_actions(request, program) -> list[SafeString]:
    return _render(_setup_actions, request, program)
