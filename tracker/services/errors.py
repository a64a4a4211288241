"""Typed errors services raise; views turn them into messages."""

from __future__ import annotations

from collections.abc import Sequence

Problem = tuple[str | None, str]
"""One rule broken: the field it concerns (None for the whole form) and what to say."""


class ServiceError(Exception):
    """Base for errors a user can be told about in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    pass


class Invalid(ServiceError):
    """Input that passed form validation but breaks a rule of the domain.

    `problems` lists every rule broken, as (field, message), so a form can show them all at once;
    `field` and `message` are the first of them."""

    def __init__(
        self, message: str, *, field: str | None = None, problems: Sequence[tuple[str | None, str]] = ()
    ) -> None:
        super().__init__(message)
        self.field = field
        self.problems: list[tuple[str | None, str]] = list(problems) or [(field, message)]

    @classmethod
    def every(cls, problems: Sequence[tuple[str | None, str]]) -> Invalid:
        """One error carrying several problems (at least one), the first as its message."""
        field, message = problems[0]
        return cls(message, field=field, problems=problems)


class Conflict(ServiceError):
    """Someone else changed the record since it was read."""
