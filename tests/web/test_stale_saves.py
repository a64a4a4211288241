"""Every editing page answers a save made from a stale copy the same way: the same message in the error
summary, everything typed kept, and the saved version in the form so that saving again goes through.
Every delete and confirm page refuses a stale copy and deletes nothing. A walk of the URL map finds every
form that carries a version, checks it refuses a stale copy, and fails for any no case here covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.factories import (
    BenefitFactory,
    InvestmentFactory,
    MilestoneFactory,
    RegisterEntryFactory,
    StatusUpdateFactory,
)
from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tests.web.programme_data import add_programme, key_facts
from tests.web.routes import all_routes
from tests.web.test_benefits import PROFILE
from tests.web.test_money import form as money_form
from tests.web.test_register import ENTRY
from tests.web.test_routes_by_role import build_world
from tests.web.test_updates import REPORT
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Benefit,
    BenefitType,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    CostType,
    Decision,
    Direction,
    EntryStatus,
    GateRequest,
    Investment,
    Lesson,
    LessonKind,
    Milestone,
    MilestoneDependency,
    MilestoneKind,
    ProgrammeAction,
    Rag,
    Recurrence,
    RegisterEntry,
    Role,
    ServiceTeam,
    Stage,
    StatusUpdate,
    User,
)

BASELINE = date.today() + timedelta(days=60)
TYPED = "Typed before the other save"


@dataclass(frozen=True)
class Page:
    """An editing page: the record it edits, the form it posts and a change someone else makes."""

    name: str
    path: str
    record: Any  # programme id -> the record, added
    data: dict[str, object]
    theirs: tuple[str, object]
    typed: str = TYPED  # what the person typed, which the page must show again


def _investment(programme_id: int) -> Investment:
    return Investment(
        programme_id=programme_id, title="Integrator", cost_type=CostType.CAPITAL,
        recurrence=Recurrence.ONE_OFF, financial_year=2026, approved=Decimal(1000),
    )  # fmt: skip


def _milestone(programme_id: int) -> Milestone:
    return Milestone(
        programme_id=programme_id, title="Go-live", kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=BASELINE, baseline_date=BASELINE, forecast_date=BASELINE,
    )  # fmt: skip


def _benefit(programme_id: int) -> Benefit:
    return Benefit(
        programme_id=programme_id, title="Faster assessments", benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        unit="days", direction=Direction.LOWER, owner="Chris Moss",
    )  # fmt: skip


def _entry(programme_id: int) -> RegisterEntry:
    return RegisterEntry(programme_id=programme_id, title="Payroll errors", likelihood=3, impact=3)


def _gate(programme_id: int) -> GateRequest:
    return GateRequest(
        programme_id=programme_id, gate_key="delivery", gate_name="Ready to close", from_stage="delivery",
        from_stage_name="Delivery", to_stage="closing", to_stage_name="Closing", approver_role="cio",
        checklist=[{"item": "Milestones delivered or cancelled", "met": True, "note": ""}], summary="Done.",
    )  # fmt: skip


def _change(programme_id: int) -> ChangeRequest:
    """A change request raised by the signed-in CIO, who may both withdraw and decide it."""
    asker = db.session.scalars(select(User.id).where(User.role == Role.CIO)).first()
    return ChangeRequest(
        programme_id=programme_id, kind=ChangeRequestKind.SCOPE, title="Add the library service",
        impact="Two more months", requested_by_id=asker,
    )  # fmt: skip


def _lesson(programme_id: int) -> Lesson:
    return Lesson(
        programme_id=programme_id, kind=LessonKind.WENT_WELL, title="Train the service first",
        what_happened="Their account",
    )  # fmt: skip


LESSON = {"kind": "do_differently", "title": TYPED, "what_happened": "Go-live slipped", "recommendation": ""}


def _action(programme_id: int) -> ProgrammeAction:
    return ProgrammeAction(programme_id=programme_id, title="Confirm staffing", owner="Ann Lee")


def _decision(programme_id: int) -> Decision:
    return Decision(programme_id=programme_id, title="Use the framework", decided_by="Programme board")


NO_DATE = ["", "", ""]
ACTION = {
    "title": TYPED, "owner": "", "due_date": NO_DATE, "entry_id": "", "status": "open", "done_on": NO_DATE,
}  # fmt: skip


def _update(programme_id: int) -> StatusUpdate:
    return StatusUpdate(
        programme_id=programme_id, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31),
        overall=Rag.AMBER, schedule=Rag.AMBER, cost=Rag.GREEN, benefits=Rag.GREEN, resources=Rag.GREEN,
        narrative="Their narrative",
    )  # fmt: skip


def _saved(record: Any) -> Any:
    db.session.add(record)
    db.session.commit()
    return record


def _team(programme_id: int) -> ServiceTeam:
    """A service team: the council's, not the programme's."""
    return ServiceTeam(name="Libraries", directorate="Place and Environment", monthly_capacity=Decimal(15))


PAGES = [
    Page("key facts", "/programmes/DIG-001/edit", None, key_facts(name=TYPED), ("name", "Renamed by them")),
    Page("team", "/programmes/DIG-001/team", None, {"sro_name": TYPED, "manager_id": ""},
         ("sro_name", "Their SRO")),
    Page("money line", "/programmes/DIG-001/money/{id}/edit", _investment, money_form(title=TYPED),
         ("title", "Their line")),
    Page(
        "milestone", "/programmes/DIG-001/milestones/{id}/edit", _milestone,
        {"title": TYPED, "kind": "it_delivery", "status": "not_started",
         "forecast_date": [str(BASELINE.day), str(BASELINE.month), str(BASELINE.year)]},
        ("title", "Their title"),
    ),
    Page("benefit", "/programmes/DIG-001/benefits/{id}/edit", _benefit, PROFILE | {"owner": TYPED},
         ("owner", "Dan Price")),
    Page("register entry", "/programmes/DIG-001/risks/{id}/edit", _entry, ENTRY | {"title": TYPED},
         ("owner", "Priya Shah")),
    Page("planned values", "/programmes/DIG-001/benefits/{id}/trajectory", _benefit,
         {"points-0-on_date": ["1", "4", "2027"], "points-0-value": "12.5"}, ("owner", "Dan Price"),
         typed="12.5"),
    Page("stage", "/programmes/DIG-001/stage", None, {"change": "pause", "reason": TYPED},
         ("name", "Renamed by them")),
    Page("planned gate date", "/programmes/DIG-001/gates/", None,
         {"planned_gate_date": ["17", "3", "2027"]}, ("name", "Renamed by them"), typed="17"),
    Page("ask for a gate", "/programmes/DIG-001/gates/ask", None,
         {"met_0": "y", "met_1": "y", "summary": TYPED}, ("name", "Renamed by them")),
    Page("gate decision", "/programmes/DIG-001/gates/{id}", _gate,
         {"outcome": "approved", "conditions": TYPED}, ("summary", "Their case")),
    Page("action", "/programmes/DIG-001/risks/actions/{id}/edit", _action, ACTION, ("owner", "Priya Shah")),
    Page("decision", "/programmes/DIG-001/risks/decisions/{id}/edit", _decision,
         {"title": TYPED, "decided_by": "Board", "decided_on": NO_DATE, "status": "made"},
         ("decided_by", "Cabinet")),
    Page("draft update", "/programmes/DIG-001/updates/{id}/edit", _update, REPORT | {"narrative": TYPED},
         ("schedule", Rag.RED)),
    Page("change decision", "/rebaselines/changes/{id}", _change, {"decision": "reject", "note": TYPED},
         ("title", "Their title")),
    Page("lesson", "/programmes/DIG-001/lessons/{id}/edit", _lesson, LESSON, ("what_happened", "Theirs")),
    Page("benefit status", "/programmes/DIG-001/benefits/{id}/status", _benefit,
         {"status": "written_off", "status_reason": TYPED}, ("owner", "Dan Price"), typed=TYPED),
    Page("service team", "/capacity/teams/{id}/edit", _team,
         {"name": TYPED, "directorate": "Place and Environment", "monthly_capacity": "12"},
         ("monthly_capacity", Decimal("20.0"))),
]  # fmt: skip


def _saved(record: Any) -> Any:
    db.session.add(record)
    db.session.commit()
    return record


CHANGED_BY = r"This [a-z ]+ was changed by Helen Carter on .+ while you were editing it"


def _someone_else_changes(make_user, kind: type, record_id: int, theirs: tuple[str, object]) -> None:
    """Helen Carter saves a change to the record while the page is open."""
    someone = make_user(Role.ADMIN, name="Helen Carter")
    record = db.session.get(kind, record_id)
    setattr(record, theirs[0], theirs[1])
    record.updated_by_id = someone.id
    db.session.commit()


def _version_on(page: str) -> str:
    match = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page)
    assert match, "no version in the form"
    return match.group(1)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_a_stale_save_says_who_saved_first_keeps_the_input_and_offers_their_version(
    client, auth, make_user, page: Page
) -> None:
    manager = auth.sign_in_as(Role.CIO)  # may edit key facts and team, and update any programme
    programme = add_programme(manager_id=manager.id, stage=Stage.DELIVERY)
    record = programme if page.record is None else page.record(programme.id)
    db.session.add(record)
    db.session.commit()
    kind, record_id, programme_id = type(record), record.id, programme.id
    path = page.path.format(id=record_id)
    opened = client.get(path)
    stale = _version_on(opened.get_data(as_text=True))

    _someone_else_changes(make_user, kind, record_id, page.theirs)

    response = client.post(path, data={**page.data, "version": stale, "csrf_token": csrf_token_from(opened)})

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = error_summary(response)
    assert re.search(CHANGED_BY, summary)
    assert "your changes are kept in the form below" in summary
    assert f'value="{page.typed}"' in body or f">{page.typed}</textarea>" in body
    db.session.expire_all()
    saved = db.session.get(kind, record_id)
    assert getattr(saved, page.theirs[0]) == page.theirs[1]
    assert _version_on(body) == str(saved.version)
    assert getattr(saved, "programme_id", programme_id) == programme_id


@dataclass(frozen=True)
class Confirm:
    """A delete or confirm page: the record it acts on, and what the page must leave alone."""

    name: str
    path: str
    record: Any  # programme id -> the record, saved
    theirs: tuple[str, object]
    untouched: tuple[str, object] | None = None  # a value the refused action would have changed


def _saved(record: Any) -> Any:
    db.session.add(record)
    db.session.commit()
    return record


def _dependency(programme_id: int) -> MilestoneDependency:
    """One of the programme's milestones waiting for another programme's."""
    waiting, other = MilestoneFactory(programme_id=programme_id), MilestoneFactory()
    return _saved(
        MilestoneDependency(milestone_id=waiting.id, depends_on_id=other.id, needed_by=date(2027, 3, 1))
    )


CONFIRMS = [
    Confirm("delete benefit", "/programmes/DIG-001/benefits/{id}/delete",
            lambda pid: BenefitFactory(programme_id=pid), ("owner", "Dan Price")),
    Confirm("delete lesson", "/programmes/DIG-001/lessons/{id}/delete",
            lambda pid: _saved(_lesson(pid)), ("what_happened", "Theirs")),
    Confirm("delete register entry", "/programmes/DIG-001/risks/{id}/delete",
            lambda pid: RegisterEntryFactory(programme_id=pid), ("owner", "Priya Shah")),
    Confirm("delete milestone", "/programmes/DIG-001/milestones/{id}/delete",
            lambda pid: MilestoneFactory(programme_id=pid), ("title", "Their title")),
    Confirm("delete money line", "/programmes/DIG-001/money/{id}/delete",
            lambda pid: InvestmentFactory(programme_id=pid), ("title", "Their line")),
    Confirm("raise issue", "/programmes/DIG-001/risks/{id}/raise-issue",
            lambda pid: RegisterEntryFactory(programme_id=pid), ("owner", "Priya Shah"),
            ("status", EntryStatus.OPEN)),
    Confirm("withdraw change request", "/programmes/DIG-001/change-requests/{id}/withdraw",
            lambda pid: _saved(_change(pid)), ("title", "Their title"),
            ("status", ChangeRequestStatus.PENDING)),
    Confirm("delete action", "/programmes/DIG-001/risks/actions/{id}/delete",
            lambda pid: _saved(_action(pid)), ("owner", "Priya Shah")),
    Confirm("mark action done", "/programmes/DIG-001/risks/actions/{id}/done",
            lambda pid: _saved(_action(pid)), ("owner", "Priya Shah"), ("status", ActionStatus.OPEN)),
    Confirm("delete service team", "/capacity/teams/{id}/delete", lambda pid: _saved(_team(pid)),
            ("monthly_capacity", Decimal("20.0"))),
    Confirm("remove dependency", "/programmes/DIG-001/dependencies/{id}/remove",
            _dependency, ("note", "Theirs")),
    Confirm("delete decision", "/programmes/DIG-001/risks/decisions/{id}/delete",
            lambda pid: _saved(_decision(pid)), ("decided_by", "Cabinet")),
    Confirm("submit update", "/programmes/DIG-001/updates/{id}/submit",
            lambda pid: StatusUpdateFactory(programme_id=pid, narrative="Theirs"), ("schedule", Rag.RED),
            ("submitted_at", None)),
]  # fmt: skip


@pytest.mark.parametrize("page", CONFIRMS, ids=[page.name for page in CONFIRMS])
def test_a_stale_delete_or_confirm_says_who_changed_it_and_does_nothing(
    client, auth, make_user, page: Confirm
) -> None:
    manager = auth.sign_in_as(Role.CIO)
    programme = add_programme(manager_id=manager.id, stage=Stage.DELIVERY)
    record = page.record(programme.id)
    kind, record_id = type(record), record.id
    path = page.path.format(id=record_id)
    opened = client.get(path)
    stale = _version_on(opened.get_data(as_text=True))

    _someone_else_changes(make_user, kind, record_id, page.theirs)

    response = client.post(path, data={"version": stale, "csrf_token": csrf_token_from(opened)})

    assert response.status_code == 200
    assert re.search(CHANGED_BY, error_summary(response))
    db.session.expire_all()
    saved = db.session.get(kind, record_id)
    assert saved is not None, "the stale copy deleted it"
    assert getattr(saved, page.theirs[0]) == page.theirs[1]
    if page.untouched:
        assert getattr(saved, page.untouched[0]) == page.untouched[1]
    assert _version_on(response.get_data(as_text=True)) == str(saved.version)


class _Forms(HTMLParser):
    """Each form on a page as the browser would post it: field name -> values (buttons left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name")
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None or (not name and tag != "option"):
            return
        elif tag == "input" and found.get("type", "text") not in ("submit", "button", "image"):
            if found.get("type") not in ("radio", "checkbox") or "checked" in found:
                self._form.setdefault(name, []).append(found.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._form.setdefault(name, []).append("")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and ("selected" in found or self._select not in self._form):
            self._form[self._select] = [found.get("value", "")]

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _versioned_form(page: str) -> dict[str, list[str]] | None:
    """The form on the page that carries the version of a saved record, as it would be posted."""
    reader = _Forms()
    reader.feed(page)
    for form in reader.forms:
        versions = [values for name, values in form.items() if VERSION_NAME.fullmatch(name)]
        if any(value.isdigit() for values in versions for value in values):
            return form
    return None


VERSION_NAME = re.compile(r"(?:[\w-]+-)?(?:expected_)?version")


def _someone_else_saves_everything(user_id: int) -> dict[tuple[str, int], int]:
    """Every versioned row moves on a version, as if another person saved it; returns the versions."""
    versions: dict[tuple[str, int], int] = {}
    for table in db.metadata.sorted_tables:
        if "version" in table.c and "updated_by_id" in table.c:
            db.session.execute(update(table).values(version=table.c.version + 1, updated_by_id=user_id))
            for row_id, version in db.session.execute(select(table.c.id, table.c.version)):
                versions[(table.name, row_id)] = version
    db.session.commit()
    return versions


def _versions() -> dict[tuple[str, int], int]:
    return {
        (table.name, row_id): version
        for table in db.metadata.sorted_tables
        if "version" in table.c
        for row_id, version in db.session.execute(select(table.c.id, table.c.version))
    }


# Forms with a version per row, checked row by row where the page is tested.
ROW_BY_ROW = {
    "milestones.update": "tests/web/test_milestones.py::"
    "test_a_row_someone_else_changed_saves_nothing_and_names_the_milestone_and_person",
}

# Form pages the walk cannot open as an admin with the test world, and why none edits a saved record.
NOT_OPENED = {
    "auth.sign_in": "sends a signed-in person on",
    "imports.columns": "maps the columns of an upload in progress, which has no version",
}


def test_every_form_with_a_version_refuses_a_stale_copy_and_has_a_case_here(
    app, client, auth, make_user
) -> None:
    """Walks the URL map: a new edit or delete page that carries a version fails here until it refuses a
    stale copy and is added to PAGES or CONFIRMS above, which check what it keeps and what it shows."""
    admin = auth.sign_in_as(Role.ADMIN)
    world = build_world(admin, make_user)
    someone_id = make_user(Role.ADMIN, name="Helen Carter").id
    routes = all_routes()
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(page.path.format(id=1), method="POST")[0] for page in [*PAGES, *CONFIRMS]}
    covered |= set(ROW_BY_ROW)
    typed = {adapter.match(page.path.format(id=1), method="POST")[0]: page.data for page in PAGES}
    versioned, unopened, not_refused = set(), [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if not {"GET", "POST"} <= (rule.methods or set()) or routes[rule.endpoint].bearer:
            continue
        path = routes[rule.endpoint].path.format(**world)
        opened = client.get(path)
        if opened.status_code != 200:
            if rule.endpoint not in NOT_OPENED:
                unopened.append(f"{rule.endpoint} ({opened.status_code})")
            continue
        form = _versioned_form(opened.get_data(as_text=True))
        if form is None:
            continue
        versioned.add(rule.endpoint)
        before = _someone_else_saves_everything(someone_id)
        response = client.post(path, data={**form, **typed.get(rule.endpoint, {})})
        db.session.expire_all()
        summary = error_summary(response) if "govuk-error-summary" in response.get_data(as_text=True) else ""
        if response.status_code != 200 or "changed by Helen Carter" not in summary or _versions() != before:
            not_refused.append(f"{rule.endpoint} ({response.status_code})")

    assert not not_refused, f"forms with a version that took a stale copy: {not_refused}"
    assert versioned - covered == set(), (
        f"add a case to PAGES, CONFIRMS or ROW_BY_ROW for these forms: {sorted(versioned - covered)}"
    )
    assert covered - versioned == set(), (
        f"cases above whose page carries no version: {sorted(covered - versioned)}"
    )
    assert unopened == [], f"pages the walk could not open, so could not check: {unopened}"
