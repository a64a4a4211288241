"""Digest wording helpers: absolute links from BASE_URL, and a flag's evidence as labelled values.

Email is read away from the app, so every link is absolute; evidence is stored as JSON strings, so
it is turned into what a person reads (dates, pounds, percentages) before it reaches a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from tracker.domain.calendar import format_date
from tracker.domain.flags import Evidence
from tracker.domain.money import format_money
from tracker.domain.wording import format_number, format_percent


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


# Evidence keys the rules write, with how to show them; others are shown with their key humanised.
_LABELS: dict[str, tuple[str, str]] = {
    "days_overdue": ("Days overdue", "number"),
    "slip_days": ("Days of slip", "number"),
    "days_since_update": ("Days since update", "number"),
    "threshold_days": ("Threshold (days)", "number"),
    "window_days": ("Window (days)", "number"),
    "baseline_date": ("Baseline", "date"),
    "forecast_date": ("Forecast", "date"),
    "last_update_on": ("Last update", "date"),
    "measured_on": ("Measured on", "date"),
    "latest": ("Latest", "date"),
    "forecast": ("Forecast spend", "money"),
    "approved": ("Approved", "money"),
    "requested": ("Requested", "money"),
    "over_pct": ("Over budget", "percent"),
    "spent_pct": ("Budget spent", "percent"),
    "done_pct": ("Share of milestones done", "percent"),
    "milestones_done": ("Milestones done", "number"),
    "milestones": ("Milestones", "number"),
    "it_investment": ("IT investment", "money"),
    "gap_pct": ("Gap", "percent"),
    "pct": ("Realised", "percent"),
    "actual": ("Measured", "measure"),
    "planned": ("Planned", "measure"),
}


def evidence_lines(evidence: Evidence) -> tuple[tuple[str, str], ...]:
    """Each evidence value as (label, text); empty values are left out."""
    lines = []
    for key, value in evidence.items():
        if value is None or value == "":
            continue
        label, kind = _LABELS.get(key, (key.replace("_", " ").capitalize(), "text"))
        lines.append((label, _show(value, kind)))
    return tuple(lines)


def _show(value: str | int | bool, kind: str) -> str:
    """Format one value; anything that does not parse is shown as it was stored."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    try:
        if kind == "date":
            return format_date(date.fromisoformat(str(value)))
        if kind == "money":
            return format_money(Decimal(str(value)))
        if kind == "percent":
            return format_percent(Decimal(str(value)))
        if kind in ("number", "measure"):
            return format_number(Decimal(str(value)))
    except (ValueError, InvalidOperation):
        pass
    return str(value)
