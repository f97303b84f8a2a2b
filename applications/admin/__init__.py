"""The calls' admin, one module per concept; each model is registered once, in the module that names it."""

from applications.admin import applications, calls, decisions, reviews  # noqa: F401
