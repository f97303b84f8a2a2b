"""The reviews in the admin: each application's reviews beside its answers (written by their reviewers), the
conflicts of interest and the assignments."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.scoring.assignments import assignment_create
from applications.scoring.forms import score_field_name
from applications.scoring.models import ConflictOfInterest, Review, ReviewerAssignment, ReviewStage
from applications.scoring.reviews import review_save
from applications.scoring.services import conflict_declare, may_write_review, not_your_review_message
from applications.templatetags.calls import program_time
from cohorts.admin_access import ProgramScopedMixin
from incubator.admin_site import BoundedInlineMixin
from incubator.models import User

REVIEW_FIELDS = ("recommendation", "comment", "submit")


class ReviewInlineForm(forms.ModelForm):
    """An assignment with its review: the criterion fields are added per call by `AssignmentInline`."""

    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=[("", "—"), *Review.Recommendation.choices], required=False
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    submit = forms.BooleanField(label=_("submitted"), required=False)

    viewer = None  # who reads the page: set per request by `AssignmentInline.get_formset`

    class Meta:
        model = ReviewerAssignment
        fields = ["reviewer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review = getattr(self.instance, "review", None) if self.instance.pk else None
        if review is not None:
            self.initial.update(comment=review.comment, recommendation=review.recommendation)
            self.initial["submit"] = review.status == Review.Status.SUBMITTED
            self.initial.update({f"score_{s.criterion_id}": s.score for s in review.scores.all()})
        if self.instance.pk:
            self.fields["reviewer"].disabled = True
            if not may_write_review(self.viewer, self.instance):
                # Another reviewer's review: read here, written by them on their review pages (a disabled field
                # ignores what is posted for it, so a forged POST changes nothing either).
                for name in self.review_field_names():
                    self.fields[name].disabled = True
                self.fields["comment"].help_text = _("Only %(reviewer)s changes this review.") % {
                    "reviewer": self.instance.reviewer
                }

    def review_field_names(self):
        """The review's own fields: the criteria's scores, the recommendation, the comment, submitted."""
        return [name for name in self.fields if name.startswith("score_") or name in REVIEW_FIELDS]

    def clean(self):
        data = super().clean()
        reviewer = data.get("reviewer")
        if not self.instance.pk and reviewer is not None:
            values = [data.get(name) for name in self.review_field_names()]
            written = any(value not in (None, "") and value is not False for value in values)  # a score may be 0
            if written and not may_write_review(self.viewer, ReviewerAssignment(reviewer=reviewer)):
                raise forms.ValidationError(not_your_review_message())
        return data


class AssignmentInline(BoundedInlineMixin, admin.StackedInline):
    """The reviews of this application beside the applicant's answers. A manager assigns reviewers here; each
    review's scores are written by its reviewer only (a superuser may correct them): `may_write_review`."""

    model = ReviewerAssignment
    form = ReviewInlineForm
    fk_name = "application"
    extra = 0
    can_delete = False
    verbose_name = _("review")
    verbose_name_plural = _("reviews")
    template = "admin/scoring/review_inline.html"

    def get_queryset(self, request):
        # The written reviews: the interview panel's are scored on the reviewers' pages, on the interview rubric.
        return (
            super()
            .get_queryset(request)
            .filter(stage=ReviewStage.WRITTEN)
            .select_related("reviewer", "review")
            .prefetch_related("review__scores")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            # New rows: the program's reviewers. Existing rows (shown, not changeable) keep their reviewer even
            # after they left the program, so that their review can still be read and saved.
            application = getattr(request, "_application_being_edited", None)
            if application is None:
                kwargs["queryset"] = User.objects.none()
            else:
                assigned = User.objects.filter(assignments__application=application).values("pk")
                kwargs["queryset"] = User.objects.filter(
                    Q(reviewed_programs=application.call.cohort.program_id) | Q(pk__in=assigned)
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        criteria = (
            list(obj.call.criteria_set.filter(stage=ReviewStage.WRITTEN).order_by("position", "pk")) if obj else []
        )
        score_fields = {
            score_field_name(c): forms.IntegerField(
                label=f"{c.name} ({c.scale_min}–{c.scale_max})",
                min_value=c.scale_min,
                max_value=c.scale_max,
                required=False,
            )
            for c in criteria
        }
        # A copy: the form metaclass adds its own keys to the attributes it is given.
        kwargs["form"] = type("CallReviewForm", (ReviewInlineForm,), {**score_fields, "viewer": request.user})
        kwargs["fields"] = ["reviewer", *score_fields, "recommendation", "comment", "submit"]
        formset = super().get_formset(request, obj, **kwargs)
        formset.criteria = criteria
        formset.answers_html = self.admin_site._registry[Application].answers_rendered(obj) if obj else ""
        return formset

    def get_fieldsets(self, request, obj=None):
        fields = self.get_formset(request, obj).form.base_fields
        return [(None, {"fields": list(fields)})]


class InterviewPanelForm(forms.Form):
    panel = forms.ModelMultipleChoiceField(
        label=_("interview panel"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        # The call's reviewers and its program's managers (`interview_panel_assign` refuses anyone else).
        self.fields["panel"].queryset = (
            User.objects.filter(
                Q(pk__in=call.review_settings.reviewers.filter(reviewed_programs=call.cohort.program_id).values("pk"))
                | Q(managed_programs=call.cohort.program_id)
            )
            .distinct()
            .order_by("name", "pk")
        )


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=User.objects.none())

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        # The reviewers of the selected applications' programs; the service refuses anyone not on a given one.
        self.fields["reviewer"].queryset = User.objects.filter(reviewed_programs__in=programs).distinct()


def review_inline_save(inline_form, formset, *, application, by):
    """One row of `AssignmentInline`, through the services: the assignment if new, then its review if written."""
    data = inline_form.cleaned_data
    assignment = inline_form.instance
    if not assignment.pk:
        assignment = assignment_create(application=application, reviewer=data["reviewer"], by=by)
        formset.new_objects.append(assignment)
    scores = {c.pk: data[score_field_name(c)] for c in formset.criteria if data.get(score_field_name(c)) is not None}
    if scores or data["comment"] or data["recommendation"] or data["submit"]:
        review_save(
            assignment=assignment,
            scores=scores,
            comment=data["comment"],
            recommendation=data["recommendation"],
            submit=data["submit"],
            by=by,
        )


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ProgramScopedMixin, admin.ModelAdmin):
    # A conflict declared by email alone belongs to no program: only superusers see those.
    program_path = "application__call__cohort__program"
    list_display = ["reviewer", "application", "email", "declared_at"]
    list_select_related = ["reviewer", "application"]
    search_fields = ["reviewer__email", "email", "application__full_name"]
    autocomplete_fields = ["application"]  # the viewer's programs' applications (`ApplicationAdmin.get_queryset`)

    def get_readonly_fields(self, request, obj=None):
        # What a conflict covers is set once, by the service (which withdraws the assignments it touches).
        return ["reviewer", "application", "email", "declared_at"] if obj is not None else ["declared_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        conflict = conflict_declare(
            reviewer=obj.reviewer, application=obj.application, email=obj.email, reason=obj.reason, by=request.user
        )
        obj.pk, obj.email, obj.declared_at = conflict.pk, conflict.email, conflict.declared_at
        return None


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "call__cohort__program"
    list_display = ["application", "reviewer", "stage", "call", "assigned_local"]
    list_filter = ["stage", ("call", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["application", "reviewer", "call__cohort__program"]
    search_fields = ["reviewer__email", "application__full_name"]
    readonly_fields = ["call", "application", "reviewer", "stage", "assigned_by", "assigned_at", "others_seen_at"]

    def has_add_permission(self, request):
        return False  # assignments are made on the application, in bulk or automatically, through the services

    @admin.display(description=_("assigned at"), ordering="assigned_at")
    def assigned_local(self, obj):
        return program_time(obj.assigned_at, obj.call)

    def has_delete_permission(self, request, obj=None):
        return False  # a conflict of interest withdraws an assignment, through its service, with the history kept
