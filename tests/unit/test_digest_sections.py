"""The digest's sections worked out from plain rows, with no app or database."""

from datetime import date

from tracker.domain.digest import sections
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import AssessmentRow, MilestoneRow
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
    overdue, due_soon = sections.milestones(rows, REFS, TODAY, LINKS)
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
    worse, better = sections.movements(latest, previous, REFS)
    assert [(m.programme.code, m.previous, m.trend) for m in worse] == [("RES-001", "green", "new")]
    assert [(m.programme.code, m.rating, m.trend) for m in better] == [("ADU-001", "green", "resolved")]
    assert [(line.change, line.message) for line in worse[0].flags] == [("new", "No update for 45 days")]
