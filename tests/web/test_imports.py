"""The import wizard through the client: real files uploaded, columns chosen, rows checked, committed."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook as XlsxBook
from sqlalchemy import func, select

from tests.helpers import csrf_token_from
from tracker.extensions import db
from tracker.models import AuditEvent, Confidence, Investment, Milestone, Programme, Role

COUNCIL_FILE = (
    "Digital portfolio – return to Cabinet;;;;;;\r\n"
    ";;;;;;\r\n"
    "Project ref;Project name;Service area;Focus;Budget (£k);Original end date;DCA\r\n"
    "dig-001;Café booking;Leisure;Service improvement;1.250;31.03.27;Amber/Green\r\n"
    "DIG-002;Waste round app;Place;cost reduction;£1.9m;March 31, 2028;RED\r\n"
    ";;;;;;\r\n"
    "* Budgets in thousands unless marked;;;;;;\r\n"
).encode("cp1252")


def upload(client, files: dict[str, tuple[bytes, str]], unit: str = "pounds"):
    token = csrf_token_from(client.get("/imports/"))
    data: dict[str, object] = {"csrf_token": token, "unit": unit}
    data |= {role: (io.BytesIO(content), name) for role, (content, name) in files.items()}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def choose_columns(client, columns_url: str, **extra: str):
    page = client.get(columns_url)
    html = page.get_data(as_text=True)
    chosen = dict(
        re.findall(
            r'<select class="govuk-select[^"]*" id="([a-z]+-\d+)".*?<option value="([a-z_]+)" selected',
            html,
            re.S,
        )
    )
    return client.post(columns_url, data={"csrf_token": csrf_token_from(page), **chosen, **extra})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_windows_1252_semicolon_file_with_a_title_and_footnote_imports(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    response = upload(client, {"programmes": (COUNCIL_FILE, "portfolio.csv")}, unit="thousands")
    assert response.status_code == 302
    columns_url = response.headers["Location"]
    page = client.get(columns_url).get_data(as_text=True)
    assert "2 rows, headings on row 3." in page and "Footnote row 7 at the end is ignored." in page
    assert re.search(r'id="programmes-1".*?<option value="name" selected>', page, re.S)
    assert "Café booking" in page

    response = choose_columns(client, columns_url)
    assert response.status_code == 302
    check = client.get(response.headers["Location"])
    html = check.get_data(as_text=True)
    assert "Ready to import" in html and "Import 2 rows" in html
    assert count(Programme) == 0  # nothing is written before the commit

    commit_url = re.search(r'action="([^"]+/commit)"', html)[1]
    done = client.post(commit_url, data={"csrf_token": csrf_token_from(check)}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Import complete" in text and "Imported 2 rows: 2 new" in text
    assert 'href="/programmes/DIG-001/"' in text
    cafe = db.session.scalar(select(Programme).where(Programme.code == "DIG-001"))
    assert (cafe.name, cafe.directorate) == ("Café booking", "Leisure")
    assert cafe.confidence is Confidence.AMBER_GREEN
    assert cafe.baseline_end_date == date(2027, 3, 31)
    approved = sorted(db.session.scalars(select(Investment.approved)))
    assert [str(a) for a in approved] == ["1250.00", "1900000.00"]
    assert count(AuditEvent) > 0
    # The uploaded data is gone once imported; the summary stays for the done page.
    assert client.post(commit_url, data={"csrf_token": csrf_token_from(check)}).status_code == 302
    assert count(Programme) == 2


def test_an_xlsx_with_a_milestones_sheet(client, auth) -> None:
    book = XlsxBook()
    sheet = book.active
    sheet.title = "Programmes"
    for row in (["Code", "Name", "Directorate", "Focus"], ["DIG-001", "Front door", "Customer", "Both"]):
        sheet.append(row)
    milestones = book.create_sheet("Milestones")
    for row in (
        ["Programme code", "Milestone", "Baseline date", "Status"],
        ["DIG-001", "Go live", date(2027, 1, 31), "Not started"],
    ):
        milestones.append(row)
    out = io.BytesIO()
    book.save(out)
    auth.sign_in_as(Role.ADMIN)
    response = upload(client, {"programmes": (out.getvalue(), "book.xlsx")})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Milestones: Milestones" in page
    check = client.get(choose_columns(client, response.headers["Location"]).headers["Location"])
    assert "1 new, 0 updated" in check.get_data(as_text=True)
    commit_url = re.search(r'action="([^"]+/commit)"', check.get_data(as_text=True))[1]
    client.post(commit_url, data={"csrf_token": csrf_token_from(check)})
    assert db.session.scalar(select(Milestone.title)) == "Go live"


def test_rows_with_errors_are_listed_and_nothing_can_be_committed(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    data = (
        b"Code,Name,Directorate,Focus,Start date\n"
        b"DIG-001,Front door,Customer,Both,32/01/2026\nDIG-002,,Place,Sideways,\n"
    )
    response = upload(client, {"programmes": (data, "bad.csv")})
    check = client.get(choose_columns(client, response.headers["Location"]).headers["Location"])
    html = check.get_data(as_text=True)
    assert "2 rows cannot be imported" in html and "Import 2 rows" not in html
    assert "Start date (E)" in html and "&#39;32/01/2026&#39; is not a date we recognise" in html
    assert "&#39;Sideways&#39; is not a focus" in html
    commit_url = check.request.path.replace("/check", "/commit")
    response = client.post(commit_url, data={"csrf_token": csrf_token_from(client.get("/imports/"))})
    assert response.status_code == 409 and count(Programme) == 0


def test_bad_files_get_a_clear_message_never_a_500(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    cases = [
        (b"", "portfolio.csv", "The file is empty"),
        (b"   \n", "portfolio.csv", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "not a CSV or XLSX spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "old Excel (.xls) workbook"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "cannot be opened"),
        (b"a" * (10 * 1024 * 1024 + 1), "huge.csv", "larger than 10 MB"),
        (b"Code,Name,Directorate\n", "headings.csv", "headings but no rows"),
    ]
    for content, name, message in cases:
        response = upload(client, {"programmes": (content, name)})
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "There is a problem" in html and message in html, name
    response = client.post(
        "/imports/", data={"csrf_token": csrf_token_from(client.get("/imports/")), "unit": "pounds"}
    )
    assert "Choose a CSV or Excel file of programmes" in response.get_data(as_text=True)


def test_a_column_chosen_twice_is_refused_on_the_columns_page(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    response = upload(client, {"programmes": (b"Name,Title\nA,B\n", "x.csv")})
    columns_url = response.headers["Location"]
    token = csrf_token_from(client.get(columns_url))
    page = client.post(
        columns_url, data={"csrf_token": token, "programmes-0": "name", "programmes-1": "name"}
    )
    assert page.status_code == 400
    assert "Name is chosen for more than one column: choose it once" in page.get_data(as_text=True)


def test_uploads_belong_to_their_uploader_and_viewers_cannot_import(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    columns_url = upload(client, {"programmes": (COUNCIL_FILE, "portfolio.csv")}).headers["Location"]
    assert "Import from a spreadsheet" in client.get("/programmes/").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    response = client.get(columns_url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/imports/")
    auth.sign_out()
    auth.sign_in_as(Role.VIEWER)
    assert client.get("/imports/").status_code == 403
    assert "Import from a spreadsheet" not in client.get("/programmes/").get_data(as_text=True)


def test_a_programme_manager_sees_rows_for_others_programmes_refused(client, auth, make_user) -> None:
    other = make_user(Role.PROGRAMME_MANAGER, name="Other Manager")
    db.session.add(
        Programme(code="OTH-001", name="Theirs", directorate="Place", focus="both", manager_id=other.id)
    )
    db.session.commit()
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    data = b"Code,Name,Directorate,Focus\nOTH-001,Theirs renamed,Place,Both\nNEW-001,Mine,Place,Both\n"
    response = upload(client, {"programmes": (data, "mine.csv")})
    check = client.get(choose_columns(client, response.headers["Location"]).headers["Location"])
    html = check.get_data(as_text=True)
    assert "You can import the programmes you manage" not in html  # that note is on step 1
    assert "OTH-001 Theirs is managed by someone else: you can only update programmes you manage" in html
    assert "Import 2 rows" not in html and count(Programme) == 1


GMPP_LIKE = (
    "Project,Department,Delivery confidence,Stage,Budget (£m)\n"
    "Alpha,Cabinet Office,Amber,ongoing,1.5\n"
    "Beta,Cabinet Office,Amber-ish,ongoing,2.25\n"
).encode()


def test_the_wizard_asks_the_focus_once_translates_values_and_keeps_the_choices(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    columns_url = upload(client, {"programmes": (GMPP_LIKE, "return.csv")}, unit="headers").headers[
        "Location"
    ]
    asked = choose_columns(client, columns_url)
    assert asked.status_code == 400
    page = asked.get_data(as_text=True)
    assert (
        "Choose the focus of new programmes: no column holds it" in page and 'href="#default-focus"' in page
    )
    check_url = choose_columns(client, columns_url, **{"default-focus": "both"}).headers["Location"]
    page = client.get(check_url).get_data(as_text=True)
    assert "£3,750,000" in page and "the header" in page  # £m from the heading, totalled in pounds
    assert "2 rows cannot be imported" in page and "rows 2-3" in page
    assert "Values we could not read" in page and "‘ongoing’ means" in page and "‘Amber-ish’ means" in page
    token = csrf_token_from(client.get(check_url))
    answers = {"csrf_token": token, "text-1": "ongoing", "field-1": "programmes.stage", "value-1": ""}
    answers |= {"text-2": "Amber-ish", "field-2": "programmes.confidence", "value-2": "amber"}
    client.post(check_url.replace("/check", "/values"), data=answers)
    page = client.get(check_url).get_data(as_text=True)
    assert "Ready to import" in page and "Amber" in page
    saved = client.post(
        check_url.replace("/check", "/save-mapping"), data={"csrf_token": token, "mapping_name": "Cabinet"}
    )
    assert saved.status_code == 302
    client.post(check_url.replace("/check", "/commit"), data={"csrf_token": token})
    assert {p.name: p.confidence for p in db.session.scalars(select(Programme))} == {
        "Alpha": Confidence.AMBER,
        "Beta": Confidence.AMBER,
    }
    again = upload(client, {"programmes": (GMPP_LIKE, "next.csv")}, unit="headers").headers["Location"]
    page = client.get(again).get_data(as_text=True)
    assert "Using the choices saved as <strong>Cabinet</strong>" in page
    assert choose_columns(client, again, **{"default-focus": "both"}).status_code == 302
