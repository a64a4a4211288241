"""iCalendar text: escaping of TEXT values, folding at 75 octets without splitting a character, CRLF."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.ical import AllDayEvent, Status, calendar_text, escape_text, fold


def unfold(text: str) -> str:
    """What a calendar reader does first (RFC 5545 3.1): CRLF followed by a space joins lines."""
    return text.replace("\r\n ", "")


def test_escaping_backslash_semicolon_comma_and_line_breaks() -> None:
    assert escape_text("Go-live; phase 1, part 2") == "Go-live\\; phase 1\\, part 2"
    assert escape_text("C:\\share") == "C:\\\\share"
    assert escape_text("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert escape_text("\\,") == "\\\\\\,"  # the backslash first, so the comma's is not doubled


def test_short_lines_are_left_alone() -> None:
    assert fold("SUMMARY:Go-live") == "SUMMARY:Go-live"
    assert fold("X" * 75) == "X" * 75


def test_long_lines_fold_at_75_octets_with_a_leading_space() -> None:
    folded = fold("D" * 200)
    lines = folded.split("\r\n")
    # 75 + 74 + 51 characters: each continuation line starts with a space, which counts
    assert [len(line.encode()) for line in lines] == [75, 75, 52]
    assert all(line.startswith(" ") for line in lines[1:])
    assert unfold(folded) == "D" * 200


def test_folding_never_splits_a_multibyte_character() -> None:
    line = "SUMMARY:" + "£" * 40 + "é" * 10 + "📅" * 5
    for piece in fold(line).split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")  # each piece is whole characters
    assert unfold(fold(line)) == line


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_folding_any_text_keeps_it_whole_and_within_the_limit(text: str) -> None:
    folded = fold("DESCRIPTION:" + text.replace("\r", "").replace("\n", ""))
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))
    assert unfold(folded) == "DESCRIPTION:" + text.replace("\r", "").replace("\n", "")


def test_a_calendar_of_all_day_events() -> None:
    event = AllDayEvent(
        uid="milestone-7@tracker.test",
        day=date(2027, 3, 31),
        summary="DIG-004: Go-live, phase 1",
        description="Forecast: 31 March 2027\nhttp://tracker.test/x",
        status=Status.TENTATIVE,
        url="http://tracker.test/x",
    )
    text = calendar_text(
        "DIG-004 Digital; front door", [event], stamp=datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text).split("\r\n")
    for expected in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:DIG-004 Digital\\; front door",
        "UID:milestone-7@tracker.test",
        "DTSTAMP:20261127T093000Z",
        "DTSTART;VALUE=DATE:20270331",
        "DTEND;VALUE=DATE:20270401",
        "SUMMARY:DIG-004: Go-live\\, phase 1",
        "DESCRIPTION:Forecast: 31 March 2027\\nhttp://tracker.test/x",
        "STATUS:TENTATIVE",
    ):
        assert expected in lines
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")


def test_the_stamp_is_written_in_utc() -> None:
    from zoneinfo import ZoneInfo

    summer = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    event = AllDayEvent("u@h", date(2026, 7, 1), "s", "d", Status.CONFIRMED)
    assert "DTSTAMP:20260701T090000Z" in calendar_text("c", [event], stamp=summer)
