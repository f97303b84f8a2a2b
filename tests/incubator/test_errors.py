"""Every refusal a service raises is a `ServiceError`: one `except` for a caller of several services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.scoring.decisions import PublishRefused
from applications.scoring.selection import SelectionError
from applications.scoring.services import ReviewNotYours, ScoringError
from applications.services import ApplicationError
from cohorts.invitations import InvitationClosed
from cohorts.photos import PhotoRefused
from incubator.errors import ServiceError
from incubator.personal_data import ErasureRefused


@pytest.mark.parametrize(
    "refusal",
    [ApplicationError, ScoringError, ReviewNotYours, PublishRefused, SelectionError, ErasureRefused, PhotoRefused],
)
def test_service_refusals_share_one_base(refusal):
    assert issubclass(refusal, ServiceError)


def test_a_refusal_carries_its_message_and_code():
    error = ServiceError("The call has closed.", code="closed")
    assert (str(error), error.message, error.code) == ("The call has closed.", "The call has closed.", "closed")
    assert ApplicationError("Refused", problems=["a", "b"]).message == "Refused"
    assert SelectionError(["too many", "too few"]).message == "too many; too few"


def test_refusals_that_are_also_django_errors_stay_so():
    assert issubclass(InvitationClosed, ServiceError) and issubclass(InvitationClosed, ValidationError)
    not_yours = ReviewNotYours("Only the reviewer writes this review.")
    assert isinstance(not_yours, PermissionDenied) and not_yours.message == "Only the reviewer writes this review."
