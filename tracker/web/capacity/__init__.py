"""Capacity to change: service teams and their capacity, the change days milestones land on them, and the
heatmap of load against capacity."""

from tracker.web.capacity.views import blueprint, loads_blueprint

__all__ = ["blueprint", "loads_blueprint"]
