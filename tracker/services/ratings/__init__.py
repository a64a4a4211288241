"""Ratings: the daily scan, re-rating on every change, and the snapshots the rules read."""
