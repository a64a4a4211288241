"""`flask import programmes FILE`: the spreadsheet import from the command line, all or nothing."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.cli.progress import progress_bar
from tracker.domain.imports import limits
from tracker.domain.imports.tables import Workbook
from tracker.domain.imports.values import Unit
from tracker.domain.vocabulary import ConfidenceSource, InvestmentCategory

FIRST_IN_FULL = 5
import_cli = AppGroup("import", help="Bring programmes in from spreadsheets.")


@import_cli.command("programmes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_name",
    metavar="NAME|FILE",
    help="A JSON file saying which column fills which field (see the README), or the name of a mapping "
    "saved from the wizard or --save-mapping; columns it leaves out are guessed.",
)
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="KEY=VALUE",
    help="A value for new programmes (or investment lines) when the file has none, e.g. focus=both; "
    "repeatable. Keys: directorate, focus, stage, category.",
)
@click.option("--save-mapping", metavar="NAME", help="Keep the mapping used under this name for next time.")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but write nothing.")
@click.option(
    "--unit",
    type=click.Choice([u.value for u in Unit]),
    help="What bare numbers in money columns count (overrides the mapping file and the headers; "
    "else each column's header, or the size of its amounts, decides, and pounds when neither does).",
)
@click.option(
    "--category",
    type=click.Choice([c.value for c in InvestmentCategory]),
    help="Category of new investment lines when the file has no category column (default other: not IT).",
)
@click.option(
    "--milestones",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A separate CSV or XLSX of milestones (else a sheet called Milestones).",
)
@click.option(
    "--investments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A separate CSV or XLSX of investment lines (else a sheet called Investments).",
)
@click.option(
    "--as-at",
    "as_at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the file's figures were true, kept as each programme's return for that date "
    "(else 31 March of the year a row says it was published, else today).",
)
@click.option(
    "--confidence-source",
    type=click.Choice([s.value for s in ConfidenceSource]),
    help="Who assessed the delivery confidence (else read from its header: a DCA is an assurance review).",
)
@click.option(
    "--match-near",
    is_flag=True,
    help="Take each listed near-match of a name (Crossrail / Crossrail Programme) as the same programme.",
)
@click.option(
    "--as",
    "acting",
    metavar="EMAIL",
    help="Import as this user (their permissions, their name in the audit log).",
)
def import_programmes_command(
    file: Path,
    mapping_name: str | None,
    defaults: tuple[str, ...],
    save_mapping: str | None,
    dry_run: bool,
    unit: str | None,
    category: str | None,
    milestones: Path | None,
    investments: Path | None,
    as_at: datetime | None,
    confidence_source: str | None,
    match_near: bool,
    acting: str | None,
) -> None:
    """Import programmes from FILE (CSV or XLSX); exits 1 and writes nothing when any row is rejected."""
    from tracker.services import imports
    from tracker.services.accounts.users import find_by_email
    from tracker.services.errors import ServiceError

    user = None
    if acting:
        user = find_by_email(acting)
        if user is None:
            raise click.ClickException(f"No user has the email {acting.strip()}.")
    try:
        mapping = _chosen_mapping(mapping_name)
        given = _parse_defaults(defaults) | ({"category": category} if category else {})
        mapping = mapping.but(unit=Unit(unit) if unit else mapping.unit, defaults=mapping.defaults | given)
        extra = {
            "milestones": _read(milestones) if milestones else None,
            "investments": _read(investments) if investments else None,
        }
        sources = imports.pick_sources(_read(file), **extra)
        mapping = mapping.with_guesses(sources)
        _describe_guesses(sources, mapping)
        _describe_units(sources, mapping)
        bar = progress_bar("Importing programmes")
        started = time.perf_counter()
        try:
            options = imports.ReturnOptions(
                as_at.date() if as_at else None,
                ConfidenceSource(confidence_source) if confidence_source else None,
                match_near=match_near,
                near_accepted=mapping.near_accepted(),
            )
            report = imports.run_import(
                sources,
                mapping,
                user=user,
                source_name=file.name,
                dry_run=dry_run,
                progress=bar,
                options=options,
            )
        finally:
            if bar is not None:
                bar.close()
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    for sheet, rows in report.footnotes.items():
        click.echo(
            f"Ignored {len(rows)} footnote row(s) at the end of {sheet}: row(s) {', '.join(map(str, rows))}."
        )
    for warning in report.warnings:
        click.echo(imports.describe(warning))
    if report.near_matches:
        hint = (
            "" if match_near else " (confirm one with same_programmes in --mapping, or all with --match-near)"
        )
        click.echo(f"Names close to an existing programme's{hint}:")
        for near in report.near_matches:
            click.echo(f"  {near.describe()}")
    _print_problems(report)
    click.echo(report.summary())
    click.echo(f"Took {time.perf_counter() - started:.2f} seconds.")
    if report.problems or report.needs:
        raise SystemExit(1)
    if save_mapping:
        from tracker.services.imports import mappings as import_mappings

        try:
            import_mappings.save_mapping(save_mapping, sources, mapping, user=user)
        except ServiceError as error:
            raise click.ClickException(error.message) from error
        click.echo(
            f"Saved these choices as '{save_mapping.strip()}': use --mapping '{save_mapping.strip()}'."
        )


def _chosen_mapping(name: str | None) -> object:
    """The mapping from a file that exists, else a saved mapping of that name, else an empty one."""
    from tracker.services import imports
    from tracker.services.imports import mappings as import_mappings

    if not name:
        return imports.ImportMapping(columns={})
    path = Path(name)
    if path.is_file():
        return imports.ImportMapping.from_json(_load_json(path))
    return import_mappings.mapping_of(import_mappings.by_name(name))


def _parse_defaults(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--default focus=both` pairs as a dict; a pair without `=` or with an unknown key is refused."""
    from tracker.services.imports import DEFAULTABLE

    found = {}
    for pair in pairs:
        key, sign, value = pair.partition("=")
        key = key.strip().lower()
        if not sign or key not in DEFAULTABLE:
            raise click.BadParameter(
                f"'{pair}' is not KEY=VALUE with a key of {', '.join(DEFAULTABLE)}", param_hint="--default"
            )
        if value.strip():
            found[key] = value.strip()
    return found


def _print_problems(report: object) -> None:
    """Each distinct problem once, with its count and rows; then the first few in full; then the
    defaults the file lacks, said once."""
    from tracker.services import imports
    from tracker.services.imports.report import group_problems, needs_for_cli

    problems = report.problems  # type: ignore[attr-defined]
    groups = group_problems(problems)
    for group in groups:
        alone = group.count == 1 and group.first is not None
        click.echo(imports.describe(group.first) if alone else group.describe(), err=True)  # type: ignore[arg-type]
    if len(groups) < len(problems):
        click.echo(f"The first of {len(problems)} problems in full:", err=True)
        for problem in problems[:FIRST_IN_FULL]:
            click.echo(f"  {imports.describe(problem)}", err=True)
    for line in needs_for_cli(report.needs):  # type: ignore[attr-defined]
        click.echo(line, err=True)


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name} is not a JSON file: {error}") from error


def _describe_guesses(sources: object, mapping: object) -> None:
    """Say which columns were matched to which fields, so a surprising guess is seen."""
    from tracker.domain.imports.fields import fields_by_key

    for kind, sheet in sources.sheets().items():  # type: ignore[attr-defined]
        labels = fields_by_key(kind)
        chosen = mapping.columns.get(kind, {})  # type: ignore[attr-defined]
        pairs = [f"{header} → {labels[key].label}" for header, key in chosen.items() if key]
        ignored = [header for header in sheet.headers if not chosen.get(header)]
        click.echo(f"{sheet.name}: " + ("; ".join(pairs) or "no columns recognised"))
        for key, text in mapping.templates.get(kind, {}).items():  # type: ignore[attr-defined]
            click.echo(f"  {labels[key].label}: {text}, from the headers")
        if ignored:
            click.echo(f"  Ignored: {', '.join(ignored)}")


def _describe_units(sources: object, mapping: object) -> None:
    """Say which unit each money column is read in and why, so an assumed unit can be corrected."""
    from tracker.domain.imports.fields import fields_by_key
    from tracker.services import imports

    for kind, choices in imports.unit_choices(sources, mapping).items():  # type: ignore[arg-type]
        labels = fields_by_key(kind)
        for key, choice in choices.items():
            hint = " (give --unit to say otherwise)" if choice.assumed else ""
            click.echo(f"  {labels[key].label} in {choice.unit.value}: {choice.reason}{hint}")


def _read(path: Path) -> Workbook:
    """A file read with the command line's caps: no row or time limit, still the zip checks."""
    from tracker.services import imports

    return imports.read_file(path.read_bytes(), path.name, limits=limits.CLI)
