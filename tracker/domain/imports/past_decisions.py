"""Decisions taken before the council moved to the tracker, as a spreadsheet names them: change
requests already approved, rejected or withdrawn, and gate decisions. They are history: importing one
moves no baseline and no stage."""

from __future__ import annotations

from tracker.domain.imports.choices import CHANGE_KINDS, CHANGE_STATUSES, GATE_STATUSES
from tracker.domain.imports.field_types import Field, Kind, SheetKind

CHANGE_FIELDS = (
    Field(
        "programme_code",
        "Programme code",
        synonyms=("code", "programme", "project code", "programme ref", "project ref", "project"),
    ),
    Field(
        "title",
        "Change request",
        synonyms=("title", "change", "change title", "change request title", "name"),
        max_length=200,
    ),
    Field("kind", "Kind", Kind.CHOICE, ("type", "change type", "kind of change"), choices=CHANGE_KINDS),
    Field("status", "Status", Kind.CHOICE, ("decision", "outcome", "change status"), choices=CHANGE_STATUSES),
    Field("description", "Description", synonyms=("detail", "details", "change description")),
    Field("impact", "Impact", synonyms=("impact assessment", "impact on the programme")),
    Field(
        "from_end_date",
        "Baseline end date from",
        Kind.DATE,
        ("old end date", "previous end date", "end date before"),
    ),
    Field(
        "proposed_end_date",
        "Baseline end date to",
        Kind.DATE,
        ("new end date", "new baseline end date", "proposed end date", "revised end date"),
    ),
    Field(
        "from_whole_life_baseline",
        "Whole-life baseline from",
        Kind.MONEY,
        ("old whole life baseline", "previous whole life cost", "cost before"),
    ),
    Field(
        "proposed_whole_life_baseline",
        "Whole-life baseline to",
        Kind.MONEY,
        ("new whole life baseline", "new whole life cost", "proposed whole life cost", "revised cost"),
    ),
    Field("benefit", "Benefit", synonyms=("benefit title",), max_length=200),
    Field("from_target_date", "Target date from", Kind.DATE, ("old target date",)),
    Field("proposed_target_date", "Target date to", Kind.DATE, ("new target date", "revised target date")),
    Field("requested_by", "Asked by", synonyms=("requested by", "raised by"), max_length=120),
    Field(
        "requested_on", "Asked on", Kind.DATE, ("requested on", "raised on", "date raised", "date requested")
    ),
    Field(
        "decided_by",
        "Decided by",
        synonyms=("approved by", "decision maker", "decision by"),
        max_length=120,
    ),
    Field(
        "decided_on",
        "Decided on",
        Kind.DATE,
        ("decision date", "date decided", "date of decision", "approved on"),
    ),
    Field("decision_note", "Decision note", synonyms=("note", "reason", "decision reason", "conditions")),
)

GATE_FIELDS = (
    CHANGE_FIELDS[0],
    Field("gate", "Gate", synonyms=("gate name", "gateway", "stage gate", "gate review"), max_length=120),
    Field("status", "Status", Kind.CHOICE, ("decision", "outcome", "gate status"), choices=GATE_STATUSES),
    Field(
        "summary",
        "The case for passing",
        synonyms=("case", "case for passing", "summary", "evidence", "the case"),
    ),
    Field("conditions", "Conditions", synonyms=("conditions of approval", "approval conditions")),
    Field("decision_note", "Decision note", synonyms=("note", "reason", "decision reason", "notes")),
    Field("requested_by", "Asked by", synonyms=("requested by", "raised by"), max_length=120),
    Field("requested_on", "Asked on", Kind.DATE, ("requested on", "date requested")),
    Field(
        "decided_by", "Decided by", synonyms=("approved by", "decision maker", "decision by"), max_length=120
    ),
    Field(
        "decided_on",
        "Decided on",
        Kind.DATE,
        ("decision date", "date decided", "date of decision", "approved on", "gate date"),
    ),
)

HISTORY_FIELDS: dict[SheetKind, tuple[Field, ...]] = {
    SheetKind.CHANGE_REQUESTS: CHANGE_FIELDS,
    SheetKind.GATES: GATE_FIELDS,
}
HISTORY_SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.CHANGE_REQUESTS: (
        "change requests",
        "change request",
        "changes",
        "change log",
        "change control",
        "change control log",
        "change register",
    ),
    SheetKind.GATES: ("gate decisions", "gates", "gate log", "gateway reviews", "gate reviews"),
}
