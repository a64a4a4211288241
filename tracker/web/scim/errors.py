"""SCIM's own error body (RFC 7644 §3.12), which every answer under /scim/ uses, never a page."""

from __future__ import annotations

import json

from flask import Response, request
from scim2_models import Error

PREFIX = "/scim/"
SCIM_JSON = "application/scim+json"


class ScimProblem(Exception):
    """A refusal the SCIM views raise: its status, what to say, and SCIM's scimType if one fits."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def is_scim_request() -> bool:
    """Whether this request is the provisioning service's, which is answered in SCIM JSON only."""
    return request.path.startswith(PREFIX)


def scim_json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype=SCIM_JSON)


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Response:
    """The Error message; a 401 also carries the Bearer challenge."""
    body = Error(status=status, scim_type=scim_type, detail=detail[:1000]).model_dump()
    response = scim_json(body, status)
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response
