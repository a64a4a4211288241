"""The check is the commit: every real file's dry run says exactly what its commit then does.

Each file runs in a fresh database: first a dry run, then the real import; the counts and the
problems must be the same, and a dry run that passes must commit (no constraint the check missed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from tracker.services import imports

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
GC_MAPPING = Path(__file__).resolve().parents[1] / "import_gc_mapping.json"
RETURN_DEFAULTS = {"defaults": {"focus": "both", "stage": "delivery"}}


def real_files() -> list[Path]:
    # Never skipped: the suite runs with ../shared beside the checkout, as CI does.
    assert REAL.exists(), f"{REAL} is missing: put the shared folder beside the checkout"
    return sorted(path for path in REAL.rglob("*") if path.suffix.lower() in {".csv", ".xlsx"})


def mapping_for(path: Path) -> dict:
    """The defaults each file needs: the Canadian portfolio its mapping, a GMPP return focus and stage."""
    return json.loads(GC_MAPPING.read_text()) if path.name.startswith("gc-") else RETURN_DEFAULTS


def outcome(report: imports.Report) -> tuple:
    counts = (report.rows, report.created, report.updated, report.unchanged)
    children = (report.milestones_created, report.investments_created)
    return counts, children, [imports.describe(p) for p in report.problems]


@pytest.mark.parametrize("path", real_files(), ids=lambda path: path.name)
def test_a_dry_run_of_a_real_file_says_what_its_commit_does(app: Flask, path: Path) -> None:
    sources = imports.pick_sources(imports.read_file(path.read_bytes(), path.name))
    mapping = imports.ImportMapping.from_json(mapping_for(path)).with_guesses(sources)

    def run(dry_run: bool) -> imports.Report:
        return imports.run_import(sources, mapping, user=None, source_name=path.name, dry_run=dry_run)

    checked = run(dry_run=True)
    assert not checked.committed
    committed = run(dry_run=False)
    assert outcome(committed) == outcome(checked)
    assert committed.committed is not bool(checked.problems), outcome(checked)[2][:5]
    # Only a cell no reader could take is refused: one start date in 2017 (`1/012/2014`).
    assert len(checked.problems) == (1 if path.name == "gmpp_2017.csv" else 0)
