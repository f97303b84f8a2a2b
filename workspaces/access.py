"""Who books where. `get_space_for` is every space view's one gate; bookings are fetched through the person;
who may book and who may record inductions are answered here too."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from cohorts.access import managed_program_ids
from cohorts.models import Membership
from incubator.models import User
from workspaces.models import Booking, Space


def _member_q(user, program_ids) -> Q:
    """Spaces used by a program (of `program_ids`, unless None) in which the user is an active participant."""
    memberships = Membership.objects.filter(
        person=user,
        status=Membership.Status.ACTIVE,
        cohort__program__spaces=OuterRef("pk"),
    )
    if program_ids is not None:
        memberships = memberships.filter(cohort__program_id__in=program_ids)
    return Q(Exists(memberships))


def _staff_q(user, managed_ids) -> Q:
    ids = managed_program_ids(user) if managed_ids is None else managed_ids
    if ids is None:
        return Q(pk__isnull=False)
    return Q(Exists(Space.programs.through.objects.filter(space=OuterRef("pk"), program_id__in=ids)))


def spaces_for(user, *, program_ids: frozenset[int] | None = None, managed_ids: frozenset[int] | None = None):
    """The spaces the user may book in, each annotated with `viewer_is_staff` (manages a program using it).
    An API token narrows them to its programs: `program_ids`, those the person holds a role in, and `managed_ids`,
    those of them the person manages (cohorts/api.py)."""
    if not user.is_authenticated:
        return Space.objects.none()
    return (
        Space.objects.annotate(
            viewer_is_member=_member_q(user, program_ids), viewer_is_staff=_staff_q(user, managed_ids)
        )
        .filter(Q(viewer_is_member=True) | Q(viewer_is_staff=True))
        .order_by("name")
    )


def get_space_for(user, slug: str) -> Space:
    """The space (one query) or 404 for anyone who may not book in it: outsiders learn nothing."""
    space = spaces_for(user).filter(slug=slug).first()
    if space is None:
        raise Http404
    return space


def get_managed_space_for(user, slug: str) -> Space:
    space = get_space_for(user, slug)
    if not space.viewer_is_staff:
        raise Http404
    return space


def get_own_booking(user, pk: int) -> Booking:
    """A person acts on their own bookings only; anyone else's id is a 404."""
    booking = (
        Booking.objects.select_related("resource__space").filter(pk=pk, person=user).first()
        if user.is_authenticated
        else None
    )
    if booking is None:
        raise Http404
    return booking


def space_program_ids(space: Space) -> set[int]:
    return set(space.programs.values_list("pk", flat=True))


def booker_membership(space: Space, person: User) -> Membership | None:
    """The person's latest active membership in a program using the space: what their bookings there are under."""
    return (
        Membership.objects.select_related("cohort")
        .filter(person=person, status=Membership.Status.ACTIVE, cohort__program__spaces=space)
        .order_by("-cohort__starts_on")
        .first()
    )


def manages_space(person: User, space: Space) -> bool:
    managed = managed_program_ids(person)
    return managed is None or bool(managed & space_program_ids(space))


def can_record_induction(user: User, space: Space) -> bool:
    managed = managed_program_ids(user)
    if managed is None:
        return True
    return bool(managed & space_program_ids(space)) or space.trainers.filter(pk=user.pk).exists()


def induction_program_ids(user, space: Space) -> set[int]:
    """Whose inductions the viewer of a space's induction page deals with: a trainer (or superuser) works for the
    whole space; a manager of one of the programs sharing it only with their own programs' participants."""
    space_ids = space_program_ids(space)
    ids = managed_program_ids(user)
    if ids is None or space.trainers.filter(pk=user.pk).exists():
        return space_ids
    return space_ids & set(ids)
