"""The council's calendar: UK financial years (April to March), ISO weeks and Europe/London time.

Nothing here reads the clock: callers pass `today` or an aware `utc_now`.
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100
"""Dates outside these years are refused everywhere a date comes in (forms, API, imports): long
programmes in published returns started in the 1980s, and nothing is planned past 2100."""
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_FINANCIAL_YEAR = re.compile(r"(?:FY\s*)?(?P<start>\d{4})\s*[/-]\s*(?P<end>\d{4}|\d{2})", re.IGNORECASE)
_ISO_WEEK = re.compile(r"(?P<year>\d{4})-?W(?P<week>\d{2})", re.IGNORECASE)


def financial_year(d: date) -> int:
    """Councils budget April to March, so a date belongs to the year that began on the last 1 April."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_label(start: int) -> str:
    """Councils write a financial year as `2026/27`: the starting year, then the next as two digits."""
    _check_start_year(start)
    return f"{start}/{(start + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """Read the ways people write a financial year (2026/27, 2026-27, 2026/2027, FY2026/27) as its start."""
    match = _FINANCIAL_YEAR.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"Enter a financial year like 2026/27, not '{text.strip()}'")
    start, end = int(match["start"]), match["end"]
    follows = int(end) == start + 1 if len(end) == 4 else int(end) == (start + 1) % 100
    if not follows:
        raise ValueError(f"The second year must follow the first, as in {financial_year_label(start)}")
    _check_start_year(start)
    return start


def financial_year_bounds(start: int) -> tuple[date, date]:
    """Reports filter by financial year, so give its first and last days (1 April, 31 March)."""
    _check_start_year(start)
    return date(start, 4, 1), date(start + 1, 3, 31)


def _check_start_year(start: int) -> None:
    """Keep years inside what `date` can hold, so bad input is a ValueError and not a crash later."""
    if not 1 <= start <= 9998:
        raise ValueError("Enter a financial year between 0001/02 and 9998/99")


def iso_week_key(d: date) -> str:
    """Digests go out once per ISO week, so a week needs a stable key like `2026-W49`."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(key: str) -> date:
    """Turn a week key like `2026-W49` back into the Monday that starts it."""
    match = _ISO_WEEK.fullmatch(key.strip())
    if match is None:
        raise ValueError(f"Enter a week like 2026-W49, not '{key.strip()}'")
    try:
        return date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError:
        raise ValueError(f"{match['year']} has no week {int(match['week'])}") from None


def week_of(key: str) -> str:
    """People read 'week of 30 November 2026', not the week key `2026-W49` the digests are stored under."""
    return f"week of {format_date(parse_iso_week(key))}"


def week_commencing(d: date) -> date:
    """Highlight reports and digests cover a week that starts on Monday."""
    return d - timedelta(days=d.weekday())


def london_now(utc_now: datetime) -> datetime:
    """Councils think in London time; convert an aware moment (usually UTC) before showing or bucketing it."""
    if utc_now.tzinfo is None or utc_now.utcoffset() is None:
        raise ValueError("A timezone-aware datetime is needed, not a naive one")
    return utc_now.astimezone(LONDON)


def london_today(utc_now: datetime) -> date:
    """The date in London at a moment: 23:30 UTC in summer is already tomorrow there."""
    return london_now(utc_now).date()


def london_week_key(utc_now: datetime) -> str:
    """The ISO week a moment falls in, counted in London, so a digest claims the week people expect."""
    return iso_week_key(london_today(utc_now))


def days_between(start: date, end: date) -> int:
    """Whole days from `start` to `end` (negative when `end` is earlier), for overdue and staleness counts."""
    return (end - start).days


def format_date(d: date) -> str:
    """Write dates the way GOV.UK does, `4 November 2026`, without depending on the server's locale."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
