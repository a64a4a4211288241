"""A change to a programme re-rates, in the same transaction, the programmes waiting on its milestones: the
dependency rule reads the predecessor's dates, so their ratings must not wait for the next scan."""

from __future__ import annotations

from collections.abc import Collection

from tracker.services.dependencies.reads import waiting_on
from tracker.services.portfolio.figures import refresh_programme_figures
from tracker.services.ratings.rerating import Trigger, rerate


def rerate_dependants(programme_ids: Collection[int], *, trigger: Trigger, user_id: int | None) -> None:
    """Re-rate the open programmes waiting on these programmes' milestones (one query when none do).

    A change to what a programme itself waits for moves none of its milestones: nobody waiting on it
    needs re-rating then."""
    if trigger is Trigger.DEPENDENCY:
        return
    rerate_programmes(waiting_on(programme_ids) - set(programme_ids), user_id=user_id)


def rerate_programmes(programme_ids: Collection[int], *, user_id: int | None) -> None:
    """Re-rate these programmes after a change to what they depend on, and refresh their figures."""
    if programme_ids:
        rerate(programme_ids, trigger=Trigger.DEPENDENCY, user_id=user_id)
        refresh_programme_figures(programme_ids)
