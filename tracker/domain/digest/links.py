"""Digest links: absolute addresses from BASE_URL, since email is read away from the app.

A flag's evidence is put into words by `domain.evidence.describe`, the same words as on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


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
        return f"{self.base_url}/programmes/{quote(code, safe='')}/"

    def section(self, code: str, section: str) -> str:
        """A programme's page for milestones, money, benefits, risks or updates."""
        return f"{self.programme(code)}{section}/"

    def rebaselines(self) -> str:
        return f"{self.base_url}/rebaselines/"
