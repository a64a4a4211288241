"""The portfolio dependency view's chart, from the page of dependencies the view lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.domain.dependency_chart import DependencyChart, DependencyDates, dependency_chart
from tracker.domain.programme_charts import Empty
from tracker.services.dependencies.reads import DependencyLine


def chart_of(lines: Sequence[DependencyLine], *, today: date) -> DependencyChart | Empty:
    """Each line drawn between its two programmes' rows, late ones marked."""
    return dependency_chart(
        [
            DependencyDates(
                id=line.id,
                waiting_code=line.waiting_code,
                waiting_name=line.waiting_name,
                waiting_title=line.waiting_title,
                predecessor_code=line.predecessor_code,
                predecessor_name=line.predecessor_name,
                predecessor_title=line.predecessor_title,
                expected=line.lands.expected,
                needed_by=line.needed_by,
                late=line.late,
                status=line.gap,
            )
            for line in lines
        ],
        today=today,
    )
