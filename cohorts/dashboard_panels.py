"""Panels other apps add to a cohort's manager dashboard, so that cohorts imports none of them.

A panel is `func(request, cohort) -> str | None`: safe HTML rendered by its app, or None to show nothing."""

from collections.abc import Callable

from django.utils.safestring import SafeString

Panel = Callable[..., SafeString | None]
_panels: list[Panel] = []


def register_panel(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def render_panels(request, cohort) -> list[SafeString]:
    return [html for html in (panel(request, cohort) for panel in _panels) if html]
