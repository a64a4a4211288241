"""CSV and Excel files from typed columns: numbers stay numbers, dates stay dates, formulas stay text."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tracker.domain.spreadsheet import Column, Kind, Sheet, csv_bytes, csv_chunks, neutralise, xlsx_bytes

COLUMNS = [
    Column("Name"),
    Column("Budget", Kind.MONEY),
    Column("Due", Kind.DATE),
    Column("Score", Kind.NUMBER),
]
DANGEROUS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_excel_would_run_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Digital front door", "Cost 1-2", "", "'quoted", "£5"])
def test_ordinary_text_is_untouched(text: str) -> None:
    assert neutralise(text) == text


def sheet(rows) -> Sheet:
    return Sheet("Programmes", COLUMNS, rows)


def test_csv_has_a_bom_crlf_iso_dates_and_plain_numbers() -> None:
    body = csv_bytes(sheet([("Front door, phase 1", Decimal("1250000.50"), date(2027, 3, 31), 12)]))
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert text == 'Name,Budget,Due,Score\r\n"Front door, phase 1",1250000.50,2027-03-31,12\r\n'


def test_csv_escapes_formulas_and_leaves_empty_cells_empty() -> None:
    rows = [(text, None, None, None) for text in DANGEROUS]
    read = list(csv.reader(io.StringIO(csv_bytes(sheet(rows)).decode("utf-8-sig"), newline="")))
    assert [row[0] for row in read[1:]] == ["'" + text for text in DANGEROUS]
    assert read[1][1:] == ["", "", ""]


def test_xlsx_writes_money_as_pounds_dates_as_dates_and_freezes_the_header() -> None:
    body = xlsx_bytes(
        [
            sheet([("Front door", Decimal("1250000.50"), date(2027, 3, 31), 12), ("=1+1", None, None, None)]),
            Sheet("Second", [Column("Yes or no")], [(True,), (False,)]),
        ]
    )
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Programmes", "Second"]
    programmes = workbook["Programmes"]
    assert programmes.freeze_panes == "A2"
    assert [cell.value for cell in programmes[1]] == ["Name", "Budget", "Due", "Score"]
    assert programmes[1][0].font.bold
    _, budget, due, score = programmes[2]
    assert budget.value == 1250000.5 and budget.data_type == "n" and "£" in budget.number_format
    assert due.value == datetime(2027, 3, 31) and due.is_date
    assert score.value == 12
    assert programmes["A3"].value == "'=1+1" and programmes["A3"].data_type == "s"
    assert programmes["B3"].value is None
    assert [row[0].value for row in workbook["Second"].iter_rows(min_row=2)] == ["Yes", "No"]


def test_a_streamed_csv_is_the_same_file_in_pieces() -> None:
    rows = [(f"{DANGEROUS[n % len(DANGEROUS)]} {n}", Decimal("1.50"), date(2027, 1, 5), n) for n in range(25)]

    pieces = list(csv_chunks(Sheet("Rows", COLUMNS, iter(rows)), rows_per_chunk=10))

    assert len(pieces) == 3
    assert b"".join(pieces) == csv_bytes(Sheet("Rows", COLUMNS, rows))
    assert pieces[0].startswith("\ufeffName,Budget".encode())
