"""The scale call's review for `seed_scale` (see demo/scale/__init__.py): a weighted rubric of `criteria` criteria (plus
one informational), `reviewers` reviewers, and `reviews_per_application` submitted reviews of every application."""

from django.utils import timezone

from applications.scoring.models import Criterion, CriterionScore, Review, ReviewerAssignment, ReviewSettings
from applications.scoring.reviews import review_points_refresh
from demo.scale import BATCH, Scale, people
from incubator.roles import REVIEWER

CRITERIA = [
    ("Economic viability", 2),
    ("Expected positive impact", 1),
    ("Strength of the team", 1),
    ("Urgency of the need for support", 1),
    ("Originality", 1),
    ("Regional reach", 1),
]


def seed_reviews(scale: Scale) -> None:
    call = scale.call
    rubric = _review_setup(call, scale)
    counted = [c for c in rubric if not c.informational]
    reviewers = people(scale, "reviewer", scale.sizes.reviewers, role=REVIEWER)
    call.cohort.program.reviewers.add(*reviewers)
    call.review_settings.reviewers.add(*reviewers)
    eligible = [a for a in scale.applications if a.eligibility == "eligible"]
    per = min(scale.sizes.reviews_per_application, len(reviewers))
    assignments = ReviewerAssignment.objects.bulk_create(
        [
            # Spread so that no reviewer gets the same application twice and all get the same load.
            ReviewerAssignment(call=call, application=application, reviewer=reviewers[(n + k) % len(reviewers)])
            for n, application in enumerate(eligible)
            for k in range(per)
        ],
        batch_size=BATCH,
    )
    reviews = _submitted_reviews(assignments, counted)
    review_points_refresh(call=call)
    scale.keep(reviewers=reviewers)
    scale.say(f"reviews: {len(reviews)} by {len(reviewers)} reviewers, {len(reviews) * len(counted)} scores")


def _review_setup(call, scale: Scale) -> list[Criterion]:
    """The call's review settings and its rubric (the counted criteria, then one informational)."""
    # NEVER: a submitted review stays editable for its reviewer, so `make bench` can submit reviews again and again.
    ReviewSettings.objects.create(
        call=call,
        stage=ReviewSettings.Stage.SCORING,
        reviews_per_application=scale.sizes.reviews_per_application,
        others_visible=ReviewSettings.Visibility.NEVER,
        review_deadline=timezone.now() + timezone.timedelta(days=14),
    )
    return Criterion.objects.bulk_create(
        [
            Criterion(call=call, position=n, name=name, weight=weight)
            for n, (name, weight) in enumerate(CRITERIA[: scale.sizes.criteria])
        ]
        + [Criterion(call=call, position=99, name="Artistic quality", informational=True)]
    )


def _submitted_reviews(assignments, counted) -> list[Review]:
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=assignment,
                status=Review.Status.SUBMITTED,
                recommendation=("yes", "maybe", "no")[n % 3],
                comment="Solid plan; the budget needs detail.",
                updated_at=now,
                submitted_at=now,
            )
            for n, assignment in enumerate(assignments)
        ],
        batch_size=BATCH,
    )
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                review=review,
                criterion=criterion,
                score=criterion.scale_min + (n * 7 + i * 3 + review.assignment.reviewer_id) % 5,
                scale_min=criterion.scale_min,
                scale_max=criterion.scale_max,
            )
            for n, review in enumerate(reviews)
            for i, criterion in enumerate(counted)
        ],
        batch_size=BATCH,
    )
    return reviews
