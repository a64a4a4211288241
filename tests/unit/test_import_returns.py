"""Published returns as they come: transposed sheets, units in headers, columns known by their cells."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.guessing import (
    financial_year_in_header,
    guess_columns,
    guess_mapping,
    is_known_header,
)
from tracker.domain.imports.rows import compile_mapping, parse_rows
from tracker.domain.imports.tables import build_sheet, read_workbook
from tracker.domain.imports.units import choose_units, propose_unit, unit_in_header
from tracker.domain.imports.values import Unit, parse_date, parse_flag, parse_money, read_date

GMPP = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "gmpp"

TURNED = [
    ["Project name", "Crick Institute", "Green bank"],
    ["Department", "BIS", "BIS"],
    ["DCA", "Amber/Green", "amber/red"],
    ["Project - Start Date", "31/05/2010", "01/10/2012"],
    ["2013/2014 Budget (£million)", "450.37", "lots"],
    ["", "", ""],
    ["Source: the annual report", "", ""],
]


def test_a_sheet_with_field_names_down_column_a_is_turned() -> None:
    sheet = build_sheet("gmpp", TURNED, is_known_header)
    assert sheet is not None and sheet.transposed
    assert sheet.headers == ("Project name", "Department", "DCA", "Project - Start Date", TURNED[4][0])
    assert [number for number, _ in sheet.rows] == [2, 3]  # columns B and C
    assert sheet.rows[0][1] == ("Crick Institute", "BIS", "Amber/Green", "31/05/2010", "450.37")
    assert sheet.footnote_rows == (7,)
    assert (sheet.row_place(3), sheet.header_place(4)) == ("column C", "row 5")


def test_an_upright_sheet_is_not_turned() -> None:
    upright = [list(column) for column in zip(*TURNED[:5], strict=True)]
    sheet = build_sheet("portfolio", upright, is_known_header)
    assert sheet is not None and not sheet.transposed
    assert sheet.header_row == 1 and [number for number, _ in sheet.rows] == [2, 3]


def test_problems_in_a_turned_sheet_point_at_the_cell_a_person_sees() -> None:
    sheet = build_sheet("gmpp", TURNED, is_known_header)
    assert sheet is not None
    mapping, errors = compile_mapping(
        sheet, SheetKind.PROGRAMMES, guess_mapping(sheet.headers, SheetKind.PROGRAMMES)
    )
    assert not errors
    first, second = parse_rows(mapping, Unit.POUNDS)
    assert first.values["budget_approved"] == Decimal("450370000.00")  # the header says £million
    assert first.values["start_date"] == date(2010, 5, 31)
    problem = second.problems[0]
    assert (problem.row, problem.column, problem.transposed) == (
        3,
        "row 5 (2013/2014 Budget (£million))",
        True,
    )


@pytest.mark.parametrize("year", [2014, 2015, 2016, 2017])
def test_the_published_2014_to_2017_returns_are_turned_and_recognised(year: int) -> None:
    path = GMPP / f"gmpp_{year}.csv"
    sheet = read_workbook(path.read_bytes(), path.name, is_known_header).sheets[0]
    assert sheet.transposed and len(sheet.rows) > 140
    guess = guess_columns(sheet.headers, SheetKind.PROGRAMMES, (cells for _, cells in sheet.rows))
    assert set(guess.columns.values()) >= {
        "name",
        "directorate",
        "confidence",
        "description",
        "start_date",
        "baseline_end_date",
        "budget_approved",
        "budget_forecast",
        "whole_life_cost",
    }
    assert guess.templates == {"budget_year": f"{year - 1}/{year % 100:02d}"}


@pytest.mark.parametrize("year", [2018, 2019])
def test_the_2018_and_2019_returns_map_their_snake_case_headers(year: int) -> None:
    path = GMPP / f"gmpp_{year}.csv"
    sheet = read_workbook(path.read_bytes(), path.name, is_known_header).sheets[0]
    rows = [cells for _, cells in sheet.rows]
    guess = guess_columns(sheet.headers, SheetKind.PROGRAMMES, rows)
    assert {h: k for h, k in guess.columns.items() if h != "rating_comment"} == {
        "project_name": "name",
        "department": "directorate",
        "colour_rating": "confidence",
        "description_aims": "description",
        "start_date": "start_date",
        "end_date": "baseline_end_date",
        "yearly_budget": "budget_approved",
        "yearly_forecast": "budget_forecast",
        "wlc_baseline_incl_NCG": "whole_life_cost",
        "year": "published_year",
    }
    index = sheet.headers.index("yearly_budget")
    choice = choose_units(sheet.headers, {"budget_approved": index}, rows, given=None)["budget_approved"]
    assert choice.unit is Unit.MILLIONS and choice.assumed
    assert choice.reason == "assumed £ millions from the size of the amounts"
    assert choose_units(sheet.headers, {"budget_approved": index}, rows, given=Unit.POUNDS) == {}


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("2013/2014 Budget (£million)", Unit.MILLIONS),
        ("Whole Life Cost TOTAL Baseline £m\n(including Non-Government costs)", Unit.MILLIONS),
        ("Cost (£m)", Unit.MILLIONS),
        ("Budget £ million", Unit.MILLIONS),
        ("Spend (£000s)", Unit.THOUSANDS),
        ("Spend £000", Unit.THOUSANDS),
        ("Bid £k", Unit.THOUSANDS),
        ("Whole life cost £bn", Unit.BILLIONS),
        ("Original budget (£)", Unit.POUNDS),
        ("Budget", None),
        ("Manager", None),
    ],
)
def test_units_are_read_from_headers(header: str, unit: Unit | None) -> None:
    assert unit_in_header(header) is unit


def test_a_silent_column_gets_a_unit_only_as_a_proposal() -> None:
    assert propose_unit(["£32.24", "1,403.50", "0.5"]).unit is Unit.MILLIONS
    assert propose_unit(["12", "40"], beside=Unit.MILLIONS).unit is Unit.MILLIONS
    assert propose_unit(["1,250,000", "3.5"], beside=Unit.MILLIONS) is None  # pounds: too big
    assert propose_unit(["4500", "12000"]) is None  # whole pounds
    assert propose_unit(["£1.9m", "£2.5m"]) is None  # the cells say their own unit
    headers = ("Budget (£m)", "Forecast")
    rows = [("1.5", "1.7"), ("20", "22.1")]
    choices = choose_units(headers, {"budget_approved": 0, "budget_forecast": 1}, rows, given=None)
    assert choices["budget_approved"].assumed is False
    assert choices["budget_forecast"].reason == "assumed £ millions like the other money columns"


@pytest.mark.parametrize(
    ("cell", "pounds"),
    [
        ("£1.2bn", "1200000000.00"),
        ("£3.5 mn", "3500000.00"),
        ("2 billion", "2000000000.00"),
        ("5 thousands", "5000.00"),
        ("£12,131.50", "12131.50"),
        ("(100)", "-100.00"),
    ],
)
def test_amounts_with_words_for_their_size(cell: str, pounds: str) -> None:
    assert parse_money(cell) == Decimal(pounds)


@pytest.mark.parametrize("cell", ["(100", "100)", True, "Section 43 (Commercial Interests)"])
def test_what_is_not_an_amount_is_refused(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_money(cell)


def test_two_digit_years_either_side_of_the_cut_off_and_workbook_booleans() -> None:
    assert parse_date("31.12.40") == date(2040, 12, 31)
    assert parse_date("31/03/69") == date(2069, 3, 31)
    assert read_date("01/04/70") == date(
        1970, 4, 1
    )  # read so (an import takes it: 1970 is within 1950 to 2100)
    assert parse_date("31-Mar-19") == date(2019, 3, 31)
    assert (parse_flag(True), parse_flag(False)) == (True, False)


def test_columns_are_known_by_their_cells() -> None:
    headers = ("Ref", "Title", "Forecast finish", "End date (forecast)", "Status", "Year", "Spend")
    rows = [
        ("DIG-001", "Front door", "31/03/2027", "30/04/2027", "Amber/Green", "2018", "1,000"),
        ("DIG-002", "Waste app", "30/06/2026", "30/06/2026", "GREEN", "2018", "2,000"),
        ("DIG-003", "Libraries", "01/01/2028", "01/02/2028", "amber/red", "2018", "3,000"),
        ("DIG-004", "Parking", "01/05/2027", "01/05/2027", "Red", "2018", "4,000"),
        ("DIG-005", "Schools", "01/09/2026", "01/09/2026", "Amber", "2018", "5,000"),
    ]
    guess = guess_columns(headers, SheetKind.PROGRAMMES, rows).columns
    assert guess["Ref"] == "code" and guess["Title"] == "name"
    assert guess["End date (forecast)"] == "forecast_end_date"
    assert guess.get("Forecast finish") != "budget_forecast"  # dates are never money
    assert guess["Status"] == "confidence"
    assert guess["Year"] == "published_year"
    unlabelled = guess_columns(("Column A", "Column B"), SheetKind.PROGRAMMES, [r[:1] + r[4:5] for r in rows])
    assert unlabelled.columns == {"Column A": "code", "Column B": "confidence"}


def test_a_year_column_of_financial_years_is_the_budget_year() -> None:
    rows = [("Front door", "2026/27"), ("Waste app", "2026/27")]
    assert guess_columns(("Name", "Year"), SheetKind.PROGRAMMES, rows).columns["Year"] == "budget_year"
    assert financial_year_in_header("2013/2014 Budget (£million)") == 2013
    assert financial_year_in_header("2016/17 TOTAL Baseline £m") == 2016
    assert financial_year_in_header("2016/2018 Budget") is None
