"""Values as people read them on a page: the template filters, built on the calendar and money rules.

No Flask here, so emails, CLI output and tests format exactly as the pages do.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tracker.domain.calendar import format_date, london_now
from tracker.domain.money import format_money


def uk_date(value: date | None) -> str:
    """'27 March 2027'; an aware datetime shows the date it was in London; None shows nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london_now(value).date()
    return format_date(value)


def uk_time(value: datetime) -> str:
    """GOV.UK style time of day in London: '2:05pm', '9am', 'midday', 'midnight'."""
    local = london_now(value)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def uk_datetime(value: datetime | None) -> str:
    """'27 March 2027 at 2:05pm' in London time, whichever side of a clock change it falls."""
    if value is None:
        return ""
    return f"{uk_date(value)} at {uk_time(value)}"


def money(value: Decimal | int | None) -> str:
    """'£1,250,000', with pence only when there are some: '£1,250,000.50'; None shows nothing."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"money takes a Decimal or an int, not {type(value).__name__}")
    return format_money(Decimal(value))
