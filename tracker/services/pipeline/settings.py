"""The pipeline's settings: each criterion's weight and the budget envelope of each financial year, one
`Setting` row of JSON over the domain's defaults, as the risk thresholds are kept."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from tracker.domain.calendar import financial_year_label
from tracker.domain.money import MoneyError, format_money, parse_money
from tracker.domain.pipeline import CRITERIA, CRITERION_KEYS, DEFAULT_WEIGHTS, MAX_WEIGHT, MIN_WEIGHT
from tracker.extensions import db
from tracker.models import AuditAction, Setting
from tracker.services import audit
from tracker.services.errors import Invalid, Problem

PIPELINE = "pipeline"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineSettings:
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    envelopes: dict[int, Decimal] = field(default_factory=dict)  # by the year a financial year starts

    def envelope(self, year: int) -> Decimal | None:
        """None: not set, so the money left cannot be worked out."""
        return self.envelopes.get(year)

    def as_json(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "envelopes": {str(year): str(amount) for year, amount in sorted(self.envelopes.items())},
        }


def current_settings() -> PipelineSettings:
    """The page, the scenarios and the board pack all read the weights and envelope through here."""
    return _merged(db.session.scalar(select(Setting.value).where(Setting.key == PIPELINE)))


def settings_problems(weights: Mapping[str, str | None], envelope: str | None) -> list[Problem]:
    """Every weight or envelope as typed that cannot be saved (None: refused by the form already)."""
    problems: list[Problem] = []
    for criterion in CRITERIA:
        text = weights.get(criterion.key)
        if text is not None and _weight(text) is None:
            problems.append(
                (
                    f"weight_{criterion.key}",
                    f"Enter the weight of {criterion.label.lower()} as a whole number from "
                    f"{MIN_WEIGHT} to {MAX_WEIGHT}",
                )
            )
    if envelope is not None and envelope.strip():
        try:
            amount = parse_money(envelope)
        except MoneyError as error:
            problems.append(("envelope", str(error)))
        else:
            if amount < 0:
                problems.append(("envelope", "Enter an envelope of £0 or more"))
    return problems


def update_settings(
    weights: Mapping[str, str], envelope: str, *, year: int, user_id: int | None
) -> PipelineSettings:
    """Set every criterion's weight and the envelope of `year` (blank: not set), in the audit trail."""
    problems = settings_problems(weights, envelope)
    if problems:
        raise Invalid.every(problems)
    row = db.session.get(Setting, PIPELINE)
    before = _merged(None if row is None else row.value)
    new_weights = {key: _weight(weights[key]) or 0 for key in CRITERION_KEYS}
    envelopes = dict(before.envelopes)
    if envelope.strip():
        envelopes[year] = parse_money(envelope)
    else:
        envelopes.pop(year, None)
    after = PipelineSettings(weights=new_weights, envelopes=envelopes)
    changes: dict[str, tuple[object, object]] = {
        f"weight_{key}": (before.weights[key], after.weights[key])
        for key in CRITERION_KEYS
        if before.weights[key] != after.weights[key]
    }
    if before.envelope(year) != after.envelope(year):
        changes[f"envelope_{financial_year_label(year)}"] = (
            format_money(before.envelope(year)),
            format_money(after.envelope(year)),
        )
    if not changes:
        return after
    if row is None:
        row = Setting(key=PIPELINE, value=after.as_json(), updated_by_id=user_id)
        db.session.add(row)
    else:
        row.value = after.as_json()
        row.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        row,
        user_id=user_id,
        programme_id=None,
        summary="Changed the pipeline settings: " + ", ".join(changes),
        changes=changes,
    )
    db.session.commit()
    return after


def _weight(text: str | None) -> int | None:
    if text is None or len(text.strip()) > 2 or not (text.strip().isascii() and text.strip().isdigit()):
        return None
    value = int(text.strip())
    return value if MIN_WEIGHT <= value <= MAX_WEIGHT else None


def _merged(stored: Any) -> PipelineSettings:
    """Stored values over the defaults; anything unreadable falls back (only a code change makes it so)."""
    if not isinstance(stored, dict):
        return PipelineSettings()
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (stored.get("weights") or {}).items():
        if key in weights and isinstance(value, int) and MIN_WEIGHT <= value <= MAX_WEIGHT:
            weights[key] = value
    envelopes: dict[int, Decimal] = {}
    for year, amount in (stored.get("envelopes") or {}).items():
        try:
            envelopes[int(year)] = Decimal(str(amount))
        except (ValueError, InvalidOperation):
            log.warning("Stored pipeline envelope for %s is not an amount; ignored", year)
    return PipelineSettings(weights=weights, envelopes=envelopes)
