"""Check the computed rating against the IPA's published delivery confidence, one return at a time.

    python -m bench.calibration FILE... [--mapping M] [--history]

Each FILE is imported into a fresh SQLite database through the import service the CLI uses (a GMPP
project is in delivery, its money buys "other" things, its DCA is an assurance review), then every
programme is rated as of the return's date: 31 March of the year the file says it was published, or
of the year after its budget's financial year. The optimism flag reads the DCA, so it is left out:
the rating comes from facts only. Rows the import refuses (a mistyped date) are left out and counted.

Per file: per published DCA value, the projects, the share rated Red, Amber and Green, the share
with any flag and the rules that fired, and the rules that never fired (`dependency_late` always: a
return records no dependencies between projects); then Spearman's rho between the score and the DCA (Green=1
... Red=5). After each file's block comes one JSON line, `{"rows", "rho", "red_share_rises", ...}`;
with several files the last line is the overall one (every file's programmes pooled), and
`red_share_rises` there is true only when it holds in every file.

With `--history`, each FILE's database first receives the FILEs before it on the command line, each
as its own return of the same projects (near-matches of names taken as the same project), so the
rules that compare returns (whole-life cost growth since the first baseline, end date moved since
the previous return) can see them; only the projects in the FILE being rated are rated.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tracker import create_app
from tracker.config import load_settings
from tracker.domain.calendar import london_today
from tracker.domain.flags import Flag
from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.rows import parse_rows
from tracker.domain.imports.values import Unit
from tracker.domain.rating import Rating
from tracker.domain.risk import assess
from tracker.domain.risk_rules import RULES
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.extensions import db
from tracker.models import ConfidenceSource, Programme
from tracker.models.types import utcnow
from tracker.services import imports
from tracker.services.imports.context import compile_all
from tracker.services.ratings.snapshots import load_portfolio

DCA_ORDER = ("green", "amber_green", "amber", "amber_red", "red")
DCA_LABELS = dict(zip(DCA_ORDER, ("Green", "Amber/Green", "Amber", "Amber/Red", "Red"), strict=True))
DEFAULTS = {"defaults": {"focus": "both", "stage": "delivery", "directorate": "Not given"}}


@dataclass(frozen=True)
class Rated:
    """One programme of a return: its published DCA (None when withheld) and what the tracker made of it."""

    name: str
    dca: str | None
    rating: Rating
    score: int
    rules: tuple[str, ...]
    snapshot: ProgrammeSnapshot | None = None


@dataclass(frozen=True)
class Result:
    """One file's calibration: the return's date, the rows read and refused, and every programme rated."""

    name: str
    as_at: date
    rows: int
    refused: int
    rated: list[Rated]


def rank(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson's correlation of the ranks; None when either side does not vary."""
    if len(xs) != len(ys):
        raise ValueError("Both sides need the same number of values")
    rx, ry = rank(xs), rank(ys)
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy) ** 0.5


def facts_only(
    snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds
) -> tuple[list[Flag], Rating, int]:
    """Every rule's flags, the rating and the score, without `optimism`: it reads the DCA being checked."""
    assessment = assess(snapshot, today, thresholds, include_optimism=False)
    return list(assessment.flags), assessment.rating, assessment.score


def return_date(sources: imports.Sources, mapping: imports.ImportMapping) -> date:
    """31 March of the year the return was published, or of the year its budget's financial year ends."""
    compiled, _ = compile_all(sources, mapping)
    for row in parse_rows(compiled[SheetKind.PROGRAMMES], mapping.unit or Unit.POUNDS):
        published, budget_year = row.values.get("published_year"), row.values.get("budget_year")
        if isinstance(published, int):
            return date(published, 3, 31)
        if isinstance(budget_year, int):
            return date(budget_year + 1, 3, 31)
    return london_today(utcnow())


def calibrate(
    data: bytes,
    name: str,
    mapping_json: dict[str, object] | None = None,
    *,
    earlier: Sequence[tuple[bytes, str]] = (),
) -> Result:
    """Import one return into a fresh database (after the `earlier` returns, oldest first, when given) and
    rate every programme in it as of the return's date."""
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        with app.app_context():
            try:
                return _calibrate(data, name, mapping_json or DEFAULTS, earlier)
            finally:
                db.session.remove()
                db.engine.dispose()


def _app(folder: Path) -> Flask:
    environ = {"DATABASE_URL": f"sqlite:///{folder / 'calibration.db'}", "SECRET_KEY": "bench-only"}
    return create_app(settings=load_settings(environ | {"SCHEDULER": "off"}, instance_dir=folder))


def _calibrate(
    data: bytes, name: str, mapping_json: dict[str, object], earlier: Sequence[tuple[bytes, str]]
) -> Result:
    from flask_migrate import upgrade

    upgrade()
    for earlier_data, earlier_name in earlier:
        _import_return(earlier_data, earlier_name, mapping_json, history=True)
    as_at, rows, refused, codes = _import_return(data, name, mapping_json, history=bool(earlier))
    dca = {pid: value for pid, value in db.session.execute(select(Programme.id, Programme.confidence))}
    in_return = set(db.session.scalars(select(Programme.id).where(Programme.code.in_(codes))))
    thresholds = Thresholds()
    rated = []
    for snapshot in load_portfolio(today=as_at).snapshots:
        if snapshot.id not in in_return:
            continue
        # The return is the programme's update as at its date, whatever day the file was imported.
        as_of = replace(snapshot, last_update_on=as_at)
        flags, rating, score = facts_only(as_of, as_at, thresholds)
        rules = tuple(dict.fromkeys(flag.rule for flag in flags))
        value = dca.get(snapshot.id)
        rated.append(Rated(snapshot.name, value.value if value else None, rating, score, rules, as_of))
    return Result(name, as_at, rows, refused, rated)


def _import_return(
    data: bytes, name: str, mapping_json: dict[str, object], *, history: bool
) -> tuple[date, int, int, list[str]]:
    """Import one return as at its date: (that date, rows read, rows refused, codes of its programmes)."""
    sources = imports.pick_sources(imports.read_file(data, name))
    mapping = imports.ImportMapping.from_json(mapping_json).with_guesses(sources)
    as_at = return_date(sources, mapping)
    options = imports.ReturnOptions(as_at, ConfidenceSource.ASSURANCE_REVIEW, match_near=history)
    assert sources.programmes is not None, f"{name} has no programmes"
    rows = len(sources.programmes.rows)
    report = imports.run_import(sources, mapping, user=None, source_name=name, dry_run=False, options=options)
    refused = {p.row for p in report.problems if p.sheet == sources.programmes.name}
    if refused:  # leave out what a PMO would send back, and import the rest
        kept = replace(
            sources.programmes, rows=tuple(r for r in sources.programmes.rows if r[0] not in refused)
        )
        sources = replace(sources, programmes=kept)
        report = imports.run_import(
            sources, mapping, user=None, source_name=name, dry_run=False, options=options
        )
    if not report.committed:
        raise SystemExit(
            f"{name}: the import was refused: {[imports.describe(p) for p in report.problems][:3]}"
        )
    return as_at, rows, len(refused), list(report.programme_codes)


def rho_of(rated: Iterable[Rated]) -> float | None:
    """Spearman's rho between the score and the DCA, over programmes whose DCA was published."""
    known = [r for r in rated if r.dca is not None]
    return spearman([r.score for r in known], [DCA_ORDER.index(r.dca) + 1 for r in known])  # type: ignore[arg-type]


def red_share_rises(rated: Iterable[Rated]) -> bool:
    """Whether more of the IPA's Amber/Red and Red projects are rated Red than its Green and Amber/Green."""
    rated = list(rated)
    low = [r for r in rated if r.dca in ("green", "amber_green")]
    high = [r for r in rated if r.dca in ("amber_red", "red")]
    if not low or not high:
        return False
    share = lambda group: sum(r.rating is Rating.RED for r in group) / len(group)  # noqa: E731
    return share(high) > share(low)


def table(rated: list[Rated]) -> list[str]:
    """Per published DCA value: projects, % rated Red / Amber / Green, % with any flag, rules fired; then
    the rules that never fired on the file (`dependency_late` among them on a published return, which
    records no dependencies between projects)."""
    lines = [f"{'DCA':<12}{'projects':>9}{'red':>6}{'amber':>7}{'green':>7}{'flag':>6}  rules fired"]
    for value in DCA_ORDER:
        group = [r for r in rated if r.dca == value]
        if not group:
            continue
        counts = Counter(r.rating for r in group)
        size = len(group)
        pct = lambda n, size=size: f"{100 * n / size:.0f}%"  # noqa: E731
        fired = Counter(rule for r in group for rule in r.rules)
        rules = ", ".join(f"{rule} {n}" for rule, n in fired.most_common()) or "none"
        lines.append(
            f"{DCA_LABELS[value]:<12}{len(group):>9}{pct(counts[Rating.RED]):>6}{pct(counts[Rating.AMBER]):>7}"
            f"{pct(counts[Rating.GREEN]):>7}{pct(sum(bool(r.rules) for r in group)):>6}  {rules}"
        )
    return [*lines, f"never fired: {', '.join(never_fired(rated)) or 'none'}"]


def never_fired(rated: Iterable[Rated]) -> list[str]:
    """The rules of `RULES` no programme of the file tripped, in the table's order."""
    fired = {rule for r in rated for rule in r.rules}
    return [name for name, _ in RULES if name not in fired]


NOT_IN_RETURNS = {
    "over_capacity": "service teams' capacity and the change days milestones land on them are not in returns",
}
"""Rules a return's facts can never trip, and why: the report says so rather than let them read as never
firing on real data."""


def unreachable() -> list[str]:
    """The report's lines on the rules no return can trip."""
    return [f"{rule} cannot fire here: {why}" for rule, why in NOT_IN_RETURNS.items()]


def summary(rows: int, rated: list[Rated], rises: bool) -> str:
    """The JSON line: rows read, rho (3 places, null when it cannot be computed) and the Red-share check."""
    rho = rho_of(rated)
    return json.dumps({"rows": rows, "rho": None if rho is None else round(rho, 3), "red_share_rises": rises})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--mapping", type=Path, help="A mapping file (JSON); else defaults for GMPP returns.")
    parser.add_argument(
        "--history", action="store_true", help="Import the FILEs before each one first, as earlier returns."
    )
    args = parser.parse_args(argv)
    mapping = json.loads(args.mapping.read_text(encoding="utf-8-sig")) if args.mapping else None
    files = [(path.read_bytes(), path.stem) for path in args.files]
    results = [
        calibrate(data, name, mapping, earlier=files[:index] if args.history else ())
        for index, (data, name) in enumerate(files)
    ]
    for result in results:
        print(f"{result.name}: {result.rows} rows as at {result.as_at:%d %B %Y}, {result.refused} refused")
        for line in [*table(result.rated), *unreachable()]:
            print("  " + line)
        print(summary(result.rows, result.rated, red_share_rises(result.rated)))
    if len(results) > 1:
        pooled = [r for result in results for r in result.rated]
        rises = all(red_share_rises(result.rated) for result in results)
        print(summary(sum(result.rows for result in results), pooled, rises))


if __name__ == "__main__":
    main()
