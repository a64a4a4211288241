"""Small helpers the tests share."""

from __future__ import annotations

import re

from werkzeug.test import TestResponse

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(response: TestResponse) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)
