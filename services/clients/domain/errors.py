"""What can go wrong in the clients domain, without a word about HTTP (api/errors.py maps it)."""

from typing import Any

from shared.events import UnapplicableEvent


class DomainError(Exception):
    """Base of the clients domain's errors; `code` is a stable machine-readable name."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "not_found"


class NotAllowed(DomainError):
    """The caller's role may not do this."""

    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state (a state machine, a taken key)."""

    code = "conflict"


class Invalid(DomainError):
    """The request is well-formed but names things that cannot be used (unknown staff...)."""

    code = "validation_error"


class BadCursor(DomainError):
    """A page cursor that was not issued by us for this very query."""

    code = "invalid_cursor"


class UnknownFirm(DomainError, UnapplicableEvent):
    """An event or call names a firm this service does not know."""

    code = "unknown_firm"
