"""Weekly digest jobs. The digest itself is not built yet: these record that honestly."""

from __future__ import annotations


def send_weekly_digest() -> str:
    """Placeholder until the weekly digest exists: sends nothing and says so."""
    return "Weekly digest is not built yet; nothing sent."


def retry_failed_deliveries() -> str:
    """Placeholder until digest deliveries exist: nothing to retry."""
    return "No digest deliveries to retry."
