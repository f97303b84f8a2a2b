"""What cohorts announces to the apps above it, which it never imports."""

from django.dispatch import Signal

# A superuser added a program in the admin: sent with `program` and `by` once the program is saved, so that an app
# can give it its own starting setup (applications: a copy of the default decision emails).
program_added = Signal()
