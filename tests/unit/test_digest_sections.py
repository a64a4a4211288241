"""The digest's sections worked out from plain rows, with no app or database."""

from datetime import date

import pytest

from tracker.domain.digest import sections
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import AssessmentRow, MilestoneRow
from tracker.domain.digest.shown import SHOWN_PER_SECTION, ListLink, first_few
from tracker.domain.flags import Flag, Severity
from tracker.domain.rating import Rating

TODAY = date(2027, 3, 10)
LINKS = Links("https://t.example")
REFS = {
    1: sections.ProgrammeRef("RES-001", "Payroll", "Pat", "pat@example.org", LINKS.programme("RES-001")),
    2: sections.ProgrammeRef("ADU-001", "Care", "Sam", "sam@example.org", LINKS.programme("ADU-001")),
}


def milestone(programme_id: int, baseline: date, forecast: date | None = None) -> MilestoneRow:
    return MilestoneRow(programme_id, 0, f"Due {baseline}", False, baseline, forecast)


def test_overdue_oldest_first_and_due_soon_soonest_first() -> None:
    rows = [
        milestone(1, date(2027, 3, 1)),
        milestone(2, date(2027, 2, 1)),
        milestone(1, date(2027, 3, 20)),
        milestone(2, date(2027, 3, 12)),
        milestone(2, date(2027, 4, 30)),  # beyond the fortnight
        milestone(1, TODAY, date(2027, 3, 15)),  # due today by its baseline: not yet overdue
    ]
    dated = sections.milestones(rows, REFS, TODAY, LINKS, mine=False)
    overdue, due_soon = dated.overdue.lines, dated.due_soon.lines
    assert [(line.programme.code, line.days) for line in overdue] == [("ADU-001", 37), ("RES-001", 9)]
    assert [(line.programme.code, line.days) for line in due_soon] == [
        ("ADU-001", 2),
        ("RES-001", 5),
        ("RES-001", 10),
    ]
    assert overdue[0].url == "https://t.example/programmes/ADU-001/milestones/"


def test_a_new_red_flag_is_a_move_for_the_worse_and_a_cleared_one_for_the_better() -> None:
    stale = Flag("stale", Severity.RED, "No update for 45 days")
    latest = {1: AssessmentRow(Rating.RED, 300, (stale,)), 2: AssessmentRow(Rating.GREEN, 0, ())}
    previous = {1: AssessmentRow(Rating.GREEN, 0, ()), 2: AssessmentRow(Rating.RED, 300, (stale,))}
    worse, better = (
        section.lines for section in sections.movements(latest, previous, REFS, LINKS, mine=False)
    )
    assert [(m.programme.code, m.previous, m.trend) for m in worse] == [("RES-001", "green", "new")]
    assert [(m.programme.code, m.rating, m.trend) for m in better] == [("ADU-001", "green", "resolved")]
    assert [(line.change, line.message) for line in worse[0].flags] == [("new", "No update for 45 days")]


def test_a_section_shows_the_first_few_and_says_where_the_rest_are() -> None:
    rest = [ListLink("all overdue milestones", LINKS.milestones("overdue", mine=False))]

    crowded = first_few(list(range(25)), rest)
    short = first_few([1, 2], rest)

    assert (crowded.lines, crowded.total, crowded.more) == (tuple(range(SHOWN_PER_SECTION)), 25, 15)
    assert crowded.rest[0].url == "https://t.example/milestones/?when=overdue"
    assert (short.lines, short.more, short.rest) == ((1, 2), 0, ())  # all shown: no link to the rest
    assert not first_few([], rest) and short


def test_links_to_the_filtered_lists() -> None:
    assert LINKS.programmes(flag="stale", mine=False) == "https://t.example/programmes/?flag=stale"
    assert LINKS.programmes(rating="red", mine=True) == "https://t.example/programmes/?rating=red&scope=mine"
    assert LINKS.milestones(2, mine=True) == "https://t.example/milestones/?when=2&scope=mine"
    with pytest.raises(ValueError):
        LINKS.milestones(3, mine=False)  # the milestones page offers 2, 4, 8 or 12 weeks
    assert LINKS.programme("DIG/7 A") == "https://t.example/programmes/DIG%2F7%20A/"


def test_moves_beyond_the_first_few_link_to_their_ratings_lists() -> None:
    refs = {
        n: sections.ProgrammeRef(f"P-{n:02d}", "P", "", "", LINKS.programme(f"P-{n:02d}")) for n in range(14)
    }
    stale = Flag("stale", Severity.RED, "No update for 45 days")
    overrun = Flag("cost_overrun", Severity.AMBER, "Over budget")
    latest = {
        n: AssessmentRow(Rating.RED, 300, (stale,)) if n < 8 else AssessmentRow(Rating.AMBER, 10, (overrun,))
        for n in refs
    }

    worse, better = sections.movements(latest, {}, refs, LINKS, mine=True)

    assert [m.programme.code for m in worse.lines] == [f"P-{n:02d}" for n in range(10)]  # red first, by code
    assert (worse.total, worse.more, better.total) == (14, 4, 0)
    assert [(link.text, link.url) for link in worse.rest] == [
        ("your amber programmes", "https://t.example/programmes/?rating=amber&scope=mine")
    ]


def test_flagged_shows_red_first_and_links_to_the_rules_list() -> None:
    refs = {
        n: sections.ProgrammeRef(f"P-{n:02d}", "P", "", "", LINKS.programme(f"P-{n:02d}")) for n in range(12)
    }
    latest = {
        n: AssessmentRow(
            Rating.AMBER, 10, (Flag("cost_overrun", Severity.RED if n > 9 else Severity.AMBER, f"Over {n}"),)
        )
        for n in refs
    }

    section = sections.flagged(latest, refs, "cost_overrun", LINKS, "money", mine=False)

    assert [item.programme.code for item in section.lines][:3] == ["P-10", "P-11", "P-00"]
    assert section.total == 12 and len(section.lines) == SHOWN_PER_SECTION
    assert section.rest[0].url == "https://t.example/programmes/?flag=cost_overrun"


def test_a_late_dependency_is_news_in_the_digest_and_on_the_managers_list() -> None:
    """It reaches the digest like any other flag, and its to-do line reads as a sentence with its figures."""
    from tracker.domain.digest.todo import todo

    late = Flag(
        "dependency_late",
        Severity.AMBER,
        "Depends on ICT-003 Wave 2 laptops, forecast for 29 January 2027, needed by 19 January 2027 for "
        "Social workers trained: 10 days late",
    )
    latest = {2: AssessmentRow(Rating.AMBER, 10, (late,))}
    worse, _ = sections.movements(latest, {2: AssessmentRow(Rating.GREEN, 0, ())}, REFS, LINKS, mine=True)
    line = worse.lines[0].flags[0]
    assert (line.label, line.change) == ("Waiting on a late dependency", "new")
    empty = sections.milestones([], REFS, TODAY, LINKS, mine=True)
    lines = todo({2: REFS[2]}, latest, empty, LINKS).lines
    assert [(item.text, item.url) for item in lines] == [
        (
            "Agree with the programme you wait for how to close the gap, or re-plan (depends on ICT-003 "
            "Wave 2 laptops, forecast for 29 January 2027, needed by 19 January 2027 for Social workers "
            "trained: 10 days late)",
            "https://t.example/programmes/ADU-001/milestones/",
        )
    ]
