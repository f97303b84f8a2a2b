"""What of cohorts the audit history shows (incubator/history.py): memberships and program role grants."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incubator.history import Kind, register_kind, sentence


def _membership(event) -> str:
    return sentence(_("Membership of %(person)s in %(cohort)s"), person=event.person, cohort=event.cohort.name)


def _role(role_label):
    def describe(event) -> str:
        return sentence(_("%(person)s as %(role)s"), person=event.user, role=role_label)

    return describe


def register() -> None:
    register_kind(
        Kind(
            key="membership",
            label=gettext_lazy("Memberships"),
            model="cohorts.MembershipEvent",
            program_path="cohort__program",
            describe=_membership,
            related=("person", "cohort", "region"),
            people=("person",),
            words=("status_reason",),
            ignored=("person", "cohort"),
        )
    )
    grants = {"insert": gettext_lazy("granted"), "delete": gettext_lazy("revoked")}
    for key, model, label, role in (
        ("role_manager", "cohorts.ProgramManagerEvent", gettext_lazy("Managers"), gettext_lazy("manager")),
        ("role_reviewer", "cohorts.ProgramReviewerEvent", gettext_lazy("Reviewers"), gettext_lazy("reviewer")),
        ("role_mentor", "cohorts.ProgramMentorEvent", gettext_lazy("Mentors"), gettext_lazy("mentor")),
    ):
        register_kind(
            Kind(
                key=key,
                label=label,
                model=model,
                program_path="program",
                describe=_role(role),
                related=("user",),
                ignored=("program", "user"),
                labels=grants,
            )
        )
