"""The council's OpenID provider, through Authlib: authorisation code flow with PKCE (S256), state and
nonce; Authlib checks the ID token's signature, issuer, audience, expiry and nonce.

One client per set of settings, kept on the app: it caches the discovery document (for a day) and
the provider's signing keys, which Authlib fetches again when a token names a key id it does not
know, so a key rotation at the provider needs nothing from us.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, redirect
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

HTTP_TIMEOUT_SECONDS = 10  # for every call to the provider; OIDC_HTTP_TIMEOUT in the config overrides it
DISCOVERY_MAX_AGE_SECONDS = 24 * 3600
CLOCK_LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider did not answer (down, too slow, or a broken discovery document)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignInRejected(Exception):
    """The provider's answer failed a check, or the provider itself said no; `reason` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _issuer() -> str:
    return str(current_app.config["OIDC_ISSUER"]).rstrip("/")


def _scopes() -> str:
    scopes = str(current_app.config.get("OIDC_SCOPES") or "").split()
    return " ".join(scopes if "openid" in scopes else ["openid", *scopes])


def _client() -> FlaskOAuth2App:
    """The Authlib client for the current settings, made once and reused while its discovery is fresh."""
    config = current_app.config
    timeout = float(config.get("OIDC_HTTP_TIMEOUT", HTTP_TIMEOUT_SECONDS))
    key = (_issuer(), config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"], _scopes(), timeout)
    clients: dict[tuple[object, ...], FlaskOAuth2App] = current_app.extensions.setdefault(
        "directory_clients", {}
    )
    client = clients.get(key)
    loaded_at = client.server_metadata.get("_loaded_at") if client is not None else None
    if client is None or (loaded_at and time.time() - loaded_at > DISCOVERY_MAX_AGE_SECONDS):
        client = FlaskOAuth2App(
            FlaskIntegration("directory"),
            name="directory",
            client_id=key[1],
            client_secret=key[2],
            server_metadata_url=f"{key[0]}/.well-known/openid-configuration",
            client_kwargs={
                "scope": key[3],
                "code_challenge_method": "S256",
                "default_timeout": timeout,
            },
        )
        clients[key] = client
    return client


def _metadata(client: FlaskOAuth2App) -> dict[str, Any]:
    """The discovery document, which must name the issuer we were configured with."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Discovery document not read: {type(exc).__name__}") from exc
    if str(metadata.get("issuer", "")).rstrip("/") != _issuer():
        client.server_metadata.clear()
        raise ProviderUnavailable("Discovery document names another issuer")
    return metadata


def form_targets() -> tuple[str, ...]:
    """The origins the sign-in button leads to: the issuer's and, once discovery has been read, its
    authorisation endpoint's (the page's CSP form-action must allow the redirect there)."""
    origins = [_origin(_issuer())]
    clients = current_app.extensions.get("directory_clients", {})
    for client in clients.values():
        endpoint = client.server_metadata.get("authorization_endpoint")
        if endpoint and str(client.server_metadata.get("issuer", "")).rstrip("/") == _issuer():
            origins.append(_origin(str(endpoint)))
    return tuple(dict.fromkeys(origin for origin in origins if origin))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"https", "http"} and parts.netloc else ""


def start(redirect_uri: str) -> tuple[Response, str]:
    """The redirect to the provider's sign-in page, and the state it carries (the attempt's state,
    nonce and PKCE verifier wait in the session for the callback)."""
    client = _client()
    _metadata(client)
    try:
        found = client.create_authorization_url(redirect_uri)
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Sign-in not started: {type(exc).__name__}") from exc
    client.save_authorize_data(redirect_uri=redirect_uri, **found)
    return redirect(found["url"]), found["state"]


def finish() -> dict[str, Any]:
    """On the callback: trade the code for tokens and return the ID token's checked claims."""
    client = _client()
    _metadata(client)
    try:
        token = client.authorize_access_token(leeway=CLOCK_LEEWAY_SECONDS)
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"Token endpoint not reached: {type(exc).__name__}") from exc
    except (AuthlibBaseError, JoseError) as exc:
        raise SignInRejected(_describe(exc)) from exc
    claims = token.get("userinfo")
    if not claims:
        raise SignInRejected("No ID token in the provider's answer")
    return dict(claims)


def _describe(error: Exception) -> str:
    """A line for the sign-in log: the error's kind and what it says."""
    detail = getattr(error, "description", None) or getattr(error, "error", None) or str(error)
    return f"{type(error).__name__}: {detail}"[:300]
