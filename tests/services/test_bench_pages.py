"""The pages benchmark runs end to end at a tiny size: gunicorn serves, the client signs in, every page
answers 200, and the last line is the JSON result the docs describe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import pages

KEYS = {
    "programmes",
    "floor_p50_ms",
    "dashboard_ratio",
    "list_ratio",
    "programme_ratio",
    "milestones_ratio",
    "dashboard_p95_ms",
    "programme_p95_ms",
    "milestones_p95_ms",
    "api_list_ratio",
    "api_list_p95_ms",
    "capacity_ratio",
    "capacity_p95_ms",
    "pipeline_ratio",
    "pipeline_p95_ms",
}


def test_tiny_portfolio_is_served_and_timed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    pages.main(["--programmes", "5", "--requests", "4", "--warmup", "1", "--database-url", url])

    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert set(result) == KEYS
    assert result["programmes"] == 5
    # None would mean a page failed to answer 200 (the table above the JSON says which and why).
    assert all(isinstance(value, float) and value > 0 for key, value in result.items() if key != "programmes")
    assert any(line.startswith("programme  /programmes/PRG-") for line in lines)
    assert any(line.startswith("milestones /milestones/ ") for line in lines)
    assert any(line.startswith("api_list   /api/v1/programmes ") for line in lines)
    assert any(line.startswith("capacity   /capacity/ ") for line in lines)
