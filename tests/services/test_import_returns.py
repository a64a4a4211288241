"""Published returns through the import: a transposed GMPP-style sheet, units and years from headers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    Confidence,
    ConfidenceSource,
    Investment,
    InvestmentCategory,
    Programme,
    ProgrammeReturn,
)
from tracker.services import imports

GMPP = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "gmpp"

TURNED = (
    "Project name,Front door,Waste app\n"
    "Department,Customer,Place\n"
    "DCA,Amber/Green,Red\n"
    "Project - Start Date,31/05/2010,01/10/2012\n"
    "Project - End Date,01/09/2015,31/03/2016\n"
    "2013/2014 Budget (£million),450.37,12\n"
    "2013/2014 Forecast (£million),451,12.5\n"
    "Total budgeted whole life costs (£million),5609.46,80\n"
).encode()


def run(data: bytes, name: str, *, dry_run: bool = False, unit: str | None = None):
    sources = imports.pick_sources(imports.read_file(data, name))
    mapping = imports.ImportMapping.from_json(
        {"defaults": {"focus": "both"}} | ({"unit": unit} if unit else {})
    )
    chosen = mapping.with_guesses(sources)
    return imports.run_import(sources, chosen, user=None, source_name=name, dry_run=dry_run)


def budget_line(name: str) -> Investment:
    programme = db.session.scalar(select(Programme).where(Programme.name == name))
    assert programme is not None
    line = db.session.scalar(select(Investment).where(Investment.programme_id == programme.id))
    assert line is not None
    return line


def test_a_transposed_return_imports_in_millions_for_the_year_its_headers_name(app: Flask) -> None:
    report = run(TURNED, "gmpp.csv")
    assert report.committed and report.created == 2, [imports.describe(p) for p in report.problems]
    line = budget_line("Front door")
    assert (line.approved, line.forecast) == (Decimal("450370000.00"), Decimal("451000000.00"))
    assert line.financial_year == 2013


def test_a_unit_the_person_gives_wins_over_the_headers(app: Flask) -> None:
    assert run(TURNED, "gmpp.csv", unit="pounds").committed
    assert budget_line("Front door").approved == Decimal("450.37")


def test_a_problem_in_a_transposed_return_names_its_column_and_row(app: Flask) -> None:
    report = run(TURNED.replace(b"450.37", b"(100"), "gmpp.csv")
    assert not report.committed
    assert [imports.describe(p) for p in report.problems] == [
        "gmpp column B, row 6 (2013/2014 Budget (£million)): '(100' has one bracket: "
        "write (100) for a negative amount, or 100"
    ]


def test_a_return_published_in_2018_holds_the_2017_18_budget(app: Flask) -> None:
    data = (
        "project_name,department,colour_rating,start_date,end_date,yearly_budget,yearly_forecast,year\n"
        "Front door,Customer,Amber/red,30.06.08,31.12.40,£32.24,£32.25,2018\n"
        "Waste app,Place,GREEN,01/04/2016,31/03/2019,£1.50,£1.70,2018\n"
    ).encode("cp1252")
    report = run(data, "gmpp_2018.csv")
    assert report.committed, [imports.describe(p) for p in report.problems]
    line = budget_line("Front door")
    assert (line.financial_year, line.approved) == (2017, Decimal("32240000.00"))


def test_the_real_returns_get_past_column_recognition(app: Flask, tmp_path: Path) -> None:
    mapping = tmp_path / "defaults.json"
    mapping.write_text(json.dumps({"defaults": {"focus": "both"}}))
    for year, rows in ((2014, 199), (2018, 133)):
        result = app.test_cli_runner().invoke(
            args=[
                "import",
                "programmes",
                str(GMPP / f"gmpp_{year}.csv"),
                "--dry-run",
                "--mapping",
                str(mapping),
            ]
        )
        # Exempt figures are unknown and negative budgets (income) are warned about: every row imports.
        assert f"Would import {rows} rows: {rows} new" in result.output, result.output
        assert "A new programme needs" not in result.output
        assert "in millions" in result.output
    assert "Exempt under Section 43" not in result.output


def test_a_published_return_keeps_its_dca_whole_life_cost_and_withheld_figures(app: Flask) -> None:
    data = (
        "project_name,department,colour_rating,start_date,end_date,yearly_budget,yearly_forecast,"
        "wlc_baseline_incl_NCG,year\n"
        "Front door,Customer,Amber/red,30.06.08,31.12.40,£32.24,£32.25,£900.5,2018\n"
        "Waste app,Place,No DCA,01/04/2016,31/03/2019,-1.5,Data not provided by department,"
        "Exempt under Section 43 of the Freedom of Information Act 2000 (Commercial Interests),2018\n"
    ).encode("cp1252")
    sources = imports.pick_sources(imports.read_file(data, "gmpp_2018.csv"))
    mapping = imports.ImportMapping.from_json({"defaults": {"focus": "both"}}).with_guesses(sources)
    options = imports.ReturnOptions(confidence_source=ConfidenceSource.ASSURANCE_REVIEW)
    report = imports.run_import(
        sources, mapping, user=None, source_name="gmpp_2018.csv", dry_run=False, options=options
    )
    assert report.committed, [imports.describe(p) for p in report.problems]
    assert [imports.describe(w) for w in report.warnings] == [
        "gmpp_2018 row 3, yearly_budget (F): Budget approved is negative (-1.5), "
        "which a return uses for income: imported as unknown"
    ]
    front = db.session.scalar(select(Programme).where(Programme.name == "Front door"))
    assert front.confidence is Confidence.AMBER_RED
    assert front.confidence_source is ConfidenceSource.ASSURANCE_REVIEW
    assert front.confidence_assessed_on == date(2018, 3, 31)
    assert front.whole_life_baseline == Decimal("900500000.00")
    assert budget_line("Front door").category is InvestmentCategory.OTHER
    returned = db.session.scalar(select(ProgrammeReturn).where(ProgrammeReturn.programme_id == front.id))
    assert (returned.as_at, returned.financial_year, returned.source, returned.note) == (
        date(2018, 3, 31),
        2017,
        "import",
        "gmpp_2018.csv",
    )
    assert (returned.confidence, returned.year_budget, returned.end_date) == (
        Confidence.AMBER_RED,
        Decimal("32240000.00"),
        date(2040, 12, 31),
    )
    waste = db.session.scalar(select(Programme).where(Programme.name == "Waste app"))
    assert (waste.confidence, waste.whole_life_baseline) == (None, None)
    # The income and the withheld forecast are unknown, never zero: no budget line claims an amount.
    assert db.session.scalars(select(Investment).where(Investment.programme_id == waste.id)).all() == []


def test_an_as_at_date_given_for_the_import_dates_every_return(app: Flask) -> None:
    sources = imports.pick_sources(imports.read_file(TURNED, "gmpp.csv"))
    mapping = imports.ImportMapping.from_json({"defaults": {"focus": "both"}}).with_guesses(sources)
    options = imports.ReturnOptions(as_at=date(2013, 9, 30))
    for _ in range(2):  # importing the same return again replaces it
        report = imports.run_import(
            sources, mapping, user=None, source_name="gmpp.csv", dry_run=False, options=options
        )
        assert report.committed
    returns = db.session.scalars(select(ProgrammeReturn)).all()
    assert sorted(r.as_at for r in returns) == [date(2013, 9, 30)] * 2
    assert {r.confidence_source for r in returns} == {ConfidenceSource.ASSURANCE_REVIEW}  # "DCA" header


def test_a_return_published_in_1990_has_no_budget_year_before_the_first_one_kept(app: Flask) -> None:
    data = (
        "project_name,department,colour_rating,end_date,yearly_budget,yearly_forecast,year\n"
        "Front door,Customer,Amber,31/03/1995,£3.00,£3.10,1990\n"
    ).encode("cp1252")
    checked = run(data, "gmpp_1990.csv", dry_run=True)
    report = run(data, "gmpp_1990.csv")  # used to fail in the database on a 1989/90 budget line
    assert [imports.describe(p) for p in report.problems] == [imports.describe(p) for p in checked.problems]
    assert all(line.financial_year >= 1990 for line in db.session.scalars(select(Investment)))


def test_a_return_keeps_the_whole_life_forecast_and_the_rows_own_assessor(app: Flask) -> None:
    data = (
        b"Code,Name,Directorate,Delivery confidence,Confidence assessed by,Whole-life baseline,"
        b"Whole-life forecast,As at\n"
        b"DIG-001,Front door,Customer,Amber/Green,Gateway review,1000000,1250000,30/09/2026\n"
    )
    report = run(data, "return.csv")
    assert report.committed, [imports.describe(p) for p in report.problems]
    (kept,) = db.session.scalars(select(ProgrammeReturn)).all()
    assert (kept.whole_life_baseline, kept.whole_life_forecast) == (
        Decimal("1000000.00"),
        Decimal("1250000.00"),
    )
    assert (kept.confidence, kept.confidence_source) == (
        Confidence.AMBER_GREEN,
        ConfidenceSource.GATEWAY_REVIEW,
    )
