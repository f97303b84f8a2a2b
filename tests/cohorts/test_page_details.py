"""Small things the first users noticed on the cohort pages: titles, prompts, counts over the places."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from cohorts.models import Membership
from cohorts.services import membership_status_change
from tests.factories import UserFactory, accept


def test_every_cohort_page_has_its_own_title(client, cohort, member, manager, post, initiative):
    client.force_login(manager)
    pages = [
        reverse("cohorts:directory", args=[cohort.slug]),
        reverse("cohorts:board", args=[cohort.slug]),
        reverse("cohorts:initiatives", args=[cohort.slug]),
        reverse("cohorts:dashboard", args=[cohort.slug]),
        reverse("cohorts:post_detail", args=[cohort.slug, post.pk]),
        reverse("cohorts:initiative_detail", args=[cohort.slug, initiative.pk]),
    ]
    titles = []
    for page in pages:
        html = client.get(page).content.decode()
        titles.append(html[html.index("<title>") : html.index("</title>")])
    assert len(set(titles)) == len(pages)
    assert all(cohort.name in title for title in titles)


def test_selects_say_what_to_choose(client, cohort, member, manager):
    client.force_login(manager)
    html = client.get(reverse("cohorts:member_invite", args=[cohort.slug])).content.decode()
    assert "No region" in html and "---------" not in html
    client.force_login(member)
    html = client.get(reverse("cohorts:board", args=[cohort.slug])).content.decode()
    assert "---------" not in html


def test_the_dashboard_explains_more_members_than_places(client, cohort, member, manager):
    cohort.capacity = 2
    cohort.save()
    people = [accept(cohort, UserFactory()) for _ in range(2)]
    membership_status_change(membership=people[0], status="withdrawn", reason="Moved away", by=manager)
    client.force_login(manager)
    html = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    assert 'data-testid="members-over-places"' in html
    assert "The count includes 1 member who withdrew." in html
    assert Membership.objects.filter(cohort=cohort).count() == 3


def test_charts_are_mirrored_right_to_left(client, cohort, manager):
    client.force_login(manager)
    html = client.get(f"/he{reverse('cohorts:dashboard', args=[cohort.slug])}").content.decode()
    assert 'dir="rtl"' in html
    script = Path(finders.find("js/cohort_dashboard.js")).read_text(encoding="utf-8")
    assert 'position: rtl ? "right" : "left"' in script and "reverse: rtl" in script
