"""Demo scoring: Kawalis' closed second-cohort call reviewed by three people (one harsh, one with a declared
conflict) so the ranking and a 24-seat regional selection show; and a few unfinished reviews on the open
third-cohort call for the demo reviewer. Idempotent; the people and their judgements are invented."""

import datetime
import random
from decimal import Decimal

from django.db.models import Q

from applications.models import Application, Call
from applications.scoring.assignments import assignments_bulk_create
from applications.scoring.models import (
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    RegionQuota,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.scoring.reviews import review_points_refresh
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from cohorts.program_roles import REVIEWER_ROLE, program_role_grant
from demo.applications import KAWALIS_REGIONS, _applicant_users, _kawalis_answers
from demo.users import demo_user
from incubator.roles import REVIEWER

KAWALIS_CRITERIA = [
    # name (the call's language, then English), description, weight
    ("الجدوى الاقتصادية — Economic viability", "Revenue model, costs, realistic budget.", "3"),
    ("الأثر الإيجابي المتوقع — Expected positive impact", "On the young people, the audience, the region.", "3"),
    ("قوة الفريق — Strength of the team", "Skills, commitment, complementary roles.", "2"),
    ("مدى استعجال الحاجة إلى الدعم — Urgency of the need for support", "What support changes now.", "2"),
]
# (email, name, language, how they score compared with the others)
KAWALIS_REVIEWERS = [
    ("reviewer@example.org", "Rachid Reviewer", "fr", 0.0),
    ("salma.reviewer@example.org", "Salma Benali", "ar", 0.4),
    ("karim.reviewer@example.org", "Karim Idrissi", "fr", -1.6),  # the harsh one
]
QUOTA_MINIMUMS = {"Souss-Massa": 5, "Fès-Meknès": 4, "Oriental": 4, "Tanger-Tétouan-Al Hoceïma": 4}


def _criteria(call: Call) -> list[Criterion]:
    for position, (name, description, weight) in enumerate(KAWALIS_CRITERIA, start=1):
        Criterion.objects.update_or_create(
            call=call, position=position, defaults={"name": name, "description": description, "weight": Decimal(weight)}
        )
    return list(call.criteria_set.order_by("position"))


def _reviewers(program):
    reviewers = [
        (demo_user(email, name, language=language, time_zone="Africa/Casablanca", role=REVIEWER), bias)
        for email, name, language, bias in KAWALIS_REVIEWERS
    ]
    for user, _bias in reviewers:
        program_role_grant(program=program, person=user, role=REVIEWER_ROLE, by=None)  # Kawalis' reviewers
    return reviewers


def _seed_second(stdout) -> None:
    call = Call.objects.select_related("cohort__program").get(slug="kawalis-second-cohort")
    review_settings, reviewers, criteria = _second_call_setup(call)
    eligible = list(
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
        .filter(Q(eligibility_override="eligible") | Q(eligibility_override="", eligibility="eligible"))
        .order_by("submitted_at", "pk")
    )
    salma = reviewers[1][0]
    conflicted = eligible[7]
    ConflictOfInterest.objects.get_or_create(
        reviewer=salma, application=conflicted, defaults={"reason": "Elle a encadré ce projet à l'université."}
    )
    if ReviewerAssignment.objects.filter(call=call).exists():
        stdout.write(f"Kawalis second-cohort reviews: already there ({len(eligible)} eligible applications)")
        return
    # The reviews as they happened, written in bulk (the review service refuses nothing here, but one call per
    # review would make seeding slow); the conflicted pair is simply never assigned.
    reviews = _reviews_write(
        call, review_settings.review_deadline, reviewers, criteria, eligible, conflict=(salma, conflicted)
    )
    review_points_refresh(call=call)
    stdout.write(
        f"Kawalis second-cohort reviews: {len(reviews)} by 3 reviewers of {len(eligible)} eligible applications, "
        "regional minimums set for a 24-seat selection"
    )


def _second_call_setup(call: Call):
    """The second-cohort call's review settings, reviewers (with their bias), criteria and regional minimums."""
    review_settings, _ = ReviewSettings.objects.update_or_create(
        call=call,
        defaults={
            "stage": ReviewSettings.Stage.SCORING,
            "review_deadline": datetime.datetime(2024, 4, 30, 18, 0, tzinfo=call.zone),
            "reviews_per_application": 3,
            "normalise": True,
            # One reviewer is harsh: raw scores spread widely, so only a wide spread counts as disagreement.
            "disagreement_threshold": 30,
        },
    )
    reviewers = _reviewers(call.cohort.program)
    review_settings.reviewers.set([user for user, _bias in reviewers])
    criteria = _criteria(call)
    for region in call.cohort.program.regions.filter(name__in=KAWALIS_REGIONS):
        RegionQuota.objects.update_or_create(
            call=call, region=region, defaults={"minimum": QUOTA_MINIMUMS[region.name]}
        )
    return review_settings, reviewers, criteria


def _reviews_write(call, deadline, reviewers, criteria, eligible, *, conflict) -> list[Review]:
    assignments, reviews, scores = [], [], []
    for application in eligible:
        quality = random.Random(application.pk).uniform(1.5, 4.8)
        for user, bias in reviewers:
            if (user, application) == conflict:
                continue
            noise = random.Random(application.pk * 31 + user.pk)
            assignment = ReviewerAssignment(call=call, application=application, reviewer=user)
            values = [min(5, max(1, round(quality + bias + noise.uniform(-0.8, 0.8)))) for _ in criteria]
            mean = sum(values) / len(values)
            recommendation = "yes" if mean >= 3.8 else "maybe" if mean >= 2.6 else "no"
            when = deadline - datetime.timedelta(days=noise.randint(1, 20))
            review = Review(
                assignment=assignment,
                status=Review.Status.SUBMITTED,
                recommendation=recommendation,
                comment="",
                updated_at=when,
                submitted_at=when,
            )
            assignments.append(assignment)
            reviews.append(review)
            scores.append([(criterion, value) for criterion, value in zip(criteria, values, strict=True)])
    ReviewerAssignment.objects.bulk_create(assignments)
    for review in reviews:
        review.assignment_id = review.assignment.pk
    Review.objects.bulk_create(reviews)
    CriterionScore.objects.bulk_create(
        CriterionScore(review=review, criterion=c, score=v, scale_min=c.scale_min, scale_max=c.scale_max)
        for review, pairs in zip(reviews, scores, strict=True)
        for c, v in pairs
    )
    return reviews


def _seed_third(stdout) -> None:
    """Three submitted applications on the open call, assigned to the demo reviewer; one review is a draft."""
    call = Call.objects.select_related("cohort__program").get(slug="kawalis-third-cohort")
    review_settings, _ = ReviewSettings.objects.update_or_create(
        call=call,
        defaults={
            "stage": ReviewSettings.Stage.SCORING,
            "review_deadline": call.closes_at + datetime.timedelta(days=14),
        },
    )
    rachid = demo_user("reviewer@example.org", "Rachid Reviewer", language="fr", role=REVIEWER)
    program_role_grant(program=call.cohort.program, person=rachid, role=REVIEWER_ROLE, by=None)
    review_settings.reviewers.add(rachid)
    criteria = _criteria(call)
    questions = list(call.questions.order_by("position"))
    regions = list(call.cohort.program.regions.filter(name__in=KAWALIS_REGIONS))
    applications = []
    for i, person in enumerate(_applicant_users("k3r", 3)):
        application = application_start(call=call, applicant=person)
        if application.status == Application.Status.DRAFT:
            standard = {
                "full_name": person.name,
                "date_of_birth": datetime.date(2001 + i, 3, 14),
                "region": regions[i % len(regions)],
                "phone": f"+212 6{i + 70} 555 0{i}0",
                "email": person.email,
            }
            answers = _kawalis_answers(questions, 20 + i)
            application_save_draft(
                application=application, data=DraftData(standard=standard, answers=answers), by=person
            )
            application_submit(application=application, by=person)
        applications.append(application)
    assignments_bulk_create(applications=applications, reviewer=rachid, by=None)
    first = ReviewerAssignment.objects.get(application=applications[0], reviewer=rachid)
    if not hasattr(first, "review"):
        review = Review.objects.create(assignment=first, comment="Projet prometteur, budget à préciser.")
        CriterionScore.objects.create(
            review=review,
            criterion=criteria[0],
            score=3,
            scale_min=criteria[0].scale_min,
            scale_max=criteria[0].scale_max,
        )
    stdout.write("Kawalis third-cohort call: 3 applications waiting for the demo reviewer (one review in draft)")


def seed_scoring(stdout) -> None:
    _seed_second(stdout)
    _seed_third(stdout)
