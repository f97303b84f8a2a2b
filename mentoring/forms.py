import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cohorts.models import FIELD_CHOICES
from incubator.bounds import BoundedDateField
from incubator.widgets import IsoTimeInput
from mentoring.models import Attendance, MentorProfile, ParticipantProfile, Session, SessionKind
from mentoring.services import ActionItemInput

DURATIONS = [(30, _("30 min")), (45, _("45 min")), (60, _("1 hour")), (90, _("1½ hours")), (120, _("2 hours")),
             (180, _("3 hours")), (240, _("4 hours")), (480, _("a full day (8 hours)"))]  # fmt: skip


class _SessionBase(forms.Form):
    """Kind, people and time, typed in the program's time zone (named beside the fields)."""

    kind = forms.ModelChoiceField(label=_("Kind"), queryset=SessionKind.objects.none(), empty_label=None)
    participants = forms.TypedMultipleChoiceField(
        label=_("Who"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    date = BoundedDateField(label=_("Date"))
    time = forms.TimeField(label=_("Start time"), widget=IsoTimeInput())
    minutes = forms.TypedChoiceField(label=_("How long"), choices=DURATIONS, coerce=int, initial=60)
    series = forms.ModelChoiceField(
        label=_("Part of a tour"), queryset=Session.objects.none(), required=False, empty_label=_("no")
    )

    def __init__(self, *args, program, kinds, people, mentee_ids, individual_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.people = {person.pk: person for person in people}
        self.individual_ids = individual_ids
        self.fields["kind"].queryset = SessionKind.objects.filter(pk__in=[kind.pk for kind in kinds])
        self.fields["kind"].label_from_instance = lambda kind: kind.name
        # The mentor's own mentees first: an individual session is usually with one of them.
        ordered = sorted(people, key=lambda person: (person.pk not in mentee_ids, person.name))
        self.fields["participants"].choices = [
            (person.pk, f"{person.name} ★" if person.pk in mentee_ids else person.name) for person in ordered
        ]
        if set(self.people) - individual_ids:
            self.fields["participants"].help_text = _(
                "★ your mentees: an individual session is with them only; a group session may invite anyone."
            )
        self.fields["time"].help_text = _("In %(zone)s") % {"zone": program.time_zone}
        tours = Session.objects.filter(program=program, kind__counts_as=SessionKind.CountsAs.SERIES).exclude(
            status=Session.Status.CANCELLED
        )
        self.fields["series"].queryset = tours.order_by("-starts_at")
        if not tours.exists():
            del self.fields["series"]

    def clean(self):
        """Said on the list itself, before the service would refuse the whole form for it."""
        data = super().clean()
        kind = data.get("kind")
        if kind is not None and kind.counts_as == SessionKind.CountsAs.INDIVIDUAL:
            strangers = [self.people[pk].name for pk in data.get("participants", []) if pk not in self.individual_ids]
            if strangers:
                self.add_error(
                    "participants",
                    _("An individual session is only with your own mentees (★). Not your mentees: %(names)s.")
                    % {"names": ", ".join(strangers)},
                )
        return data

    def starts_at(self) -> datetime.datetime:
        """In UTC, so that minutes added to it are real minutes on a day the program's clocks change."""
        data = self.cleaned_data
        wall = datetime.datetime.combine(data["date"], data["time"], ZoneInfo(self.program.time_zone))
        return wall.astimezone(datetime.UTC)

    def participant_users(self) -> list:
        return [self.people[pk] for pk in self.cleaned_data.get("participants", []) if pk in self.people]


class ActionItemsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Action items"),
            required=False,
            help_text=_("One per line; shared with the participants."),
            **kwargs,
        )


def action_items(text: str, due_on, owner) -> list[ActionItemInput]:
    return [
        ActionItemInput(text=line.strip(), owner=owner, due_on=due_on) for line in text.splitlines() if line.strip()
    ]


class LogForm(_SessionBase):
    """A session that already happened, in one short form."""

    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = ActionItemsField()
    due_on = BoundedDateField(label=_("Action items due"), required=False)
    private_notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by you and the program's managers only."),
    )


class ScheduleForm(_SessionBase):
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You, if nobody is chosen."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = self.program.regions.all()
        self.fields["facilitators"].queryset = self.program.mentors.order_by("name")
        self.fields["facilitators"].label_from_instance = lambda person: person.name


class MoveForm(forms.Form):
    date = BoundedDateField(label=_("Date"))
    time = forms.TimeField(label=_("Start time"), widget=IsoTimeInput())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=60 * 24 * 14)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["time"].help_text = _("In %(zone)s") % {"zone": program.time_zone}

    def period(self):
        data = self.cleaned_data
        wall = datetime.datetime.combine(data["date"], data["time"], ZoneInfo(self.program.time_zone))
        starts_at = wall.astimezone(datetime.UTC)  # real minutes on a day the clocks change
        return starts_at, starts_at + datetime.timedelta(minutes=data["minutes"])


ATTENDANCE_CHOICES = [
    (Attendance.Status.PRESENT, _("present")),
    (Attendance.Status.ABSENT, _("absent")),
    (Attendance.Status.EXCUSED, _("excused")),
]


class AttendanceForm(forms.Form):
    """One radio row per invited person; defaults to present, so a full room is one click."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            initial = attendance.status if attendance.status != Attendance.Status.INVITED else Attendance.Status.PRESENT
            self.fields[f"person_{attendance.person_id}"] = forms.ChoiceField(
                label=attendance.person.name,
                choices=ATTENDANCE_CHOICES,
                initial=initial,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )

    def statuses(self) -> dict[int, str]:
        return {a.person_id: self.cleaned_data[f"person_{a.person_id}"] for a in self.attendances}

    def rows(self):
        return [(attendance, self[f"person_{attendance.person_id}"]) for attendance in self.attendances]


class RecordForm(AttendanceForm):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = ActionItemsField()
    due_on = BoundedDateField(label=_("Action items due"), required=False)
    private_notes = forms.CharField(label=_("Private notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was this session?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    anonymous = forms.BooleanField(
        label=_("Hide my name from the mentor (the program's managers still see it)"), required=False
    )


class ParticipantProfileForm(forms.ModelForm):
    class Meta:
        model = ParticipantProfile
        fields = ["gender", "birth_year", "consent"]
        help_texts = {
            "consent": _(
                "Reports show only counts, and any count under 5 people as “<5”. You can withdraw at any time."
            )
        }


class MentorProfileForm(forms.ModelForm):
    expertise = forms.TypedMultipleChoiceField(
        label=_("Expertise"), choices=FIELD_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.TypedMultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MentorProfile
        fields = ["expertise", "languages", "bio", "capacity_mentees", "capacity_hours", "availability"]


class ReportForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)
    start = BoundedDateField(label=_("From"))
    end = BoundedDateField(label=_("To"))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].to_field_name = "slug"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data
