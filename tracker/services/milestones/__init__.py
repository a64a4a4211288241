"""Milestones: progress updates, their change log, re-baseline requests and the calendar feed."""
