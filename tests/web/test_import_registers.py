"""The import wizard with a workbook's RAID and lessons sheets: counted on the check page, a score's
words translated once, then imported."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook as XlsxBook
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.test_imports import choose_columns, upload
from tests.web.test_milestones import make_programme
from tracker.extensions import db
from tracker.models import AuditEvent, EntryKind, Lesson, Programme, ProgrammeAction, RegisterEntry, Role


def raid_workbook() -> bytes:
    book = XlsxBook()
    book.remove(book.active)
    sheets = {
        "Programmes": [
            ["Code", "Name", "Directorate", "Focus"],
            ["DIG-001", "Front door", "Customer", "Both"],
        ],
        "Risk register": [
            ["Programme code", "Risk", "Likelihood", "Impact", "Owner"],
            ["DIG-001", "Supplier fails", "Quite likely", "Very high", "Sam"],
            ["DIG-001", "Staff resist the change", 2, "Medium", None],
        ],
        "Actions": [["Programme code", "Action", "Due date"], ["DIG-001", "Sign escrow deal", "31/01/2027"]],
        "Lessons learned": [
            ["Programme code", "Lesson", "Kind", "What happened"],
            ["DIG-001", "Involve staff early", "Went well", "Drop-ins worked"],
        ],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_a_raid_workbook_is_checked_translated_and_imported_through_the_wizard(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    response = upload(client, {"programmes": (raid_workbook(), "raid.xlsx")})
    columns_url = response.headers["Location"]
    page = client.get(columns_url).get_data(as_text=True)
    assert "Risks: Risk register" in page and "Lessons: Lessons learned" in page
    assert re.search(r'id="risks-2".*?<option value="likelihood" selected>', page, re.S)

    check = client.get(choose_columns(client, columns_url).headers["Location"])
    html = check.get_data(as_text=True)
    text = words(html)
    assert "1 row cannot be imported" in text and "Import 1 row" not in text
    assert "'Quite likely' is not a likelihood: use one of 1, 2, 3, 4, 5" in text
    assert "Likelihood (risks)" in text  # offered for translation, once for the whole file
    number = re.search(r'name="text-(\d+)" value="Quite likely"', html)[1]
    field = re.search(rf'name="field-{number}" value="([^"]+)"', html)[1]
    values_url = re.search(r'action="([^"]+/values)"', html)[1]
    client.post(
        values_url,
        data={
            "csrf_token": csrf_token_from(check),
            f"text-{number}": "Quite likely",
            f"field-{number}": field,
            f"value-{number}": "4",
        },
    )

    check = client.get(check.request.path)
    text = words(check.get_data(as_text=True))
    assert "Ready to import" in text
    assert "Risks and issues 2 new, 0 updated" in text
    assert "Actions 1 new, 0 updated" in text and "Lessons 1 new, 0 updated" in text
    assert db.session.scalar(select(RegisterEntry.id)) is None  # nothing written before the commit

    commit_url = re.search(r'action="([^"]+/commit)"', check.get_data(as_text=True))[1]
    done = client.post(commit_url, data={"csrf_token": csrf_token_from(check)}, follow_redirects=True)
    assert "risks and issues 2 new, 0 updated; actions 1 new, 0 updated" in words(done.get_data(as_text=True))
    entries = {e.title: e for e in db.session.scalars(select(RegisterEntry))}
    supplier = entries["Supplier fails"]
    assert (supplier.kind, supplier.likelihood, supplier.impact, supplier.owner) == (
        EntryKind.RISK,
        4,
        5,
        "Sam",
    )
    assert (entries["Staff resist the change"].likelihood, entries["Staff resist the change"].impact) == (
        2,
        3,
    )
    assert db.session.scalar(select(ProgrammeAction.title)) == "Sign escrow deal"
    lesson = db.session.scalar(select(Lesson))
    assert lesson.title == "Involve staff early" and lesson.recorded_by_id is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "lesson"))
    assert event.user_id == lesson.recorded_by_id


def test_a_raid_log_alone_needs_no_programme_answers_and_adds_to_the_programme(client, auth) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(manager)
    db.session.commit()
    book = XlsxBook()
    sheet = book.active
    sheet.title = "RAID log"
    for row in (
        ["Programme code", "Type", "Title", "Probability", "Severity"],
        ["DIG-001", "Risk", "Supplier fails", "Low", "High"],
    ):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = upload(client, {"programmes": (out.getvalue(), "raid.xlsx")})
    asks = words(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "For new programmes" not in asks and "For new investment lines" not in asks
    columns = choose_columns(client, response.headers["Location"])
    assert columns.status_code == 302  # no focus or directorate asked: the file brings no programmes
    check = client.get(columns.headers["Location"])
    text = words(check.get_data(as_text=True))
    assert "Ready to import" in text and "Risks and issues 1 new, 0 updated" in text
    assert "New programmes" not in text and "Import 1 row" in text
    commit_url = re.search(r'action="([^"]+/commit)"', check.get_data(as_text=True))[1]
    client.post(commit_url, data={"csrf_token": csrf_token_from(check)})
    entry = db.session.scalar(select(RegisterEntry))
    assert (entry.title, entry.likelihood, entry.impact, entry.updated_by_id) == (
        "Supplier fails",
        2,
        4,
        manager.id,
    )
    assert db.session.scalar(select(Programme.name)) == "Programme DIG-001"
