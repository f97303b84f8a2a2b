"""Two requests at once on one invitation leave it in one state."""

from django.db import connection

from cohorts.invitations import program_role_invitation_accept, program_role_invitation_revoke, program_role_invite
from cohorts.models import ProgramRoleInvitation
from tests.cohorts.role_invitations.pages import State
from tests.factories import ProgramFactory, UserFactory, program_manager


def _at_once(*calls):
    """Run the calls in two threads released together; their results and errors."""
    import threading

    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_invitations_of_one_address_at_once_leave_one_pending(transactional_db):
    program = ProgramFactory()
    boss = program_manager(program)
    results, errors = _at_once(
        *[lambda: program_role_invite(program=program, role="mentor", email="twice@example.org", by=boss)] * 2
    )
    assert errors == [] and len(results) == 2
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1


def test_accepting_and_withdrawing_at_once_do_one_or_the_other(transactional_db):
    program = ProgramFactory()
    boss = program_manager(program)
    person = UserFactory(email="race@example.org")
    invitation, _token = program_role_invite(program=program, role="mentor", email=person.email, by=boss)
    results, errors = _at_once(
        lambda: program_role_invitation_accept(invitation=invitation, by=person),
        lambda: program_role_invitation_revoke(invitation=invitation, by=boss),
    )
    invitation.refresh_from_db()
    listed = program.mentors.filter(pk=person.pk).exists()
    if invitation.state == State.ACCEPTED:
        assert listed and results.count(True) == 1 and results.count(False) == 1 and errors == []
    else:
        assert invitation.state == State.REVOKED and not listed
        assert results == [True] and [type(error).__name__ for error in errors] == ["InvitationClosed"]
