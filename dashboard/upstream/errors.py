"""One error hierarchy for every way the upstream can fail."""

from __future__ import annotations


class UpstreamFailure(Exception):
    """Base class of every upstream failure. ``status`` is the HTTP status when there was one.

    Two branches: ``UpstreamError``, a call that failed (a page shows it where its part would be,
    a form shows it next to its fields), and ``Unauthorized``, the session is over (nothing shows
    it: the whole page ends and the middleware sends the person to sign in again). So
    ``except UpstreamError`` never swallows a dead session."""

    status: int | None = None
    # True when the platform did answer, but with something the dashboard could not read.
    unreadable = False

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class UpstreamError(UpstreamFailure):
    """A call that failed; the session, if any, is still good."""


class BadRequest(UpstreamError):
    status = 400


class Unauthorized(UpstreamFailure):
    """A 401 the client could not cure by exchanging the token again: the session is over (or,
    at sign-in, the credentials were refused)."""

    status = 401


class OTPRequired(Unauthorized):
    """The account has 2FA: the same call must be repeated with a TOTP code."""


class RequestRefused(UpstreamError):
    """A 401 on a write although the API token still exchanges for a bearer: the request's own
    credentials (a current password, a 2FA code) were refused, not the session."""

    status = 401


class PaymentRequired(UpstreamError):
    status = 402

    def __init__(self, message: str = "", *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class Forbidden(UpstreamError):
    status = 403


class NotFound(UpstreamError):
    status = 404

    def __init__(self, message: str = "", *, resource: str | None = None) -> None:
        super().__init__(message)
        self.resource = resource


class Conflict(UpstreamError):
    status = 409


class ValidationFailed(UpstreamError):
    """A 422: ``errors`` maps a field name to its messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class RateLimited(UpstreamError):
    """A 429. Never retried: the user is told when to try again."""

    status = 429

    def __init__(self, message: str = "", *, retry_after_seconds: int | None = None) -> None:
        super().__init__(message)
        # The wait the platform gave (``Retry-After``), or None when it said nothing.
        self.retry_after_seconds = retry_after_seconds


class Unavailable(UpstreamError):
    """The upstream could not give a usable answer: timeout, connection, 5xx or malformed."""


class UpstreamTimeout(Unavailable):
    pass


class UpstreamConnectionError(Unavailable):
    pass


class ServerError(Unavailable):
    pass


class MalformedResponse(Unavailable):
    """The platform answered, but not in a shape the dashboard can read. ``field`` names the value
    that did not match (``user.referral_clicks``) when the parser knows it."""

    field: str | None = None
    unreadable = True

    def __init__(self, message: str = "", *, status: int | None = None, field: str | None = None) -> None:
        super().__init__(message, status=status)
        if field is not None:
            self.field = field
