import pytest
from django.urls import reverse

from applications.scoring.models import Decision, RegionQuota
from tests.applications.scoring.factories import score, submitted


@pytest.fixture
def ranked_call(call, rita):
    """Six scored applications: four in North (the best), two in South."""
    for n, (region, value) in enumerate(
        [("North", 5), ("North", 5), ("North", 4), ("North", 4), ("South", 3), ("South", 2)]
    ):
        score(submitted(call, name=f"P{n}", region=region), rita, value)
    return call


def regions(call):
    return {r.name: r.pk for r in call.cohort.program.regions.all()}


def test_the_selection_page_proposes_with_regional_minimums_and_explains_each_line(client, ranked_call, maya):
    client.force_login(maya)
    ids = regions(ranked_call)
    url = reverse("scoring:selection", args=[ranked_call.slug])
    response = client.get(url, {"seats": 4, "waitlist_size": 1, f"min_{ids['South']}": 2})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1st in the South quota" in page and "2nd in the South quota" in page
    assert "1st by overall rank (rank 1)" in page
    assert page.count('data-testid="proposal-accept"') == 4
    assert page.count('data-testid="proposal-waitlist"') == 1


def test_an_unmeetable_quota_is_refused_on_the_page(client, ranked_call, maya):
    client.force_login(maya)
    ids = regions(ranked_call)
    url = reverse("scoring:selection", args=[ranked_call.slug])
    response = client.post(url, {"seats": 4, "waitlist_size": 0, f"min_{ids['South']}": 3})
    assert response.status_code == 400
    assert "The minimum of 3 for South cannot be met: only 2 scored eligible applications, 1 short." in (
        response.content.decode()
    )
    assert not Decision.objects.exists()


def test_the_saved_quotas_prefill_the_form(client, ranked_call, maya):
    RegionQuota.objects.create(call=ranked_call, region_id=regions(ranked_call)["South"], minimum=1, maximum=2)
    client.force_login(maya)
    page = client.get(reverse("scoring:selection", args=[ranked_call.slug])).content.decode()
    assert f'name="min_{regions(ranked_call)["South"]}" value="1"' in page


def test_apply_preview_and_publish_once(client, ranked_call, maya, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(maya)
    ids = regions(ranked_call)
    selection_url = reverse("scoring:selection", args=[ranked_call.slug])
    response = client.post(selection_url, {"seats": 4, "waitlist_size": 1, f"min_{ids['South']}": 1})
    decisions_url = reverse("scoring:decisions", args=[ranked_call.slug])
    assert response.url == decisions_url
    assert Decision.objects.filter(status="pending").count() == 6
    assert Decision.objects.get(application__full_name="P4").reason == "1st in the South quota"

    page = client.get(decisions_url).content.decode()
    assert "You are selected for" in page and "waiting list" in page  # previews of each outcome
    assert mailoutbox == [] or all("selected" not in m.subject for m in mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decisions_url)
    results = [m for m in mailoutbox if "/applications/" in m.body and "Dear" in m.body]
    assert len(results) == 6
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decisions_url, follow=True)
    assert "already published" in response.content.decode()
    assert len([m for m in mailoutbox if "/applications/" in m.body and "Dear" in m.body]) == 6
