"""The workspaces section and the "new space / new resource" buttons of a program's home
(cohorts.program_home_panels)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workspaces import selectors


def spaces_section(request, program):
    """Five queries: the spaces' week (four) and the subsidy plans with what they spent."""
    context = {
        "program": program,
        "weeks": selectors.program_spaces_week(program),
        "plans": list(selectors.program_plans(program)),
    }
    return render_to_string("workspaces/_program_home.html", context, request=request)


def new_space_actions(request, program):
    """The "new space" button pre-filled with the program, "new resource" with its space when it has exactly one:
    one query."""
    spaces = list(program.spaces.order_by("name").values_list("pk", flat=True)[:2])
    space_url = reverse("admin:workspaces_space_add") + "?" + urlencode({"programs": program.pk})
    resource_url = reverse("admin:workspaces_resource_add")
    if len(spaces) == 1:
        resource_url += "?" + urlencode({"space": spaces[0]})
    html = render_to_string(
        "cohorts/_program_home_action.html",
        {"url": space_url, "label": _("New space"), "testid": "new-space"},
        request=request,
    )
    if spaces:
        html += render_to_string(
            "cohorts/_program_home_action.html",
            {"url": resource_url, "label": _("New desk, room or equipment"), "testid": "new-resource"},
            request=request,
        )
    return html
