from django import forms
from django.utils.translation import gettext_lazy as _

from applications.scoring.models import Review
from applications.scoring.selection import Quota


def score_field_name(criterion) -> str:
    return f"score_{criterion.pk}"


class ReviewForm(forms.Form):
    """One number per criterion (typed, so the whole review can be done from the keyboard), a comment and a
    recommendation. Informational criteria are optional; the ranges come from the rubric."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "form-control",
                "dir": "auto",
                # Ctrl+Enter submits, as Enter does in the score fields (static/js/portal.js).
                "data-ctrl-enter-clicks": "[data-testid=submit-review]",
            }
        ),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Review.Recommendation.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[score_field_name(criterion)] = forms.IntegerField(
                label=criterion.name,
                help_text=criterion.description,
                required=False,
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                widget=forms.NumberInput(
                    attrs={"min": criterion.scale_min, "max": criterion.scale_max, "inputmode": "numeric"}
                ),
            )
        # The comment and recommendation come after the scores, in reading (and Tab) order.
        self.order_fields([score_field_name(c) for c in self.criteria] + ["recommendation", "comment"])

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[score_field_name(c)]
            for c in self.criteria
            if self.cleaned_data.get(score_field_name(c)) is not None
        }

    def score_fields(self):
        return [(criterion, self[score_field_name(criterion)]) for criterion in self.criteria]


class ConflictForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class SelectionForm(forms.Form):
    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    waitlist_size = forms.IntegerField(label=_("Waitlist length"), min_value=0, initial=10)

    def __init__(self, *args, regions, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        for region in self.regions:
            quota = quotas.get(region.pk)
            self.fields[f"min_{region.pk}"] = forms.IntegerField(
                label=_("Minimum"), min_value=0, required=False, initial=quota.minimum if quota else None
            )
            self.fields[f"max_{region.pk}"] = forms.IntegerField(
                label=_("Maximum"), min_value=0, required=False, initial=quota.maximum if quota else None
            )

    def clean(self):
        data = super().clean()
        for region in self.regions:
            low, high = data.get(f"min_{region.pk}"), data.get(f"max_{region.pk}")
            if low is not None and high is not None and high < low:
                self.add_error(f"max_{region.pk}", _("The maximum cannot be below the minimum."))
        return data

    def region_rows(self):
        return [(region, self[f"min_{region.pk}"], self[f"max_{region.pk}"]) for region in self.regions]

    def quotas(self):
        return [
            Quota(
                region_id=region.pk,
                region_name=region.name,
                minimum=self.cleaned_data.get(f"min_{region.pk}") or 0,
                maximum=self.cleaned_data.get(f"max_{region.pk}"),
            )
            for region in self.regions
        ]


class PublishForm(forms.Form):
    """The publish button's form; a superuser may tick `override` to publish into a finished cohort or past its
    places, and must then write why (kept in the audit log)."""

    override = forms.BooleanField(
        label=_("Publish anyway, past the cohort's places or into a finished cohort"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Why publish anyway"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "dir": "auto"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write why you publish anyway: the reason is kept in the audit log."))
        return data


class InterviewWeightForm(forms.Form):
    interview_weight = forms.IntegerField(
        label=_("Interview weight (%)"),
        min_value=1,
        max_value=99,
        help_text=_("The interview's share of the final score; the written review counts for the rest."),
    )
