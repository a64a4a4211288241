"""Cell values as spreadsheets hold them: money, dates, RAG ratings, yes/no, financial years."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tracker.domain.imports.values import (
    Unit,
    assessed_by,
    parse_confidence,
    parse_date,
    parse_financial_year,
    parse_flag,
    parse_money,
)


@pytest.mark.parametrize(
    ("cell", "unit", "pounds"),
    [
        ("450.37", Unit.POUNDS, "450.37"),
        ("£1,234", Unit.POUNDS, "1234.00"),
        ("$6,279,429", Unit.POUNDS, "6279429.00"),
        ("£1.9m", Unit.POUNDS, "1900000.00"),
        ("£250k", Unit.POUNDS, "250000.00"),
        ("£250K", Unit.MILLIONS, "250000.00"),
        ("1.5 million", Unit.POUNDS, "1500000.00"),
        ("450", Unit.THOUSANDS, "450000.00"),
        ("1.9", Unit.MILLIONS, "1900000.00"),
        (" £ 12 ", Unit.POUNDS, "12.00"),
        ("(1,000)", Unit.POUNDS, "-1000.00"),
        (1250, Unit.THOUSANDS, "1250000.00"),
        (99.5, Unit.POUNDS, "99.50"),
        ("GBP 3,000", Unit.POUNDS, "3000.00"),
    ],
)
def test_money_in_the_forms_people_write_it(cell: object, unit: Unit, pounds: str) -> None:
    assert parse_money(cell, unit) == Decimal(pounds)


@pytest.mark.parametrize("cell", [None, "", "  ", "-", "n/a", "TBC"])
def test_blank_money_is_none(cell: object) -> None:
    assert parse_money(cell) is None


@pytest.mark.parametrize("cell", ["lots", "£1.2.3", "12 apples", "1,2x"])
def test_money_that_is_not_money_says_so(cell: str) -> None:
    with pytest.raises(ValueError, match=r"not an amount of money|use k for thousands"):
        parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/05/2010", date(2010, 5, 31)),
        ("31.05.10", date(2010, 5, 31)),
        ("2010-05-31", date(2010, 5, 31)),
        ("2010-05-31 00:00:00", date(2010, 5, 31)),
        ("31 May 2010", date(2010, 5, 31)),
        ("31st May 2010", date(2010, 5, 31)),
        ("31-May-2010", date(2010, 5, 31)),
        ("March 31, 2017", date(2017, 3, 31)),
        ("Sept 3, 2017", date(2017, 9, 3)),
        ("May 2010", date(2010, 5, 31)),
        ("Feb 2024", date(2024, 2, 29)),
        ("01/02/2010", date(2010, 2, 1)),
        ("05/31/2010", date(2010, 5, 31)),
        ("1/4/99", date(1999, 4, 1)),
        (datetime(2026, 3, 31, 0, 0), date(2026, 3, 31)),
        (date(2026, 3, 31), date(2026, 3, 31)),
    ],
)
def test_dates_day_first_in_many_styles(cell: object, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/31/2010", "soon", "Smarch 2010", "2010-13-01", "32 May 2010"])
def test_dates_that_cannot_be_read_say_how_to_write_them(cell: str) -> None:
    with pytest.raises(ValueError, match="like 31/05/2010"):
        parse_date(cell)


@pytest.mark.parametrize(
    "cell",
    ["31/12/9999", "9999-12-31", datetime(9999, 12, 31), "1/1/1900", "December 2101", date(1949, 12, 31)],
)
def test_dates_outside_1950_to_2100_are_refused_as_the_forms_refuse_them(cell: object) -> None:
    with pytest.raises(ValueError, match="must be between 1950 and 2100"):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("Green", "green"),
        ("AMBER", "amber"),
        (" red ", "red"),
        ("G", "green"),
        ("Amber/Green", "amber_green"),
        ("Green/Amber", "amber_green"),
        ("Amber-Red", "amber_red"),
        ("Amber/red", "amber_red"),
        ("amber red", "amber_red"),
        ("A/R", "amber_red"),
        ("AG", "amber_green"),
        ("Amber – Red", "amber_red"),
    ],
)
def test_confidence_keeps_the_five_point_scale_as_published(cell: str, rating: str) -> None:
    assert parse_confidence(cell) == rating


@pytest.mark.parametrize("cell", ["Blue", "Green/Amber/Red", "good", "Green/Red"])
def test_confidence_outside_the_scale_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="Green, Amber/Green, Amber, Amber/Red or Red"):
        parse_confidence(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "Exempt under Section 43 of the Freedom of Information Act 2000 (Commercial Interests)",
        "Data exempt under Section 43 (2) of the Freedom of Information Act (2000)",
        "Exemption under Section 24 (National Security)",
        "Data not provided by department",
        "No DCA",
        "#N/A",
    ],
)
def test_a_withheld_figure_is_unknown_in_money_date_and_confidence_cells(cell: str) -> None:
    assert (parse_money(cell), parse_date(cell), parse_confidence(cell)) == (None, None, None)


def test_a_mistyped_figure_is_still_refused_rather_than_read_as_withheld() -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date("1/012/2014")
    with pytest.raises(ValueError, match="not an amount"):
        parse_money("about 12")


def test_who_assessed_a_confidence_column_comes_from_its_header() -> None:
    assert assessed_by("IPA RAG rating (A Delivery Confidence Assessment ...)") == "assurance_review"
    assert assessed_by("DCA") == "assurance_review"
    assert assessed_by("Gateway review rating") == "gateway_review"
    assert assessed_by("RAG") == "self_assessment"


def test_flags_and_financial_years() -> None:
    assert [parse_flag(c) for c in ("Y", "x", "TRUE", "no", "0", "")] == [
        True,
        True,
        True,
        False,
        False,
        None,
    ]
    assert [parse_financial_year(c) for c in ("2026/27", "2026-2027", "FY2026/27", "2026", 2026)] == [
        2026
    ] * 5
    with pytest.raises(ValueError, match="must follow"):
        parse_financial_year("2026/28")
    with pytest.raises(ValueError, match="like 2026/27"):
        parse_financial_year("next year")
    with pytest.raises(ValueError, match="not yes or no"):
        parse_flag("maybe")
