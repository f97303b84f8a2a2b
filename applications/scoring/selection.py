"""The selection proposal: quotas first, in rank order, then the remaining seats by overall rank, then a waitlist.

Pure: it reads ranked rows (from `selectors.ranking_positions`, which already applies the stated tie-break) and
returns lines, each with the reason it is where it is. `services.selection_apply` records it."""

from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.scoring.selectors import RankPosition, RankRow
from incubator.errors import ServiceError


class SelectionError(ServiceError):
    """The proposed selection breaks the call's quotas or seats; `problems` lists each, readable by its manager."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Quota:
    region_id: int
    region_name: str
    minimum: int = 0
    maximum: int | None = None


@dataclass
class Line:
    row: RankPosition | RankRow  # the whole row once `Proposal.rows_show` is given it
    outcome: str  # "accept", "waitlist" or "reject"
    reason: str
    waitlist_position: int | None = None


@dataclass
class Proposal:
    seats: int
    accepted: list[Line] = field(default_factory=list)
    waitlist: list[Line] = field(default_factory=list)
    # The candidates below the waitlist, rejected: most of a large call, so their lines are made only when asked
    # for (applying the proposal records them; its page only counts them).
    below: list[RankPosition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[Line]:
        reason = _("Below the waitlist (rank %(rank)s)")
        return [Line(row, "reject", reason % {"rank": row.rank}) for row in self.below]

    @property
    def lines(self) -> list[Line]:
        return self.accepted + self.waitlist + self.rejected

    @property
    def shown(self) -> list[Line]:
        """The lines a page lists (the rest it counts): the accepted, then the waitlist."""
        return self.accepted + self.waitlist

    def rows_show(self, rows: list[RankRow]) -> None:
        """The shown lines' whole rows (name, region, score), read for those lines only."""
        by_id = {row.id: row for row in rows}
        for line in self.shown:
            # An application withdrawn since the ranking was read keeps its number and rank.
            line.row = by_id.get(line.row.id, line.row)


def _check(candidates: list[RankPosition], seats: int, quotas: list[Quota]) -> list[str]:
    """Every reason the quotas cannot be met, naming the region and by how many."""
    problems = []
    minimums = sum(q.minimum for q in quotas)
    if minimums > seats:
        problems.append(
            _("The regional minimums add up to %(total)s seats, %(over)s more than the %(seats)s seats.")
            % {"total": minimums, "over": minimums - seats, "seats": seats}
        )
    for quota in quotas:
        available = sum(1 for row in candidates if row.region_id == quota.region_id)
        if available < quota.minimum:
            problems.append(
                ngettext(
                    "The minimum of %(minimum)s for %(region)s cannot be met: only %(available)s scored eligible "
                    "application, %(short)s short.",
                    "The minimum of %(minimum)s for %(region)s cannot be met: only %(available)s scored eligible "
                    "applications, %(short)s short.",
                    available,
                )
                % {
                    "minimum": quota.minimum,
                    "region": quota.region_name,
                    "available": available,
                    "short": quota.minimum - available,
                }
            )
    return problems


def _accept_quota_minimums(proposal: Proposal, candidates: list[RankPosition], quotas: list[Quota], taken, per_region):
    for quota in quotas:
        regional = [row for row in candidates if row.region_id == quota.region_id][: quota.minimum]
        for place, row in enumerate(regional, start=1):
            reason = _("%(place)s in the %(region)s quota") % {"place": ordinal(place), "region": quota.region_name}
            proposal.accepted.append(Line(row, "accept", reason))
            taken.add(row.id)
            per_region[row.region_id] = per_region.get(row.region_id, 0) + 1


def _accept_by_rank(proposal: Proposal, candidates: list[RankPosition], quotas: list[Quota], taken, per_region):
    """The remaining seats by overall rank, skipping regions already at their quota's maximum."""
    by_region = {q.region_id: q for q in quotas}
    overall_place = 0
    for row in candidates:
        if len(proposal.accepted) >= proposal.seats:
            break
        if row.id in taken:
            continue
        quota = by_region.get(row.region_id)
        if quota and quota.maximum is not None and per_region.get(row.region_id, 0) >= quota.maximum:
            continue
        overall_place += 1
        reason = _("%(place)s by overall rank (rank %(rank)s)") % {"place": ordinal(overall_place), "rank": row.rank}
        proposal.accepted.append(Line(row, "accept", reason))
        taken.add(row.id)
        per_region[row.region_id] = per_region.get(row.region_id, 0) + 1


def _waitlist_the_rest(proposal: Proposal, candidates: list[RankPosition], taken, waitlist_size: int) -> None:
    for row in candidates:
        if row.id in taken:
            continue
        if len(proposal.waitlist) < waitlist_size:
            position = len(proposal.waitlist) + 1
            reason = _("Waitlist position %(position)s (rank %(rank)s)") % {"position": position, "rank": row.rank}
            proposal.waitlist.append(Line(row, "waitlist", reason, waitlist_position=position))
        else:
            proposal.below.append(row)


def _notes(proposal: Proposal, rows: list[RankPosition]) -> None:
    unscored = [row for row in rows if not row.review_count]
    if unscored:
        proposal.notes.append(
            ngettext(
                "%(count)s eligible application has no submitted review and is not a candidate.",
                "%(count)s eligible applications have no submitted review and are not candidates.",
                len(unscored),
            )
            % {"count": len(unscored)}
        )
    if len(proposal.accepted) < proposal.seats:
        proposal.notes.append(
            _("Only %(count)s candidates for %(seats)s seats: %(empty)s seats stay empty.")
            % {
                "count": len(proposal.accepted),
                "seats": proposal.seats,
                "empty": proposal.seats - len(proposal.accepted),
            }
        )


def selection_propose(*, rows: list[RankPosition], seats: int, quotas: list[Quota], waitlist_size: int) -> Proposal:
    """Raises SelectionError when a quota cannot be met; applications without any review are not candidates.
    `rows` may be whole `RankRow`s too: the proposal reads their id, region, review count and rank."""
    candidates = sorted((row for row in rows if row.review_count), key=lambda row: row.rank)
    quotas = [q for q in quotas if q.minimum or q.maximum is not None]
    problems = _check(candidates, seats, quotas)
    if problems:
        raise SelectionError(problems)
    proposal = Proposal(seats=seats)
    taken: set[int] = set()
    per_region: dict[int | None, int] = {}
    _accept_quota_minimums(proposal, candidates, quotas, taken, per_region)
    _accept_by_rank(proposal, candidates, quotas, taken, per_region)
    proposal.accepted.sort(key=lambda line: line.row.rank)
    _waitlist_the_rest(proposal, candidates, taken, waitlist_size)
    _notes(proposal, rows)
    return proposal
