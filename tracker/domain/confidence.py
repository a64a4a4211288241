"""Delivery confidence on the IPA's five-point scale, and the three colours derived from it.

Confidence is recorded as published: Green, Amber/Green, Amber, Amber/Red, Red. Where a page or a
chart has room for only three colours, a split rating shows as its worse colour (Amber/Green as
amber, Amber/Red as red), as the IPA's own three-colour summaries and our earlier imports did; pages
that do this say so beside the rating.
"""

from typing import Literal

from tracker.domain.snapshot import CONFIDENCES
from tracker.domain.vocabulary import CONFIDENCE_LABELS, SOURCE_LABELS

ThreeColour = Literal["green", "amber", "red"]

_THREE: dict[str, ThreeColour] = {
    "green": "green",
    "amber_green": "amber",
    "amber": "amber",
    "amber_red": "red",
    "red": "red",
}


def rank(confidence: str) -> int:
    """Order the five points from best (0, Green) to worst (4, Red) so they can be compared."""
    return CONFIDENCES.index(confidence)


def three_colour(confidence: str) -> ThreeColour:
    """The colour to use where only three fit: a split rating takes its worse colour."""
    return _THREE[confidence]


def is_split(confidence: str) -> bool:
    """Amber/Green and Amber/Red lose detail in three colours, so pages say how they are shown."""
    return confidence in ("amber_green", "amber_red")


def describe(confidence: str) -> str:
    """Pages that show three colours must say how a split rating became one; this is that wording."""
    label = CONFIDENCE_LABELS[confidence]
    if not is_split(confidence):
        return label
    return f"{label} (shown as {three_colour(confidence)} where three colours are used)"


def confidence_label(confidence: str | None) -> str:
    """The published label, or 'Not assessed yet' when no assessment is recorded."""
    return CONFIDENCE_LABELS[confidence] if confidence else "Not assessed yet"


def confidence_colour(confidence: str | None) -> str:
    """The tag colour: one of the three colours, or '' when not assessed."""
    return three_colour(confidence) if confidence else ""


def source_label(source: str | None) -> str:
    """Who assessed it, as people say it; '' when not recorded."""
    return SOURCE_LABELS[source] if source else ""
