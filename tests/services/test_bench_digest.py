"""The digest benchmark runs end to end at a tiny size: every recipient's digest timed against the floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import digest


def test_tiny_portfolio_digests_are_timed_for_every_recipient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'digest.db'}"
    digest.main(["--programmes", "5", "--repeat", "1", "--database-url", url])

    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert list(result) == ["programmes", "recipients", "seconds", "floor_seconds", "largest_html_bytes"]
    # The generator's admin, CIO and eight programme managers; its viewers have not opted in.
    assert result["programmes"] == 5 and result["recipients"] == 10
    assert result["seconds"] > 0 and result["floor_seconds"] >= 0  # the floor rounds to 0 at 5 programmes
    assert 0 < result["largest_html_bytes"] < 200 * 1024
    assert lines[-2].startswith("10 digests (2 of the whole portfolio) built and rendered in ")
