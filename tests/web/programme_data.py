"""Programmes for the programme page tests: one saved with sensible facts, and a complete key facts form."""

from __future__ import annotations

from tests.factories import ProgrammeFactory
from tracker.models import Focus, Programme


def add_programme(code: str = "DIG-001", **values: object) -> Programme:
    values.setdefault("name", "Digital front door")
    return ProgrammeFactory(code=code, focus=Focus.SERVICE_IMPROVEMENT, **values)


def key_facts(**overrides: str) -> dict[str, str]:
    """A complete, valid key facts form, three-box dates and all."""
    data = {
        "name": "Digital front door",
        "directorate": "Customer and Digital",
        "focus": "service_improvement",
        "start_date": ["1", "4", "2026"],
        "baseline_end_date": ["31", "3", "2027"],
        "forecast_end_date": ["", "", ""],
        "confidence": "",
        "stage": "idea",  # the create form's; the edit form ignores it
    }
    data.update(overrides)
    return data
