"""What an import's checks read once: the mapping compiled against the sheets, and the database.

Programmes and managers are read in one query each; milestones and investment lines only for the
programmes the file updates, 500 ids at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from tracker.domain.calendar import london_today
from tracker.domain.imports.field_types import CHILD_KINDS
from tracker.domain.imports.fields import SheetKind, fields_by_key
from tracker.domain.imports.names import loose_key, name_key
from tracker.domain.imports.rows import SheetMapping, compile_mapping, read_cell
from tracker.domain.imports.values import Unit
from tracker.domain.stage_models import StageModel
from tracker.extensions import db
from tracker.models import (
    ConfidenceSource,
    Decision,
    Investment,
    Lesson,
    Milestone,
    Programme,
    ProgrammeAction,
    ProgrammeReturn,
    RegisterEntry,
    User,
)
from tracker.models.types import utcnow
from tracker.policy import Action, can
from tracker.services.imports.model import LINE_DEFAULTS, ImportMapping, Sources
from tracker.services.programmes.records import CODE_PATTERN, MANAGER_ROLES
from tracker.services.settings import current_stage_model

if TYPE_CHECKING:
    from tracker.services.imports.model import ProgrammeOp

CHUNK = 500
BUDGET_TITLE = "Budget"
COMPLETION_TITLE = "Programme completion"


@dataclass(frozen=True)
class Team:
    """A stand-in for the policy: who would manage a programme."""

    manager_id: int | None
    member_ids: frozenset[int] = frozenset()
    is_closed: bool = False


def compile_all(sources: Sources, mapping: ImportMapping) -> tuple[dict[SheetKind, SheetMapping], list[str]]:
    """Each sheet's mapping checked against its headers, and the problems with the mapping itself."""
    compiled: dict[SheetKind, SheetMapping] = {}
    errors: list[str] = []
    for kind, sheet in sources.sheets().items():
        sheet_mapping, problems = compile_mapping(
            sheet,
            kind,
            mapping.columns.get(kind, {}),
            templates=mapping.templates.get(kind),
            values=mapping.values.get(kind),
            unit=mapping.unit,
        )
        compiled[kind], errors = sheet_mapping, errors + problems
    chosen = compiled.get(SheetKind.PROGRAMMES)
    if chosen is not None and not {"name", "code"} & (set(chosen.columns) | set(chosen.templates)):
        errors.append("Choose the column that holds each programme's name (or its code)")
    for kind in CHILD_KINDS:
        if kind in compiled and "programme_code" not in compiled[kind].columns:
            errors.append(f"Choose the column of the {kind.value} sheet that holds the programme code")
    for key, value in mapping.defaults.items():
        try:
            kind = SheetKind.INVESTMENTS if key in LINE_DEFAULTS else SheetKind.PROGRAMMES
            read_cell(fields_by_key(kind)[key], value, Unit.POUNDS)
        except ValueError as error:
            errors.append(f"Default {key}: {error}")
    if mapping.code_prefix and not CODE_PATTERN.fullmatch(f"{mapping.code_prefix}-1"):
        errors.append("The code prefix must be 2 to 6 letters, like IMP")
    return compiled, errors


class Context:
    """What the checks read from the database, loaded once."""

    def __init__(self, user: User | None, mapping: ImportMapping) -> None:
        self.user, self.mapping = user, mapping
        self.today = london_today(utcnow())
        self.programmes = list(db.session.scalars(select(Programme)))
        self.by_code = {p.code.upper(): p for p in self.programmes}
        self.by_name: defaultdict[str, list[Programme]] = defaultdict(list)
        self.by_loose: defaultdict[str, list[Programme]] = defaultdict(list)
        self.by_reference: defaultdict[str, list[Programme]] = defaultdict(list)
        for programme in self.programmes:
            self.by_name[name_key(programme.name)].append(programme)
            self.by_loose[loose_key(programme.name)].append(programme)
            if programme.external_reference:
                self.by_reference[programme.external_reference.strip().upper()].append(programme)
        newest = select(ProgrammeReturn.programme_id, func.max(ProgrammeReturn.as_at))
        self.latest_return: dict[int, date] = dict(
            db.session.execute(newest.group_by(ProgrammeReturn.programme_id)).all()
        )
        self.claimed: set[int] = set()  # existing programmes a row of the file has matched
        self.match_near = False  # take every near-match of a name as the same programme
        self.near_accepted: frozenset[str] = frozenset()  # codes of near-matches a person confirmed
        managers = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(MANAGER_ROLES)))
        self.managers: defaultdict[str, set[int]] = defaultdict(set)
        self.manager_names: dict[int, str] = {}
        for manager in managers:
            self.managers[manager.email.strip().lower()].add(manager.id)
            self.managers[manager.name.strip().lower()].add(manager.id)
            self.manager_names[manager.id] = manager.name
        self.planned: dict[str, ProgrammeOp] = {}
        self.seen: dict[tuple[Any, ...], int] = {}  # milestones and investment lines already in the file
        self.milestones: dict[tuple[int, str], Milestone] = {}
        self.investments: dict[tuple[int, str], list[Investment]] = defaultdict(list)
        self.planned_milestones: set[int] = set()  # programmes with milestones besides the completion one
        self.sheet_milestones: set[str] = set()  # programme codes the milestones sheet gives rows for
        self.itemised: set[int] = set()  # programmes with investment lines other than the imported budget
        self.records: dict[tuple[str, int, str], Any] = {}  # (register, programme id, title) -> record
        self.as_at: date | None = None  # the date the file's figures were true, when the person said
        self.confidence_source = ConfidenceSource.SELF_ASSESSMENT
        self.unfilled: set[str] = set()  # fields a new programme needs that no column or default fills
        self.needs: set[str] = set()  # of those, the ones a new row in the file lacked: asked once

    @cached_property
    def stage_model(self) -> StageModel:
        """The council's stage model, read once for the import (for past gate decisions)."""
        return current_stage_model()

    def may(self, action: Action, programme: Any = None) -> bool:
        return self.user is None or can(self.user, action, programme)

    def load_children(self, programme_ids: list[int]) -> None:
        """The milestones and investment lines of the programmes the file updates."""
        for start in range(0, len(programme_ids), CHUNK):
            ids = programme_ids[start : start + CHUNK]
            for milestone in db.session.scalars(select(Milestone).where(Milestone.programme_id.in_(ids))):
                if milestone.title.strip().lower() != COMPLETION_TITLE.lower():
                    self.planned_milestones.add(milestone.programme_id)
                self.milestones.setdefault(
                    (milestone.programme_id, milestone.title.strip().lower()), milestone
                )
            for line in db.session.scalars(
                select(Investment).where(Investment.programme_id.in_(ids)).order_by(Investment.id)
            ):
                self.investments[(line.programme_id, line.title.strip().lower())].append(line)
                if line.title.strip().lower() != BUDGET_TITLE.lower():
                    self.itemised.add(line.programme_id)

    def load_registers(self, programme_ids: list[int]) -> None:
        """The risks, issues, actions, decisions and lessons of the programmes the file's registers name,
        by register (a risk's kind, else its table) and title, the first of a title winning."""
        for start in range(0, len(programme_ids), CHUNK):
            ids = programme_ids[start : start + CHUNK]
            for model in (RegisterEntry, ProgrammeAction, Decision, Lesson):
                for record in db.session.scalars(
                    select(model).where(model.programme_id.in_(ids)).order_by(model.id)
                ):
                    register = record.kind.value if model is RegisterEntry else model.__tablename__
                    key = (register, record.programme_id, record.title.strip().lower())
                    self.records.setdefault(key, record)
