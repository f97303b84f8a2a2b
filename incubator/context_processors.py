from incubator import roles as roles_module


def roles(request):
    """Which role entries the navigation and home page show."""
    user = request.user
    names = roles_module.role_names(user)
    return {
        "is_program_manager": roles_module.is_program_manager(user),
        "is_reviewer": roles_module.REVIEWER in names,
        "is_mentor": roles_module.MENTOR in names,
        "is_participant": roles_module.PARTICIPANT in names,
    }
