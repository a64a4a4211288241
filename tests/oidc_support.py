"""A real OpenID provider for tests: `node tests/oidc/provider.mjs` (oidc-provider) on a free port.

The session fixture `oidc_provider` in tests/conftest.py starts one per test process; tests change
its people with `set_person`, make the next ID token misbehave with `misbehave`, and sign in through
its own login and consent pages with `sign_in` (an HTTP client) or a browser.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "change-tracker"
CLIENT_SECRET = "test-client-secret-not-for-production"
CALLBACK_PATH = "/sign-in/directory/callback"
# Groups the tests' role map knows (ids, as Entra sends them), and an app role.
GROUPS = {
    "admin": "3d1b4a5c-admins",
    "cio": "7f2e9c10-cio",
    "board": "a4c8e2b1-board",
    "programme_manager": "5b6d7e8f-pm",
}
APP_ROLES = {"Tracker.Viewer": "viewer"}
ROLE_MAP = {**{group: role for role, group in GROUPS.items()}, **APP_ROLES}

_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_PROMPT = re.compile(r'name="prompt" value="(\w+)"')


class OpenIdProvider:
    """Start with `with OpenIdProvider(folder) as provider:`; `provider.issuer` is its address."""

    def __init__(self, folder: Path, *, base_url: str = "http://tracker.test") -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._state_path = folder / f"oidc-provider-{self.port}.json"
        self._log_path = folder / f"oidc-provider-{self.port}.log"
        self._redirect_uris = [base_url + CALLBACK_PATH]
        self._people: dict[str, dict[str, Any]] = {}
        self._process: subprocess.Popen[bytes] | None = None

    # Settings and people -------------------------------------------------------------------------

    def settings(self, **overrides: object) -> dict[str, object]:
        """App config that signs in through this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ROLE_MAP": dict(ROLE_MAP),
            "OIDC_DEFAULT_ROLE": "",
            "OIDC_LABEL": "Sign in with Microsoft",
            **overrides,
        }

    def set_person(self, login: str, **claims: Any) -> dict[str, Any]:
        """Add or change a test person (`login` is what they type on the provider's login page)."""
        person = {"sub": login, "email": f"{login}@testshire.gov.uk", "email_verified": True}
        person |= {"name": login.title(), "groups": [], "roles": []}
        person |= claims
        self._people[login] = person
        self._write()
        return person

    def forget_people(self) -> None:
        self._people.clear()
        self._write()

    def allow_redirect(self, base_url: str) -> None:
        """Let a server at another address (a browser test's) receive the callback."""
        uri = base_url.rstrip("/") + CALLBACK_PATH
        if uri not in self._redirect_uris:
            self._redirect_uris.append(uri)
            self._write()

    def misbehave(self, mode: str) -> None:
        """Make the NEXT ID token wrong: wrong_audience, expired, other_key, wrong_nonce; or rotate_key
        (every token from then on is signed with a new key, which the provider's JWKS now lists)."""
        response = requests.post(f"{self.issuer}/__test/next-id-token", json={"mode": mode}, timeout=5)
        response.raise_for_status()

    def _write(self) -> None:
        state = {
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": self._redirect_uris,
            },
            "people": self._people,
        }
        temporary = self._state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        temporary.replace(self._state_path)

    # Signing in through the provider's own pages ---------------------------------------------------

    def sign_in(self, authorization_url: str, login: str, *, password: str = "any password") -> str:
        """Walk the provider's login and consent pages from the authorisation URL, as a person would,
        and return the callback URL it sends the browser back to (with the code and state)."""
        browser = requests.Session()
        response = browser.get(authorization_url, allow_redirects=False, timeout=10)
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location
                response = browser.get(location, allow_redirects=False, timeout=10)
                continue
            response.raise_for_status()
            form = _FORM.search(response.text)
            assert form, f"no form on the provider's page: {response.text[:500]}"
            prompt = _PROMPT.search(form.group(2))
            data = {"prompt": prompt.group(1) if prompt else "login"}
            if data["prompt"] == "login":
                data |= {"login": login, "password": password}
            action = urljoin(response.url, html.unescape(form.group(1)))
            response = browser.post(action, data=data, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")

    # Process ---------------------------------------------------------------------------------------

    def start(self) -> OpenIdProvider:
        self._write()
        log = self._log_path.open("wb")
        self._process = subprocess.Popen(
            ["node", str(HARNESS), str(self.port), str(self._state_path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,  # the harness exits when this closes, should the tests die
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the test OpenID provider stopped: {self._log_path.read_text()}")
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the test OpenID provider did not start: {self._log_path.read_text()}")

    def stop(self) -> None:
        if self._process is not None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None

    def __enter__(self) -> OpenIdProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
