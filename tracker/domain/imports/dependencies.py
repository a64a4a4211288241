"""Dependencies between programmes as a spreadsheet names them: a milestone of the row's programme that
waits for a milestone of another programme, each named by its programme's code and its title, and the
date it is needed by."""

from __future__ import annotations

from tracker.domain.imports.field_types import Field, Kind, SheetKind

DEPENDENCY_FIELDS = (
    Field(
        "programme_code",
        "Programme code",
        synonyms=("code", "programme", "project code", "programme ref", "project ref", "project"),
    ),
    Field(
        "milestone",
        "Milestone",
        synonyms=(
            "waiting milestone",
            "milestone title",
            "successor",
            "successor milestone",
            "dependent milestone",
        ),
        max_length=200,
    ),
    Field(
        "depends_on_code",
        "Depends on programme",
        synonyms=(
            "depends on",
            "depends on code",
            "depends on programme code",
            "predecessor programme",
            "predecessor code",
            "waits for programme",
        ),
    ),
    Field(
        "depends_on_milestone",
        "Depends on milestone",
        synonyms=("predecessor milestone", "waits for milestone", "depends on milestone title"),
        max_length=200,
    ),
    Field(
        "needed_by",
        "Needed by",
        Kind.DATE,
        ("needed by date", "date needed", "required by", "need by"),
    ),
    Field("note", "Note", synonyms=("notes", "comments", "dependency note")),
)

DEPENDENCY_SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.DEPENDENCIES: (
        "dependencies",
        "dependency",
        "dependencies log",
        "dependency log",
        "dependency register",
        "interdependencies",
    ),
}
