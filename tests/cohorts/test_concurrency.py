import threading
from types import SimpleNamespace

from django.db import connection

from cohorts.models import Membership
from cohorts.services import membership_create_from_application
from tests.factories import Acceptance, CohortFactory, UserFactory


def test_two_publishes_at_once_make_one_membership(transactional_db):
    """Two workers publishing the same acceptance concurrently: the cohort lock lets one create, the other reads."""
    cohort = CohortFactory()
    acceptance = Acceptance(applicant=UserFactory(), call=SimpleNamespace(cohort=cohort), venture_name="Twice")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def publish():
        try:
            barrier.wait()
            results.append(membership_create_from_application(application=acceptance, by=None).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert Membership.objects.filter(cohort=cohort).count() == 1
    assert cohort.ventures.get().team.count() == 1
