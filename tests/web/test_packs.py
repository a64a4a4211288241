"""Board pack downloads through the real routes: who may download what, with the dashboard's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from pypdf import PdfReader

from tests.factories import ProgrammeFactory, StatusUpdateFactory
from tracker.models import Role


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_viewer_downloads_the_dashboards_pack_and_a_highlight_report(client, auth) -> None:
    programme = ProgrammeFactory(code="DIG-001", name="Digital front door")
    report = StatusUpdateFactory(
        programme=programme,
        narrative="Contact centre cut-over done.",
        submitted_at=datetime(2026, 3, 31, tzinfo=UTC),
    )
    report_id, draft_id = report.id, StatusUpdateFactory(programme=programme, narrative="Not yet.").id
    auth.sign_in_as(Role.VIEWER)

    assert "DIG-001 Digital front door" in pdf_text(client.get("/dashboard/pack.pdf"))
    text = pdf_text(client.get(f"/programmes/DIG-001/updates/{report_id}/report.pdf"))
    assert "Contact centre cut-over done." in text
    assert client.get(f"/programmes/DIG-001/updates/{draft_id}/report.pdf").status_code == 404


def test_the_dashboard_links_to_its_pack_with_its_filters(client, auth) -> None:
    ProgrammeFactory(directorate="Resources")
    auth.sign_in_as(Role.CIO)

    page = client.get("/dashboard?directorate=Resources").get_data(as_text=True)

    assert 'href="/dashboard/pack.pdf?directorate=Resources"' in page


def test_a_programme_managers_own_pack_holds_only_their_programmes(client, auth) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="OWN-001", manager_id=manager.id)
    ProgrammeFactory(code="OTH-002")

    mine = pdf_text(client.get("/dashboard/pack.pdf?scope=mine"))
    everything = pdf_text(client.get("/dashboard/pack.pdf"))

    assert "OWN-001" in mine and "OTH-002" not in mine
    assert "OWN-001" in everything and "OTH-002" in everything


def test_a_day_that_is_not_a_date_or_is_to_come_is_refused(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)

    assert client.get("/dashboard/pack.pdf?as_of=yesterday").status_code == 400
    assert client.get(f"/dashboard/pack.pdf?as_of={date(2999, 1, 1).isoformat()}").status_code == 400


def test_signing_in_comes_first(client) -> None:
    response = client.get("/dashboard/pack.pdf")

    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_programme_manager_with_no_programmes_gets_an_empty_pack(client, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)

    response = client.get("/dashboard/pack.pdf?scope=mine")

    text = pdf_text(response)
    assert "My programmes: 0 open programmes" in text and "No open programmes." in text
    assert len(PdfReader(BytesIO(response.data)).pages) == 7, "cover, summary, heatmap, 3 charts, appendix"
