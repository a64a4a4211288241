"""The milestone save benchmark runs end to end at a tiny size and prints both timings and their ratio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import milestone_save


def test_tiny_portfolio_saves_are_timed_with_and_without_rerating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'saves.db'}"
    milestone_save.main(["--programmes", "5", "--saves", "3", "--database-url", url])

    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["programmes"] == 5 and result["saves"] == 3
    assert result["p95_ms"] > 0 and result["floor_p95_ms"] > 0
    assert result["ratio_p95"] == round(result["p95_ms"] / result["floor_p95_ms"], 2)
    assert lines[-2].startswith("Milestone save on sqlite, 5 programmes, 3 saves each")
