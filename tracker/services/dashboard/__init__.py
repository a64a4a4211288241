"""The portfolio dashboard: totals, charts and whole-life figures for a filtered portfolio."""
