import pytest

from applications.scoring.selection import Quota, SelectionError, selection_propose
from applications.scoring.selectors import RankRow

NAMES = {1: "Souss-Massa", 2: "Oriental", 3: "Fès-Meknès"}


def row(n, region, score=None, reviews=3):
    return RankRow(
        id=n, full_name=f"P{n}", region_id=region, region_name=NAMES[region],
        status="submitted", submitted_at=None, decision_outcome=None, decision_status=None, decision_reason="",
        review_count=reviews, mean=score, median=score, stddev=0, normalised=score, score=score if reviews else None,
        yes=0, maybe=0, no=0, rank=n, total=0,
    )  # fmt: skip


def ranked(*regions):
    """Rows already in rank order (rank = position), one region id each."""
    return [row(n, region, score=100 - n) for n, region in enumerate(regions, start=1)]


SOUSS, ORIENTAL, FES = (Quota(1, "Souss-Massa"), Quota(2, "Oriental"), Quota(3, "Fès-Meknès"))


def quota(base, minimum=0, maximum=None):
    return Quota(base.region_id, base.region_name, minimum, maximum)


def test_minimums_are_filled_in_rank_order_then_the_rest_by_overall_rank():
    rows = ranked(2, 2, 2, 1, 2, 1, 3)
    proposal = selection_propose(rows=rows, seats=4, quotas=[quota(SOUSS, 2)], waitlist_size=2)
    assert [line.row.id for line in proposal.accepted] == [1, 2, 4, 6]
    reasons = {line.row.id: line.reason for line in proposal.accepted}
    assert reasons[4] == "1st in the Souss-Massa quota"
    assert reasons[6] == "2nd in the Souss-Massa quota"
    assert reasons[1] == "1st by overall rank (rank 1)"
    assert [line.row.id for line in proposal.waitlist] == [3, 5]
    assert proposal.waitlist[0].reason == "Waitlist position 1 (rank 3)"
    assert [line.row.id for line in proposal.rejected] == [7]


def test_a_maximum_skips_a_full_region():
    rows = ranked(2, 2, 2, 1, 3)
    proposal = selection_propose(rows=rows, seats=3, quotas=[quota(ORIENTAL, 0, 1)], waitlist_size=5)
    assert [line.row.id for line in proposal.accepted] == [1, 4, 5]
    assert [line.row.id for line in proposal.waitlist] == [2, 3]


def test_an_unmeetable_minimum_is_refused_naming_the_region_and_the_shortfall():
    rows = ranked(2, 2, 1, 3)
    with pytest.raises(SelectionError) as refused:
        selection_propose(rows=rows, seats=4, quotas=[quota(SOUSS, 3), quota(FES, 1)], waitlist_size=0)
    assert refused.value.problems == [
        "The minimum of 3 for Souss-Massa cannot be met: only 1 scored eligible application, 2 short."
    ]


def test_minimums_above_the_seats_are_refused():
    rows = ranked(1, 1, 2, 2)
    with pytest.raises(SelectionError, match="add up to 4 seats, 1 more than the 3 seats"):
        selection_propose(rows=rows, seats=3, quotas=[quota(SOUSS, 2), quota(ORIENTAL, 2)], waitlist_size=0)


def test_fewer_candidates_than_seats_accepts_all_and_says_how_many_seats_stay_empty():
    rows = ranked(1, 2) + [row(3, 3, reviews=0)]
    proposal = selection_propose(rows=rows, seats=24, quotas=[], waitlist_size=5)
    assert [line.row.id for line in proposal.accepted] == [1, 2]
    assert proposal.waitlist == []
    assert "Only 2 candidates for 24 seats: 22 seats stay empty." in proposal.notes
    assert "1 eligible application has no submitted review and is not a candidate." in proposal.notes


def test_a_tie_at_the_last_seat_follows_the_rank_order_of_the_stated_tie_break():
    # Rows 2 and 3 have the same score; the ranking selector already ordered them by the tie-break
    # (higher median, then earlier submission), so the rank decides who takes the last seat.
    rows = [row(1, 1, score=90), row(2, 2, score=80), row(3, 3, score=80)]
    proposal = selection_propose(rows=rows, seats=2, quotas=[], waitlist_size=1)
    assert [line.row.id for line in proposal.accepted] == [1, 2]
    assert proposal.waitlist[0].row.id == 3


def test_ties_inside_a_regional_quota_follow_the_rank_too():
    rows = [row(1, 2, score=90), row(2, 1, score=70), row(3, 1, score=70)]
    proposal = selection_propose(rows=rows, seats=2, quotas=[quota(SOUSS, 1)], waitlist_size=1)
    assert {line.row.id for line in proposal.accepted} == {1, 2}
