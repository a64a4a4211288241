"""What the wizard's steps keep in the upload's settings, and how the person's answers are read back.

Settings: `unit` ("" = as the headers say), `columns` (every header, "" for ignored), `defaults`,
`values` (kind -> field -> text -> translation, "" = unknown), `same_programmes` (name in the file -> the
code of the programme a person confirmed it is) and `saved_mapping` (the name in use).
"""

from __future__ import annotations

import time
from typing import Any

from werkzeug.datastructures import MultiDict

from tracker.domain.imports.fields import CATALOGUE, SheetKind
from tracker.domain.imports.tables import column_letter
from tracker.domain.imports.values import Unit, cell_text
from tracker.services import imports
from tracker.services.errors import Invalid, ServiceError
from tracker.services.imports import mappings as import_mappings

PREVIEW_ROWS = 5
MAX_NEAR = 1000
KEEP = "__keep__"
REQUIRED = {
    "directorate": "Give the directorate of new programmes: no column holds it",
    "focus": "Choose the focus of new programmes: no column holds it",
}


def mapping_for(settings: dict[str, Any], sources: imports.Sources) -> imports.ImportMapping:
    """The saved mapping in use (if any) under the person's own choices, the rest guessed."""
    base = imports.ImportMapping(columns={})
    if settings.get("saved_mapping"):
        try:
            base = import_mappings.mapping_of(import_mappings.by_name(settings["saved_mapping"]))
        except ServiceError:
            settings["saved_mapping"] = ""
    columns = base.columns
    if "columns" in settings:
        columns = {SheetKind(kind): chosen for kind, chosen in settings["columns"].items()}
    values = {
        kind: {key: dict(table) for key, table in by_key.items()} for kind, by_key in base.values.items()
    }
    for kind, by_key in settings.get("values", {}).items():
        for key, table in by_key.items():
            values.setdefault(SheetKind(kind), {}).setdefault(key, {}).update(table)
    unit = Unit(settings["unit"]) if settings.get("unit") else base.unit
    mapping = base.but(
        columns=columns,
        unit=unit,
        values=values,
        defaults=base.defaults | settings.get("defaults", {}),
        same_programmes=dict(settings.get("same_programmes", base.same_programmes)),
    )
    return mapping.with_guesses(sources)


def chosen_columns(form: MultiDict[str, str], sources: imports.Sources) -> dict[SheetKind, dict[str, str]]:
    """Every header with the field chosen for it; "" marks a column ignored on purpose, never guessed."""
    chosen = {}
    for kind, sheet in sources.sheets().items():
        keys = {f.key for f in CATALOGUE[kind]}
        picked = {header: form.get(f"{kind.value}-{index}", "") for index, header in enumerate(sheet.headers)}
        chosen[kind] = {header: key if key in keys else "" for header, key in picked.items()}
    return chosen


def chosen_defaults(form: MultiDict[str, str]) -> dict[str, str]:
    """The answers to the defaults questions, blanks left out."""
    given = {key: form.get(f"default-{key}", "").strip()[:120] for key in imports.DEFAULTABLE}
    return {key: value for key, value in given.items() if value}


def missing_answers(mapping: imports.ImportMapping, sources: imports.Sources) -> list[dict[str, str]]:
    """A question for each field every new programme needs that no column, template or default gives
    (none for a file of registers alone: it brings no programmes)."""
    if sources.programmes is None:
        return []
    filled = set(mapping.columns.get(SheetKind.PROGRAMMES, {}).values())
    filled |= set(mapping.templates.get(SheetKind.PROGRAMMES, {})) | set(mapping.defaults)
    return [{"text": text, "href": f"#default-{key}"} for key, text in REQUIRED.items() if key not in filled]


def chosen_values(form: MultiDict[str, str]) -> dict[str, dict[str, dict[str, str]]]:
    """The translations given on the check step: kind -> field -> text -> value ("" means unknown)."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for name in form:
        if not name.startswith("text-"):
            continue
        number = name.removeprefix("text-")
        kind, _, key = form.get(f"field-{number}", "").partition(".")
        if kind not in {k.value for k in SheetKind} or key not in {f.key for f in CATALOGUE[SheetKind(kind)]}:
            continue
        typed = form.get(f"typed-{number}", "").strip()[:200]
        picked = form.get(f"value-{number}", KEEP)
        answer = typed or picked
        if answer != KEEP:
            found.setdefault(kind, {}).setdefault(key, {})[form[name].strip().lower()] = answer
    return found


def previews(sources: imports.Sources, mapping: imports.ImportMapping) -> list[dict[str, Any]]:
    """For each sheet: its columns (header, letter, chosen field) and its first rows as text."""
    return [
        {
            "kind": kind.value,
            "label": kind.value.replace("_", " ").capitalize(),
            "name": sheet.name,
            "header_row": sheet.header_row,
            "count": len(sheet.rows),
            "footnotes": sheet.footnote_rows,
            "fields": imports.field_choices(kind),
            "columns": [
                {
                    "index": i,
                    "header": h,
                    "letter": column_letter(i),
                    "chosen": mapping.columns.get(kind, {}).get(h, ""),
                }
                for i, h in enumerate(sheet.headers)
            ],
            "rows": [(number, [cell_text(c) for c in cells]) for number, cells in sheet.rows[:PREVIEW_ROWS]],
        }
        for kind, sheet in sources.sheets().items()
    ]


def confirmed_pairs(form: MultiDict[str, str], kept: dict[str, str]) -> dict[str, str]:
    """The near-matches confirmed so far with this form's answers: a ticked pair is kept, an unticked
    one dropped (that row comes in as a new programme); pairs not on the form are left as they were."""
    confirmed = dict(kept)
    for number in range(MAX_NEAR):
        name = " ".join(form.get(f"near-{number}-name", "").split())[:500]
        code = form.get(f"near-{number}-code", "").strip().upper()[:64]
        if not name or not code:
            break
        if form.get(f"near-{number}") == "same":
            confirmed[name] = code
        elif confirmed.get(name) == code:
            del confirmed[name]
    return confirmed


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    """Radio choices of a table's distinct values, labelled in words."""
    return [(value, value.replace("_", " ").capitalize()) for value in dict.fromkeys(table.values())]


def budget(seconds: float) -> imports.Progress:
    """A progress callback that stops a check running past `seconds`: a worker serves other people too."""
    started = time.monotonic()

    def check(done: int, total: int) -> None:
        if time.monotonic() - started > seconds:
            rows = total // 2  # progress counts each row twice: once planned, once written
            raise Invalid(
                f"Checking stopped after {seconds:g} seconds at row {min(done, rows):,} of {rows:,}: "
                "import a file this size with flask import programmes FILE"
            )

    return check
