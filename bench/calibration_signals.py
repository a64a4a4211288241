"""How well each rule, and each fact-based signal a rule could use, agrees with the IPA's DCA.

    python -m bench.calibration_signals FILE... [--mapping M]

Imports and rates each file as `bench.calibration` does, then prints, per file, Spearman's rho between
the DCA (Green=1 ... Red=5) and: each rule's flag (1 when it fired, else 0), and each candidate signal.
A signal that is unknown for a project leaves that project out of its rho; `n` says how many remain.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.calibration import DCA_ORDER, Rated, calibrate, spearman
from tracker.domain.risk_rules import RULES
from tracker.domain.snapshot import ProgrammeSnapshot

Signal = Callable[[ProgrammeSnapshot, date], float | None]


def _year_line(s: ProgrammeSnapshot) -> tuple[Decimal | None, Decimal | None]:
    lines = [i for i in s.investments if i.approved is not None or i.forecast is not None]
    return (lines[0].approved, lines[0].forecast) if lines else (None, None)


def _deviation(s: ProgrammeSnapshot, _: date) -> float | None:
    budget, forecast = _year_line(s)
    if not budget or forecast is None:
        return None
    return float(abs(forecast - budget) / budget)


def _signed(s: ProgrammeSnapshot, _: date) -> float | None:
    budget, forecast = _year_line(s)
    return None if not budget or forecast is None else float((forecast - budget) / budget)


def _end(s: ProgrammeSnapshot) -> date | None:
    return s.forecast_end_date or s.baseline_end_date


SIGNALS: dict[str, Signal] = {
    "end date passed": lambda s, d: None if _end(s) is None else float(_end(s) < d),  # type: ignore[operator]
    "years to end": lambda s, d: None if _end(s) is None else (_end(s) - d).days / 365.25,  # type: ignore[operator]
    "years since start": lambda s, d: None if s.start_date is None else (d - s.start_date).days / 365.25,
    "whole-life cost": lambda s, _: None if s.whole_life_baseline is None else float(s.whole_life_baseline),
    "in-year |forecast - budget| / budget": _deviation,
    "in-year (forecast - budget) / budget": _signed,
    "in-year forecast > budget by 5%": lambda s, d: (
        None if _signed(s, d) is None else float(_signed(s, d) > 0.05)
    ),  # type: ignore[operator]
    "in-year forecast < budget by 10%": lambda s, d: (
        None if _signed(s, d) is None else float(_signed(s, d) < -0.10)
    ),  # type: ignore[operator]
    "figures withheld (of wlc, budget, end)": lambda s, _: float(
        (s.whole_life_baseline is None) + (_year_line(s) == (None, None)) + (_end(s) is None)
    ),
}


def measure(rated: list[Rated]) -> dict[str, tuple[float | None, int]]:
    """Rho with the DCA, and the number of projects it rests on, for each rule and each signal."""
    known = [r for r in rated if r.dca is not None and r.snapshot is not None]
    found: dict[str, tuple[float | None, int]] = {}
    for name, _ in RULES:
        found[f"rule {name}"] = _rho([(float(name in r.rules), r) for r in known])
    for name, signal in SIGNALS.items():
        found[name] = _rho([(signal(r.snapshot, r.snapshot.last_update_on), r) for r in known])  # type: ignore[arg-type]
    return found


def _rho(pairs: list[tuple[float | None, Rated]]) -> tuple[float | None, int]:
    pairs = [(x, r) for x, r in pairs if x is not None]
    rho = spearman([x for x, _ in pairs], [DCA_ORDER.index(r.dca) + 1 for _, r in pairs])  # type: ignore[arg-type]
    return (None if rho is None else round(rho, 3), len(pairs))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--mapping", type=Path)
    args = parser.parse_args(argv)
    mapping = json.loads(args.mapping.read_text(encoding="utf-8-sig")) if args.mapping else None
    for path in args.files:
        result = calibrate(path.read_bytes(), path.stem, mapping)
        print(f"{result.name} (as at {result.as_at}):")
        for name, (rho, n) in measure(result.rated).items():
            print(f"  {name:<42} rho {'-' if rho is None else f'{rho:+.3f}':>7}  n {n}")


if __name__ == "__main__":
    main()
