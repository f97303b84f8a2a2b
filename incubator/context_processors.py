from incubator import roles as roles_module


def roles(request):
    """Which role entries the navigation and home page show.

    These are the global kinds of work (DESIGN.md), deliberately: they only choose menu entries and home cards.
    What a manager may see and change is decided per program by cohorts.access in every view and admin; a
    manager listed on no program gets the home card that says so and empty admin lists."""
    user = request.user
    names = roles_module.role_names(user)
    return {
        "is_program_manager": roles_module.is_program_manager(user),
        "is_reviewer": roles_module.REVIEWER in names,
        "is_mentor": roles_module.MENTOR in names,
        "is_participant": roles_module.PARTICIPANT in names,
    }
