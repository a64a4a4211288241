"""A mapping file (or a saved mapping) lists the near-matches a person confirmed: `same_programmes`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Programme, ProgrammeReturn
from tracker.services.imports import mappings as import_mappings

HEADER = "Project name,Department,Focus,DCA,As at\n"


def run_cli(app: Flask, path: Path, *extra: str) -> str:
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(path), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def write(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def history() -> dict[str, list[date]]:
    found = {}
    for programme in db.session.scalars(select(Programme).order_by(Programme.id)):
        query = select(ProgrammeReturn.as_at).where(ProgrammeReturn.programme_id == programme.id)
        found[programme.name] = list(db.session.scalars(query.order_by(ProgrammeReturn.as_at)))
    return found


def test_a_confirmed_pair_in_the_mapping_file_merges_only_that_name(app: Flask, tmp_path: Path) -> None:
    first = write(tmp_path, "2018.csv", "Crossrail,DfT,both,Amber,31/03/2018\nHS2,DfT,both,Red,31/03/2018\n")
    run_cli(app, first)
    codes = {p.name: p.code for p in db.session.scalars(select(Programme))}
    second = write(
        tmp_path,
        "2019.csv",
        "Crossrail Programme,DfT,both,Red,31/03/2019\nHS2 (Phase One),DfT,both,Red,31/03/2019\n",
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"same_programmes": {"Crossrail  Programme": codes["Crossrail"].lower()}}))
    output = run_cli(app, second, "--mapping", str(mapping), "--save-mapping", "Major projects")
    assert f"'Crossrail Programme' matched to {codes['Crossrail']} 'Crossrail'" in output
    assert f"'HS2 (Phase One)' imported as new, not {codes['HS2']} 'HS2'" in output
    assert "confirm one with same_programmes in --mapping" in output
    assert history() == {
        "Crossrail Programme": [date(2018, 3, 31), date(2019, 3, 31)],
        "HS2": [date(2018, 3, 31)],
        "HS2 (Phase One)": [date(2019, 3, 31)],
    }
    # The saved mapping keeps the pairs, for the wizard and --mapping NAME next time.
    saved = import_mappings.by_name("Major projects")
    assert saved.mapping["same_programmes"] == {"Crossrail Programme": codes["Crossrail"]}
    assert "0 new" in run_cli(app, second, "--mapping", "Major projects", "--dry-run")


def test_a_pairs_table_that_is_not_names_to_codes_is_refused(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, "2018.csv", "Crossrail,DfT,both,Amber,31/03/2018\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"same_programmes": {"Crossrail": 7}}))
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(path), "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "'same_programmes' in the mapping file must map names to text" in result.output
