"""Every cohort page has its own title naming the cohort, and its drop-downs say what to choose."""

from django.urls import reverse


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
