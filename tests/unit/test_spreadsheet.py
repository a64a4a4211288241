"""CSV and Excel files from typed columns: numbers stay numbers, dates stay dates, formulas stay text."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

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


def test_every_part_of_the_workbook_is_well_formed_and_declared() -> None:
    body = xlsx_bytes(
        [sheet([("Front door", Decimal("1.50"), date(2027, 3, 31), 1)]), Sheet("Two", COLUMNS, [])]
    )

    archive = zipfile.ZipFile(io.BytesIO(body))
    for name in archive.namelist():
        ElementTree.fromstring(archive.read(name))  # raises on a part that is not XML
    declared = archive.read("[Content_Types].xml").decode()
    for part in (
        "/xl/workbook.xml",
        "/xl/styles.xml",
        "/xl/worksheets/sheet1.xml",
        "/xl/worksheets/sheet2.xml",
    ):
        assert f'PartName="{part}"' in declared
    assert archive.namelist()[0] == "[Content_Types].xml"


def test_text_keeps_xml_characters_spaces_and_is_cut_at_excels_limit() -> None:
    texts = ["Fish & chips <large>", "  two spaces either side  ", "x" * 40_000, "Bell\x07 rings"]
    body = xlsx_bytes([Sheet("Text", [Column("Text")], [(text,) for text in texts])])

    read = [row[0].value for row in load_workbook(io.BytesIO(body))["Text"].iter_rows(min_row=2)]

    assert read[:2] == texts[:2]
    assert read[2] == "x" * 32_767
    assert read[3] == "Bell_x0007_ rings"  # Excel's own escape for a character XML cannot carry


def test_thousands_of_rows_come_out_whole_and_in_order() -> None:
    rows = ((f"Row {n}", Decimal(n), date(2027, 1, 1), n) for n in range(1, 1_234))

    programmes = load_workbook(io.BytesIO(xlsx_bytes([sheet(rows)])))["Programmes"]

    assert programmes.max_row == 1_234
    assert [cell.value for cell in programmes[1_234]] == ["Row 1233", 1233, datetime(2027, 1, 1), 1233]


def test_times_widths_and_sheet_names_excel_accepts() -> None:
    columns = [Column("When", Kind.DATE, width=20), Column("Note", width=40)]
    body = xlsx_bytes(
        [
            Sheet("Risks: [open]/closed", columns, [(datetime(2027, 3, 31, 18, 30), "late")]),
            Sheet("RISKS: [OPEN]/CLOSED", columns, []),
        ]
    )

    workbook = load_workbook(io.BytesIO(body))
    first, second = workbook.sheetnames
    assert first == "Risks   open  closed" and second != first and len(second) <= 31
    when = workbook[first]["A2"]
    assert when.value == datetime(2027, 3, 31, 18, 30) and when.is_date
    assert round(workbook[first].column_dimensions["A"].width) == 21
    assert round(workbook[first].column_dimensions["B"].width) == 41
