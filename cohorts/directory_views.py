"""The cohorts index and a cohort's directory: members' profiles and their private photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cohorts import access, selectors
from cohorts.alumni import survey_waiting
from cohorts.cohort_page import cohort_page
from cohorts.forms import DirectoryFilterForm, ProfileForm
from cohorts.models import MemberProfile
from cohorts.photos import sniff_photo

# A country-wide cohort has hundreds of members: 30 cards a page keep the page light (see docs/performance.md).
DIRECTORY_PAGE_SIZE = 30


@login_required
def cohort_index(request):
    return render(request, "cohorts/index.html", {"cohorts": access.cohorts_for(request.user)})


@login_required
def directory(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    regions = list(cohort.program.regions.all())
    form = DirectoryFilterForm(request.GET or None, regions=regions, skills=selectors.directory_skills(cohort))
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.directory_members(
        cohort,
        q=filters.get("q", ""),
        field=filters.get("field", ""),
        skill=filters.get("skill", ""),
        region_id=filters.get("region"),
    )
    page_obj = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "members": selectors.directory_cards(page_obj.object_list, cohort),
        "page_obj": page_obj,
        # The pager's links keep the filters.
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page" and k in form.fields and v}),
        "filtered": bool(filters and any(filters.values())),
        "alumni_survey_waiting": survey_waiting(request.user, cohort),
    }
    return cohort_page(request, "cohorts/directory.html", cohort, context, tab="directory")


@login_required
def profile_edit(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not cohort.viewer_is_member:
        raise PermissionDenied
    profile = MemberProfile.objects.filter(user=request.user).first() or MemberProfile(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("cohorts:directory", cohort.slug)
    return cohort_page(request, "cohorts/profile_form.html", cohort, {"form": form}, tab="directory")


@login_required
def member_photo(request, slug, user_id):
    """Photos are private to the cohort: served only to those who may open its directory."""
    cohort = access.get_cohort_for(request.user, slug)
    profile = get_object_or_404(
        MemberProfile,
        user_id=user_id,
        user__memberships__cohort=cohort,
        user__memberships__status__in=access.COMMUNITY_STATUSES,
    )
    if not profile.photo:
        raise Http404
    photo = profile.photo.open("rb")
    # The bytes decide the content type, never the stored name: anything that is not a photo is not served.
    mime = sniff_photo(photo)
    if mime is None:
        photo.close()
        raise Http404
    response = FileResponse(photo, content_type=mime)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
