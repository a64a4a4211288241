"""A person's few choices about a file: defaults asked once, translations, partial and saved mappings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.domain.imports.fields import SheetKind
from tracker.extensions import db
from tracker.models import Focus, Programme, SavedMapping, Stage
from tracker.services import imports
from tracker.services.errors import NotFound
from tracker.services.imports import mappings as import_mappings
from tracker.services.imports.report import group_problems

RETURN = (
    "Project,Department,Delivery confidence,Stage,Start\n"
    + "".join(f"Project {n},Cabinet Office,pending,ongoing,01/04/2020\n" for n in range(1, 41))
    + "Project 41,Cabinet Office,Amber-ish,Delivery,1/012/2014\n"
).encode()


DCA = {SheetKind.PROGRAMMES: {"Delivery confidence": "confidence"}}
"""A column of odd words is not guessed as the confidence, so the mapping names it and guesses the rest."""


def sources_of(data: bytes, name: str = "return.csv") -> imports.Sources:
    return imports.pick_sources(imports.read_file(data, name))


def run(data: bytes, mapping: imports.ImportMapping, *, dry_run: bool = True) -> imports.Report:
    sources = sources_of(data)
    return imports.run_import(
        sources, mapping.with_guesses(sources), user=None, source_name="return.csv", dry_run=dry_run
    )


def test_a_file_without_a_focus_asks_once_and_its_cell_errors_are_grouped(app) -> None:
    report = run(RETURN, imports.ImportMapping(columns=DCA))
    assert report.needs == ["focus"]
    assert not any("needs a focus" in p.message for p in report.problems)
    groups = group_problems(report.problems)
    assert len(report.problems) == 82 and len(groups) == 4
    tbc = next(g for g in groups if "'pending'" in g.message)
    assert tbc.count == 40 and tbc.places == "rows 2-41"


def test_the_cli_says_once_which_default_to_give(app, tmp_path: Path) -> None:
    path = tmp_path / "return.csv"
    path.write_bytes(RETURN)
    mapping = tmp_path / "values.json"
    mapping.write_text(json.dumps({"programmes": {"columns": {"Delivery confidence": "confidence"}}}))
    first = ["import", "programmes", str(path), "--dry-run", "--mapping", str(mapping)]
    result = app.test_cli_runner().invoke(args=first)
    assert result.exit_code == 1
    assert result.output.count("Every new programme needs a focus: give --default focus=") == 1
    assert "return, Delivery confidence (C): 'pending' is not a delivery confidence" in result.output
    assert "rows 2-41 (40 rows)" in result.output
    values = {"confidence": {"Pending": "", "amber-ish": "amber"}, "stage": {"ongoing": ""}}
    mapping.write_text(json.dumps({"programmes": {"columns": DCA[SheetKind.PROGRAMMES], "values": values}}))
    args = ["import", "programmes", str(path), "--default", "focus=both", "--mapping", str(mapping)]
    result = app.test_cli_runner().invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 1
    assert "'1/012/2014' is not a date" in result.output and "40 rows" not in result.output
    path.write_bytes(RETURN.replace(b"1/012/2014", b"01/12/2014"))
    result = app.test_cli_runner().invoke(args=[*args, "--save-mapping", "Cabinet return"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Programme).where(Programme.name == "Project 41")).confidence == "amber"
    assert db.session.scalar(select(Programme).where(Programme.name == "Project 1")).confidence is None
    assert "Saved these choices as 'Cabinet return'" in result.output
    again = app.test_cli_runner().invoke(
        args=["import", "programmes", str(path), "--mapping", "Cabinet return"]
    )
    assert again.exit_code == 0, again.output
    assert "41 unchanged programmes" in again.output
    missing = app.test_cli_runner().invoke(args=["import", "programmes", str(path), "--mapping", "Nope"])
    assert missing.exit_code == 1
    assert "No file or saved mapping is called 'Nope': saved mappings are Cabinet return" in missing.output


@pytest.mark.parametrize(
    ("key", "column", "cell"),
    [("confidence", "Delivery confidence", "TBC"), ("stage", "Stage", "ongoing"), ("focus", "Focus", "x")],
)
def test_a_blank_translation_of_an_enumerated_field_means_unknown(app, key, column, cell) -> None:
    data = f"Project,Department,{column}\nAlpha,Resources,{cell}\n".encode()
    values = {SheetKind.PROGRAMMES: {key: {cell: ""}}}
    chosen = {SheetKind.PROGRAMMES: {column: key}}
    mapping = imports.ImportMapping(chosen, values=values, defaults={"stage": "", "focus": "both"})
    report = run(data, mapping, dry_run=False)
    assert report.committed and not report.problems, report.problems
    programme = db.session.scalar(select(Programme))
    assert programme.focus is Focus.BOTH and programme.stage is Stage.IDEA
    assert programme.confidence is None


def test_a_partial_mapping_uses_its_columns_and_still_guesses_the_rest(app) -> None:
    data = b"Ref,Project,Directorate,Focus,Budget\nDIG-001,Front door,Customer,Both,450\n"
    sources = sources_of(data)
    mapping = imports.ImportMapping(columns={SheetKind.PROGRAMMES: {"Ref": "code", "Budget": ""}})
    guessed = mapping.with_guesses(sources).columns[SheetKind.PROGRAMMES]
    assert guessed["Ref"] == "code" and guessed["Project"] == "name" and guessed["Focus"] == "focus"
    assert guessed["Budget"] == ""  # ignored on purpose, never guessed


def test_a_saved_mapping_is_found_for_the_same_headers_whatever_their_case(app) -> None:
    mapping = imports.ImportMapping(
        columns={SheetKind.PROGRAMMES: {"Project": "name"}}, defaults={"focus": "both"}
    )
    import_mappings.save_mapping("  Cabinet   return ", sources_of(RETURN), mapping, user=None)
    similar = RETURN.replace(b"Project,Department", b"PROJECT ,  department", 1)
    found = import_mappings.find_for(sources_of(similar))
    assert found is not None and found.name == "Cabinet return"
    assert import_mappings.mapping_of(found).defaults == {"focus": "both"}
    assert import_mappings.find_for(sources_of(b"Name,Other\nA,B\n")) is None
    with pytest.raises(NotFound):
        import_mappings.by_name("Nothing")
    assert db.session.scalar(select(SavedMapping.headers_key)) == import_mappings.headers_key(
        ["project", "department", "delivery confidence", "stage", "start"]
    )
