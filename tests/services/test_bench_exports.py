"""The exports benchmark runs end to end at a tiny size and prints each format's time, floor and memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import exports


def test_tiny_portfolio_exports_are_timed_against_their_floors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'exports.db'}"
    exports.main(["--programmes", "4", "--repeat", "1", "--database-url", url])

    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["programmes"] == 4
    # programmes, milestones, cost lines, benefits, risks and issues
    assert result["xlsx_rows"] == 4 * (1 + 20 + 5 + 4 + 8)
    for name in ("csv_seconds", "csv_floor_seconds", "xlsx_seconds", "xlsx_floor_seconds"):
        assert result[name] > 0
    assert result["csv_bytes"] > 0 and result["xlsx_bytes"] > 0 and result["xlsx_peak_python_mb"] > 0
    assert lines[-3].startswith("CSV ") and lines[-2].startswith("Excel ") and "floor" in lines[-2]
