"""The fields of a programme's registers as a spreadsheet names them: risks and issues, actions,
decisions and lessons, each row naming its programme by code.

A workbook's sheets called Risks, Issues, Actions, Decisions or Lessons learned are read as these
without a mapping file; the tracker's own workbook (Actions, Decisions, Lessons) comes back in as it went.
"""

from __future__ import annotations

from tracker.domain.imports.choices import (
    ACTION_STATUSES,
    DECISION_STATUSES,
    ENTRY_KINDS,
    ENTRY_STATUSES,
    IMPACTS,
    LESSON_KINDS,
    LIKELIHOODS,
    RESPONSES,
)
from tracker.domain.imports.field_types import Field, Kind, SheetKind

TITLE_LENGTH = 200
NAME_LENGTH = 120


def _programme_code() -> Field:
    return Field(
        "programme_code",
        "Programme code",
        synonyms=("code", "programme", "project code", "programme ref", "project ref", "project"),
    )


def _owner(*synonyms: str) -> Field:
    return Field("owner", "Owner", synonyms=(*synonyms, "assigned to", "responsible"), max_length=NAME_LENGTH)


ENTRY_FIELDS = (
    _programme_code(),
    Field(
        "kind",
        "Type",
        Kind.CHOICE,
        ("kind", "risk or issue", "entry type", "raid type", "risk issue"),
        choices=ENTRY_KINDS,
    ),
    Field(
        "title",
        "Title",
        synonyms=("risk", "issue", "risk title", "issue title", "name", "risk name", "issue name"),
        max_length=TITLE_LENGTH,
    ),
    Field(
        "description",
        "Description",
        synonyms=("risk description", "issue description", "detail", "details", "cause and effect"),
    ),
    Field(
        "likelihood",
        "Likelihood",
        Kind.CHOICE,
        ("probability", "likelihood score", "probability score", "chance"),
        choices=LIKELIHOODS,
    ),
    Field(
        "impact",
        "Impact",
        Kind.CHOICE,
        ("severity", "impact score", "severity score", "consequence"),
        choices=IMPACTS,
    ),
    _owner("risk owner", "issue owner"),
    Field(
        "response",
        "Response",
        Kind.CHOICE,
        ("risk response", "response type", "strategy", "treatment"),
        choices=RESPONSES,
    ),
    Field(
        "mitigation",
        "Mitigation",
        synonyms=("mitigations", "mitigating actions", "controls", "mitigation plan", "response plan"),
    ),
    Field("status", "Status", Kind.CHOICE, ("risk status", "issue status"), choices=ENTRY_STATUSES),
    Field(
        "review_date", "Review date", Kind.DATE, ("review", "next review", "next review date", "review by")
    ),
)

ACTION_FIELDS = (
    _programme_code(),
    Field("title", "Action", synonyms=("title", "action title", "name"), max_length=TITLE_LENGTH),
    Field("description", "Description", synonyms=("detail", "details", "action description", "notes")),
    _owner("action owner", "actionee"),
    Field("due_date", "Due date", Kind.DATE, ("due", "deadline", "target date", "date due", "due by")),
    Field("status", "Status", Kind.CHOICE, ("action status",), choices=ACTION_STATUSES),
    Field(
        "done_on",
        "Date done",
        Kind.DATE,
        ("done on", "completed on", "date completed", "completion date", "closed on", "date closed"),
    ),
)

DECISION_FIELDS = (
    _programme_code(),
    Field("title", "Decision", synonyms=("title", "decision title", "name"), max_length=TITLE_LENGTH),
    Field(
        "detail",
        "What was decided and why",
        synonyms=("detail", "details", "description", "rationale", "decision detail", "what was decided"),
    ),
    Field(
        "decided_by",
        "Decided by",
        synonyms=("decision maker", "decision by", "made by", "approved by", "decision making body"),
        max_length=NAME_LENGTH,
    ),
    Field(
        "decided_on",
        "Date decided",
        Kind.DATE,
        ("decision date", "decided on", "date of decision", "date", "agreed on", "approved on"),
    ),
    Field("status", "Status", Kind.CHOICE, ("decision status",), choices=DECISION_STATUSES),
)

LESSON_FIELDS = (
    _programme_code(),
    Field(
        "kind",
        "Kind",
        Kind.CHOICE,
        ("type", "lesson type", "went well or do differently"),
        choices=LESSON_KINDS,
    ),
    Field(
        "title",
        "Lesson",
        synonyms=("title", "lesson learned", "lesson learnt", "lesson title", "name"),
        max_length=TITLE_LENGTH,
    ),
    Field(
        "what_happened",
        "What happened",
        synonyms=("description", "detail", "details", "observation", "what happened and why"),
    ),
    Field(
        "recommendation",
        "Recommendation",
        synonyms=("recommendations", "what to do next time", "next time", "advice for next time"),
    ),
)

REGISTER_FIELDS: dict[SheetKind, tuple[Field, ...]] = {
    SheetKind.RISKS: ENTRY_FIELDS,
    SheetKind.ISSUES: ENTRY_FIELDS,
    SheetKind.ACTIONS: ACTION_FIELDS,
    SheetKind.DECISIONS: DECISION_FIELDS,
    SheetKind.LESSONS: LESSON_FIELDS,
}
REGISTER_SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.RISKS: (
        "risks",
        "risk",
        "risk register",
        "risk log",
        "risks and issues",
        "risks issues",
        "risk and issue register",
        "risks and issues register",
        "raid",
        "raid log",
        "raid register",
    ),
    SheetKind.ISSUES: ("issues", "issue", "issue log", "issues log", "issue register"),
    SheetKind.ACTIONS: ("actions", "action", "action log", "actions log", "action register"),
    SheetKind.DECISIONS: ("decisions", "decision", "decision log", "decisions log", "decision register"),
    SheetKind.LESSONS: (
        "lessons",
        "lesson",
        "lessons learned",
        "lessons learnt",
        "lessons log",
        "lessons learned log",
        "lessons learnt log",
    ),
}
