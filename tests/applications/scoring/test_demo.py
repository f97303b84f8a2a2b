from applications.models import Call
from applications.scoring.models import ConflictOfInterest, Review, ReviewerAssignment
from applications.scoring.selection import Quota, selection_propose
from applications.scoring.selectors import ranking
from tests.demo import seed_demo_again


def test_the_demo_reviews_rank_and_select_24_across_the_four_regions(seeded_demo):
    seed_demo_again()  # seeded again on top of the demo: nothing doubled
    call = Call.objects.get(slug="kawalis-second-cohort")
    reviews = Review.objects.filter(assignment__call=call, status="submitted")
    assert reviews.values("assignment__reviewer").distinct().count() == 3
    conflict = ConflictOfInterest.objects.get(reviewer__email="salma.reviewer@example.org")
    assert not ReviewerAssignment.objects.filter(application=conflict.application, reviewer=conflict.reviewer).exists()
    rows = ranking(call)
    assert len(rows) >= 40 and all(row.review_count for row in rows)
    quotas = [Quota(q.region_id, q.region.name, q.minimum, q.maximum) for q in call.quotas.select_related("region")]
    proposal = selection_propose(rows=rows, seats=call.seats, quotas=quotas, waitlist_size=6)
    assert len(proposal.accepted) == 24
    assert len({line.row.region_id for line in proposal.accepted}) == 4
    third = ReviewerAssignment.objects.filter(reviewer__email="reviewer@example.org", call__slug="kawalis-third-cohort")
    assert third.count() == 3
    assert third.exclude(review__status="submitted").count() == 3
