"""Digest links: absolute addresses from BASE_URL, since email is read away from the app.

A flag's evidence is put into words by `domain.evidence.describe`, the same words as on the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

# The milestones page offers due in the next 2, 4, 8 or 12 weeks.
MILESTONE_WEEKS = (2, 4, 8, 12)
# Characters `quote` leaves alone: most codes are only these, and a digest links thousands of them.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")


@dataclass(frozen=True)
class Links:
    """Pages of the tracker at its public address."""

    base_url: str

    @property
    def portfolio(self) -> str:
        return f"{self.base_url}/programmes/"

    @property
    def my_programmes(self) -> str:
        return f"{self.base_url}/programmes/?scope=mine"

    @property
    def preferences(self) -> str:
        return f"{self.base_url}/account/preferences"

    def programme(self, code: str) -> str:
        path = code if _UNRESERVED.fullmatch(code) else quote(code, safe="")
        return f"{self.base_url}/programmes/{path}/"

    def section(self, code: str, section: str) -> str:
        """A programme's page for milestones, money, benefits, risks or updates."""
        return f"{self.programme(code)}{section}/"

    def change_request(self, code: str, request_id: int) -> str:
        return f"{self.programme(code)}change-requests/{request_id}"

    def rebaselines(self) -> str:
        return f"{self.base_url}/rebaselines/"

    def programmes(self, *, mine: bool, flag: str | None = None, rating: str | None = None) -> str:
        """The programmes list filtered on a flag's rule or a rating; a manager's own programmes if `mine`."""
        args = {"flag": flag, "rating": rating, "scope": "mine" if mine else None}
        return f"{self.base_url}/programmes/?{urlencode({k: v for k, v in args.items() if v})}"

    def milestones(self, when: str | int, *, mine: bool) -> str:
        """Milestones across the portfolio: `overdue`, or due in the next N weeks (one of MILESTONE_WEEKS)."""
        if when != "overdue" and when not in MILESTONE_WEEKS:
            raise ValueError(f"The milestones page has no 'when={when}'")
        return f"{self.base_url}/milestones/?when={when}" + ("&scope=mine" if mine else "")
