"""Milestones: progress updates, their change log, re-baseline requests, the calendar feed, and the
overdue and upcoming milestones across the portfolio."""
