"""Successive returns of the same programmes: matched by code, reference or name, never merged silently,
and an older return adds history without overwriting newer figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Confidence, Programme, ProgrammeReturn
from tracker.services import imports

HEADER = "Project ref,Project name,Department,DCA,End date,Whole life cost (£m),As at\n"


def run(*rows: str, dry_run: bool = False, **options: object) -> imports.Report:
    data = (HEADER + "".join(f"{row}\n" for row in rows)).encode()
    sources = imports.pick_sources(imports.read_file(data, "return.csv"))
    mapping = imports.ImportMapping.from_json({"defaults": {"focus": "both"}}).with_guesses(sources)
    report = imports.run_import(
        sources,
        mapping,
        user=None,
        source_name="return.csv",
        dry_run=dry_run,
        options=imports.ReturnOptions(**options),  # type: ignore[arg-type]
    )
    assert not report.problems, [imports.describe(p) for p in report.problems]
    return report


def programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.id)))


def returns_of(programme: Programme) -> list[tuple[date, Confidence | None, date | None]]:
    query = select(ProgrammeReturn).where(ProgrammeReturn.programme_id == programme.id)
    return [(r.as_at, r.confidence, r.end_date) for r in db.session.scalars(query.order_by("as_at"))]


def test_a_reference_that_is_no_code_is_kept_and_finds_the_programme_next_time(app: Flask) -> None:
    run("MOD_0106_1617-Q1,Typhoon support,MOD,Amber,31/03/2030,1200,31/03/2017")
    (typhoon,) = programmes()
    assert (typhoon.code, typhoon.external_reference) == ("MOD-0001", "MOD_0106_1617-Q1")
    # Renamed in the next return: the reference still says which programme it is.
    report = run("MOD_0106_1617-Q1,Typhoon Future Support,MOD,Red,31/03/2031,1300,31/03/2018")
    assert (report.created, report.updated) == (0, 1)
    (typhoon,) = programmes()
    assert (typhoon.code, typhoon.name, typhoon.confidence) == (
        "MOD-0001",
        "Typhoon Future Support",
        Confidence.RED,
    )
    assert [when for when, *_ in returns_of(typhoon)] == [date(2017, 3, 31), date(2018, 3, 31)]


def test_a_reference_shaped_like_a_code_is_the_code_and_any_other_is_kept_beside_one(app: Flask) -> None:
    run(
        "dig-004,Front door,Customer,Green,31/03/2030,,31/03/2026",
        "IMP-T1,Waste app,Customer,Red,,,31/03/2026",
    )
    front, waste = programmes()
    assert (front.code, front.external_reference) == ("DIG-004", None)
    assert (waste.code, waste.external_reference) == ("CUS-0001", "IMP-T1")


def test_an_older_return_imported_later_adds_history_but_keeps_the_newer_figures(app: Flask) -> None:
    run(",Crossrail,DfT,Amber,31/12/2019,15400,31/03/2018")
    run(",Crossrail,DfT,Green,31/12/2018,14800,31/03/2017")
    (crossrail,) = programmes()
    assert (crossrail.confidence, crossrail.forecast_end_date or crossrail.baseline_end_date) == (
        Confidence.AMBER,
        date(2019, 12, 31),
    )
    assert crossrail.whole_life_baseline == Decimal("15400000000.00")
    assert returns_of(crossrail) == [
        (date(2017, 3, 31), Confidence.GREEN, date(2018, 12, 31)),
        (date(2018, 3, 31), Confidence.AMBER, date(2019, 12, 31)),
    ]


def test_a_near_match_is_listed_and_only_merged_when_confirmed(app: Flask) -> None:
    run(",Crossrail,DfT,Amber,31/12/2019,,31/03/2018", ",Roads & Bridges,DfT,Green,,,31/03/2018")
    report = run(",Crossrail Programme,DfT,Red,31/12/2020,,31/03/2019", dry_run=True)
    assert [n.describe() for n in report.near_matches] == [
        "return row 2: 'Crossrail Programme' imported as new, not DFT-0001 'Crossrail'"
    ]
    assert report.created == 1
    report = run(
        ",Crossrail Programme,DfT,Red,31/12/2020,,31/03/2019",
        ",Roads and bridges 2019,DfT,Green,,,31/03/2019",
        near_accepted=frozenset({"DFT-0001"}),
    )
    assert (report.created, report.updated) == (1, 1)
    names = [p.name for p in programmes()]
    assert names == ["Crossrail Programme", "Roads & Bridges", "Roads and bridges 2019"]
    # Two programmes are near "Roads and Bridges Programme": neither is offered, it comes in new.
    report = run(
        ",Roads and Bridges Programme,DfT,Red,,,31/03/2020",
        ",Crossrail,DfT,Red,,,31/03/2020",
        match_near=True,
    )
    assert (report.created, report.updated) == (1, 1)
    assert [(n.code, n.accepted) for n in report.near_matches] == [("DFT-0001", True)]
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 4


def test_the_programme_page_shows_the_return_reference(app: Flask, client, auth) -> None:
    run("MOD_0106_1617-Q1,Typhoon support,MOD,Amber,31/03/2030,1200,31/03/2017")
    auth.sign_in_as("viewer")
    html = client.get("/programmes/MOD-0001/").get_data(as_text=True)
    assert "MOD-0001 (return reference MOD_0106_1617-Q1)" in html
