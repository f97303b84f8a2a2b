"""The one base of every refusal a service raises, so that a view or an admin action that calls several services
catches `ServiceError` once."""


class ServiceError(Exception):
    """A service refused and changed nothing. `message` is safe to show the person who asked: translated, and naming
    nothing they may not see. `code`, when given, names the refusal for the code that treats one kind differently."""

    def __init__(self, message: str, code: str | None = None):
        # Cooperative: a refusal that is also a ValidationError or a PermissionDenied (InvitationClosed,
        # ReviewNotYours) is built by those classes too; ours is set after them.
        super().__init__(message)
        self.message = message
        self.code = code
