"""Refusals particular to SCIM, beside the shared NotFound and Invalid."""

from __future__ import annotations

from tracker.services.errors import ServiceError


class Uniqueness(ServiceError):
    """Another person or group already has this userName, externalId or displayName (SCIM 409)."""
