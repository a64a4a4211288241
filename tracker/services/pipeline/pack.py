"""The board pack's pipeline section: the chosen scenario, its programmes ranked in and out, the money it
leaves next financial year and the teams over capacity with it, as at the day the pack is drawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tracker.models import User
from tracker.policy import Action, can
from tracker.services.pipeline.reads import PipelineRow, PipelineView, pipeline_view
from tracker.services.pipeline.scenarios import chosen_scenario, scenario_programme_ids

PACK_ROWS = 30
"""Ranked programmes a pack lists: every one ticked in, then the highest ranked left out, up to this."""


@dataclass(frozen=True)
class PipelinePack:
    name: str
    note: str
    saved_at: datetime
    saved_by: str | None
    envelope_when_saved: Decimal | None
    view: PipelineView

    @property
    def rows(self) -> list[PipelineRow]:
        """Those ticked in, then those left out, each in rank order, no more than PACK_ROWS."""
        ticked = self.view.included
        return (ticked + [row for row in self.view.rows if not row.included])[: max(PACK_ROWS, len(ticked))]


def chosen_for_pack(today: date, reader: User) -> PipelinePack | None:
    """None when no scenario has been chosen, or the pack's reader is not of the CIO's management team (a
    programme manager's own pack, a viewer's): the pack then leaves the section out. The command line's
    pack, for no one in particular (no role), is the board's, so it has it."""
    if reader.role is not None and not can(reader, Action.VIEW_PIPELINE):
        return None
    scenario = chosen_scenario()
    if scenario is None:
        return None
    return PipelinePack(
        name=scenario.name,
        note=scenario.note,
        saved_at=scenario.saved_at,
        saved_by=scenario.saved_by.name if scenario.saved_by else None,
        envelope_when_saved=scenario.envelope,
        view=pipeline_view(today, scenario_programme_ids(scenario.id)),
    )
