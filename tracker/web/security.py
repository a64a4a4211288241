"""Security headers on every response, with a per-request nonce for our few script tags."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def register_security_headers(app: Flask) -> None:
    """Send the CSP and hardening headers, and give templates the nonce as `cspNonce`."""
    app.context_processor(_nonce_for_templates)
    app.after_request(_add_security_headers)


def csp_nonce() -> str:
    """This request's nonce, made on first use so error pages and handlers share it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _nonce_for_templates() -> dict[str, str]:
    """govuk-frontend-jinja's template.html puts `cspNonce` on its inline js-enabled script."""
    return {"cspNonce": csp_nonce()}


def content_security_policy(nonce: str, *, form_targets: tuple[str, ...] = ()) -> str:
    """Only our own files, plus inline scripts carrying this request's nonce. `form_targets` are other
    origins a form on the page may lead to (the sign-in page's button to the council's directory)."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *form_targets]),
            "frame-ancestors 'none'",
        ]
    )


def _add_security_headers(response: Response) -> Response:
    """Headers a view has set itself are left alone."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if str(current_app.config.get("BASE_URL", "")).lower().startswith("https://"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
