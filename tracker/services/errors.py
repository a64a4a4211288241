"""Typed errors services raise; views turn them into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """Base for errors a user can be told about in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    pass


class Invalid(ServiceError):
    """Input that passed form validation but breaks a rule of the domain."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(ServiceError):
    """Someone else changed the record since it was read."""
