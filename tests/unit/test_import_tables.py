"""Files to tables: encodings, delimiters, header rows below titles, footnotes, workbooks; and guessing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook as XlsxBook

from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.guessing import guess_mapping, is_known_header, normalise_header
from tracker.domain.imports.rows import compile_mapping, parse_rows
from tracker.domain.imports.tables import (
    UnreadableFile,
    column_letter,
    decode,
    read_workbook,
    sniff_delimiter,
)
from tracker.domain.imports.values import Unit


def read(data: bytes, name: str = "portfolio.csv"):
    return read_workbook(data, name, is_known_header)


def test_decoding_prefers_utf8_then_windows_1252_then_latin_1() -> None:
    assert decode("\ufeffCafé £5".encode()) == ("Café £5", "utf-8-sig")
    assert decode("Café £5 – “done”".encode("cp1252")) == ("Café £5 – “done”", "cp1252")
    assert decode(b"caf\xe9 \x81") == ("café \x81", "latin-1")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_found(delimiter: str) -> None:
    text = "\n".join(
        delimiter.join(row) for row in (["Name", "Budget", "Note"], ["A", "£1,000", "x, y"], ["B", "2", "z"])
    )
    assert sniff_delimiter(text) == delimiter


def test_header_below_a_title_and_footnotes_at_the_end() -> None:
    text = (
        "Digital portfolio return;;\r\n"
        ";;\r\n"
        "Project name;Directorate;Budget\r\n"
        "Café booking;Adults;£1,000\r\n"
        ";;\r\n"
        "Waste app;Place;2k\r\n"
        "* Budgets include VAT;;\r\n"
        "Source: finance;;\r\n"
    ).encode("cp1252")
    book = read(text)
    sheet = book.sheets[0]
    assert (book.encoding, book.delimiter, sheet.header_row) == ("cp1252", ";", 3)
    assert sheet.headers == ("Project name", "Directorate", "Budget")
    assert [number for number, _ in sheet.rows] == [4, 6]
    assert sheet.footnote_rows == (7, 8)


def test_a_quoted_cell_over_several_lines_is_one_row() -> None:
    sheet = read(b'Name,Description\nA,"line one\nline two"\nB,short\n').sheets[0]
    assert [(n, cells[0]) for n, cells in sheet.rows] == [(2, "A"), (3, "B")]


def test_blank_and_repeated_headers_get_names() -> None:
    sheet = read(b"Name,,Name\nA,1,2\n").sheets[0]
    assert sheet.headers == ("Name", "Column B", "Name (2)")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"\xd0\xcf\x11\xe0rest", "old Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV or XLSX"),
        (b"PK\x03\x04garbage", "cannot be opened"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read(data)


def test_a_workbook_gives_every_sheet_with_typed_cells() -> None:
    from datetime import datetime

    book = XlsxBook()
    sheet = book.active
    sheet.title = "Programmes"
    sheet.append(["Code", "Name", "Budget"])
    sheet.append(["DIG-001", "Portal", 1500.5])
    milestones = book.create_sheet("Milestones")
    milestones.append(["Programme code", "Milestone", "Baseline date"])
    milestones.append(["DIG-001", "Go live", datetime(2027, 3, 31)])
    out = io.BytesIO()
    book.save(out)
    read_book = read(out.getvalue(), "book.xlsx")
    assert [s.name for s in read_book.sheets] == ["Programmes", "Milestones"]
    assert read_book.sheet("milestones").rows[0][1][2] == datetime(2027, 3, 31)


def test_headers_are_guessed_by_name_and_synonym() -> None:
    headers = [
        "Ref",
        "Project name",
        "Dept",
        "originalBudget",
        "latestBudget",
        "DCA",
        "datesDeltaYear",
        "Misc",
    ]
    assert guess_mapping(headers, SheetKind.PROGRAMMES) == {
        "Ref": "code",
        "Project name": "name",
        "Dept": "directorate",
        "originalBudget": "budget_approved",
        "latestBudget": "budget_forecast",
        "DCA": "confidence",
    }
    assert normalise_header("Original Budget (£k)") == "original budget"
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_rows_are_read_through_the_mapping_with_problems_in_plain_words() -> None:
    sheet = read(
        "Name,Budget,End,RAG,Status\nA,£1.2m,May 2027,Amber/Green,done\nB,lots,31/02/2027,blue,\n".encode()
    ).sheets[0]
    mapping, errors = compile_mapping(
        sheet,
        SheetKind.PROGRAMMES,
        {
            "Name": "name",
            "Budget": "budget_approved",
            "End": "baseline_end_date",
            "RAG": "confidence",
            "Status": "stage",
        },
        values={"stage": {"done": "closed"}},
    )
    assert errors == []
    first, second = parse_rows(mapping, Unit.POUNDS)
    assert first.values["budget_approved"] == Decimal("1200000.00")
    assert str(first.values["baseline_end_date"]) == "2027-05-31"
    assert (first.values["confidence"], first.values["stage"]) == ("amber_green", "closed")
    assert [(p.row, p.column) for p in second.problems] == [(3, "Budget (B)"), (3, "End (C)"), (3, "RAG (D)")]
    assert "Status" not in {p.column for p in second.problems}


def test_a_mapping_naming_a_missing_column_or_a_field_twice_is_refused() -> None:
    sheet = read(b"Name,Title\nA,B\n").sheets[0]
    _, errors = compile_mapping(
        sheet, SheetKind.PROGRAMMES, {"Name": "name", "Title": "name", "Nope": "code"}
    )
    assert errors == [
        "Name is chosen for more than one column: choose it once",
        "The portfolio sheet has no column called 'Nope'",
    ]
