"""The over-capacity rule: a team over capacity in a month flags each programme landing work there, naming
the team, the month, the load against the capacity and the others sharing it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.capacity import Landing, months_ahead, team_months
from tracker.domain.capacity_heatmap import heatmap
from tracker.domain.change_days import parse_change_days
from tracker.domain.flags import Severity, Subject
from tracker.domain.risk import assess
from tracker.domain.rules_capacity import over_capacity
from tracker.domain.snapshot import ProgrammeSnapshot, Sharer, TeamLoadSnap
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import format_number

TODAY = date(2026, 12, 5)
MARCH = date(2027, 3, 1)
T = Thresholds()
D = Decimal


def programme(*loads: TeamLoadSnap, **changes: object) -> ProgrammeSnapshot:
    snapshot = ProgrammeSnapshot(7, "ASC-004", "Case management", "delivery", last_update_on=TODAY)
    return replace(snapshot, team_loads=loads, **changes)


def load(total: str, capacity: str | None, share: str, *others: Sharer, month: date = MARCH) -> TeamLoadSnap:
    return TeamLoadSnap(
        3,
        "Revenues and benefits",
        month,
        D(total),
        None if capacity is None else D(capacity),
        D(share),
        others,
    )


def test_a_team_over_capacity_flags_amber_naming_the_team_month_load_capacity_and_sharers() -> None:
    shared = load("48", "40", "12", Sharer("FIN-002", "Finance and HR"), Sharer("REV-006", "Revenues"))

    (flag,) = over_capacity(programme(shared), TODAY, T)

    assert flag.rule == "over_capacity" and flag.severity is Severity.AMBER
    assert flag.message == (
        "Revenues and benefits is over capacity in March 2027: 48 change days planned against 40, "
        "12 of them from this programme; shared with FIN-002 Finance and HR and REV-006 Revenues"
    )
    assert flag.evidence["month"] == "March 2027" and flag.evidence["over_pct"] == "20.0"
    assert flag.subject is None
    (pointed,) = over_capacity(programme(replace(shared, milestone_ids=(41, 42))), TODAY, T)
    assert pointed.subject == Subject("milestone", 41)


def test_more_than_the_red_threshold_over_is_red_and_so_is_any_load_on_a_nil_capacity() -> None:
    assert over_capacity(programme(load("38", "30", "8")), TODAY, T)[0].severity is Severity.RED
    assert over_capacity(programme(load("37.5", "30", "8")), TODAY, T)[0].severity is Severity.AMBER
    assert over_capacity(programme(load("1", "0", "1")), TODAY, T)[0].severity is Severity.RED
    lenient = Thresholds(over_capacity_red_pct=50)
    assert over_capacity(programme(load("38", "30", "8")), TODAY, lenient)[0].severity is Severity.AMBER


def test_at_capacity_unset_capacity_past_months_and_uncommitted_programmes_are_not_flagged() -> None:
    assert over_capacity(programme(load("30", "30", "30")), TODAY, T) == []
    assert over_capacity(programme(load("90", None, "30")), TODAY, T) == []
    assert over_capacity(programme(load("90", "30", "30", month=date(2026, 11, 1))), TODAY, T) == []
    for stage in ("idea", "business_case"):
        assert over_capacity(programme(load("90", "30", "30"), stage=stage), TODAY, T) == []
    assert over_capacity(programme(load("90", "30", "30"), paused=True), TODAY, T) == []


def test_one_over_capacity_month_makes_an_otherwise_healthy_programme_amber() -> None:
    result = assess(programme(load("33", "30", "3"), stage="closing"), TODAY, T)
    assert (result.rating.value, result.rules) == ("amber", ("over_capacity",))


def test_change_days_are_read_as_people_type_them() -> None:
    assert parse_change_days(" 12.5 ", what="Days") == (D("12.5"), None)
    assert parse_change_days("1,200", what="Days") == (D("1200.0"), None)
    assert parse_change_days("0", what="Days")[1] == "Days must be more than 0"
    assert parse_change_days("0", what="Days", allow_zero=True) == (D("0.0"), None)
    assert parse_change_days("2.25", what="Days")[1] == "Days can have at most one decimal place, like 2.5"
    assert parse_change_days("ten", what="Days")[1] == "Days must be a number, like 12 or 2.5"
    assert parse_change_days("NaN", what="Days")[1] == "Days must be a number, like 12 or 2.5"
    assert parse_change_days("-3", what="Days")[1] == "Days must be more than 0"


# Properties, over the pure sums the snapshot is built from.

MONTHS = months_ahead(TODAY, 12)
days = st.decimals(min_value=D("0.1"), max_value=D("200"), places=1)
landings = st.lists(
    st.builds(
        Landing,
        team_id=st.integers(1, 3),
        month=st.sampled_from(MONTHS),
        programme_id=st.integers(1, 4),
        milestone_id=st.integers(1, 50),
        change_days=days,
    ),
    max_size=25,
)
capacities = st.dictionaries(st.integers(1, 3), st.none() | st.decimals(min_value=0, max_value=300, places=1))


def snapshots(found: list[Landing], caps: dict[int, Decimal | None]) -> dict[int, ProgrammeSnapshot]:
    """Each programme's snapshot, built the way the scan builds it from the sums."""
    loads: dict[int, list[TeamLoadSnap]] = {}
    for (team_id, month), cell in team_months(found, caps, MONTHS).items():
        shares: dict[int, Decimal] = {}
        for landing in cell.landings:
            shares[landing.programme_id] = shares.get(landing.programme_id, D(0)) + landing.change_days
        for pid, share in shares.items():
            others = tuple(
                Sharer(f"P-{other}", f"Programme {other}") for other in sorted(shares) if other != pid
            )
            snap = TeamLoadSnap(team_id, f"Team {team_id}", month, cell.load, cell.capacity, share, others)
            loads.setdefault(pid, []).append(snap)
    return {pid: programme(*snaps, id=pid, code=f"P-{pid}") for pid, snaps in loads.items()}


@given(landings, capacities)
def test_never_fires_when_every_team_month_is_within_capacity_or_unset(found, caps) -> None:
    roomy = {
        team: None if cap is None else cap + sum(x.change_days for x in found) for team, cap in caps.items()
    }
    for snapshot in snapshots(found, roomy).values():
        assert over_capacity(snapshot, TODAY, T) == []


@given(landings, capacities)
def test_every_flag_states_the_sum_of_the_landings_and_names_each_sharer(found, caps) -> None:
    for pid, snapshot in snapshots(found, caps).items():
        for flag in over_capacity(snapshot, TODAY, T):
            team = int(flag.evidence["team"].removeprefix("Team "))  # type: ignore[union-attr]
            month = next(m for m in MONTHS if m.strftime("%B %Y") == flag.evidence["month"])
            here = [x for x in found if x.team_id == team and x.month == month]
            assert D(str(flag.evidence["load"])) == sum(x.change_days for x in here)
            assert D(str(flag.evidence["load"])) > D(str(flag.evidence["capacity"]))
            sharers = {x.programme_id for x in here} - {pid}
            assert all(f"P-{other} Programme {other}" in flag.message for other in sharers)


@given(landings, capacities)
def test_every_programme_in_an_over_capacity_team_month_is_flagged_once_for_it(found, caps) -> None:
    flagged = {
        (pid, flag.evidence["team"], flag.evidence["month"])
        for pid, snapshot in snapshots(found, caps).items()
        for flag in over_capacity(snapshot, TODAY, T)
    }
    expected = {
        (x.programme_id, f"Team {team}", month.strftime("%B %Y"))
        for (team, month), cell in team_months(found, caps, MONTHS).items()
        if cell.over
        for x in cell.landings
    }
    assert flagged == expected


@given(landings, capacities)
def test_the_heatmap_marks_over_capacity_exactly_where_the_sums_are_over(found, caps) -> None:
    sums = team_months(found, caps, MONTHS)
    teams = [(team, f"Team {team}", "Resources") for team in caps]
    drawn = heatmap(teams, sums, MONTHS, red_pct=25)
    over = {(row.team_id, cell.month) for row, cell in drawn.over}
    assert over == {key for key, cell in sums.items() if cell.over}
    for group in drawn.groups:
        for row in group.teams:
            for cell in row.cells:
                assert cell.status == "Over capacity" if cell.over else cell.status != "Over capacity"
                assert cell.text.startswith(f"{format_number(cell.load)} / ")
