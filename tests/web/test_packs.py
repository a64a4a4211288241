"""Board pack downloads through the real routes: who may download what, with the dashboard's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from pptx import Presentation
from pypdf import PdfReader

from tests.factories import ProgrammeFactory, StatusUpdateFactory
from tracker.models import Role


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def deck_text(response) -> list[str]:
    """Every slide's text, a slide a string, from a PowerPoint download."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("presentationml.presentation")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".pptx" in response.headers["Content-Disposition"]
    slides = Presentation(BytesIO(response.data)).slides
    return [
        " ".join(
            [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            + [
                cell.text
                for shape in slide.shapes
                if shape.has_table
                for row in shape.table.rows
                for cell in row.cells
            ]
        )
        for slide in slides
    ]


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

    deck = deck_text(client.get("/dashboard/pack.pptx"))
    assert any("DIG-001" in slide and "Digital front door" in slide for slide in deck)
    [slide] = deck_text(client.get(f"/programmes/DIG-001/updates/{report_id}/report.pptx"))
    assert "Contact centre cut-over done." in slide
    assert client.get(f"/programmes/DIG-001/updates/{draft_id}/report.pptx").status_code == 404
    listing = client.get("/programmes/DIG-001/updates/").get_data(as_text=True)
    assert f"/programmes/DIG-001/updates/{report_id}/report.pptx" in listing
    assert f"/programmes/DIG-001/updates/{draft_id}/report.pptx" not in listing


def test_the_dashboard_links_to_its_pack_with_its_filters(client, auth) -> None:
    ProgrammeFactory(directorate="Resources")
    auth.sign_in_as(Role.CIO)

    page = client.get("/dashboard?directorate=Resources").get_data(as_text=True)

    assert 'href="/dashboard/pack.pdf?directorate=Resources"' in page
    assert 'href="/dashboard/pack.pptx?directorate=Resources"' in page


def test_a_programme_managers_own_pack_holds_only_their_programmes(client, auth) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="OWN-001", manager_id=manager.id)
    ProgrammeFactory(code="OTH-002")

    mine = pdf_text(client.get("/dashboard/pack.pdf?scope=mine"))
    mine_deck = " ".join(deck_text(client.get("/dashboard/pack.pptx?scope=mine")))
    assert "OWN-001" in mine_deck and "OTH-002" not in mine_deck
    everything = pdf_text(client.get("/dashboard/pack.pdf"))

    assert "OWN-001" in mine and "OTH-002" not in mine
    assert "OWN-001" in everything and "OTH-002" in everything


def test_a_day_that_is_not_a_date_or_is_to_come_is_refused(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)

    not_a_day = client.get("/dashboard/pack.pptx?as_of=yesterday")
    assert not_a_day.status_code == 400
    assert "Enter the pack&#39;s day as a real date, like 30 11 2026" in not_a_day.get_data(as_text=True)
    for day, month, year in (("31", "2", "2026"), ("", "11", "2026"), ("1", "1", "99999999999999999999")):
        query = f"as_of-day={day}&as_of-month={month}&as_of-year={year}"
        assert client.get(f"/dashboard/pack.pdf?{query}").status_code == 400, query
    to_come = client.get(f"/dashboard/pack.pdf?as_of={date(2999, 1, 1).isoformat()}")
    assert to_come.status_code == 400
    assert "choose today or an earlier day" in to_come.get_data(as_text=True)


def test_the_dashboards_day_boxes_give_a_pack_of_an_earlier_day(client, auth) -> None:
    ProgrammeFactory(code="DIG-001", directorate="Resources")
    auth.sign_in_as(Role.CIO)
    page = client.get("/dashboard?directorate=Resources").get_data(as_text=True)
    assert 'name="as_of-day"' in page and '<input type="hidden" name="directorate" value="Resources">' in page
    assert 'formaction="/dashboard/pack.pptx"' in page

    query = "directorate=Resources&as_of-day=30&as_of-month=11&as_of-year=2026"
    response = client.get(f"/dashboard/pack.pptx?{query}")
    assert "board-pack-2026-11-30.pptx" in response.headers["Content-Disposition"]
    assert any("30 November 2026" in slide for slide in deck_text(response))


def test_signing_in_comes_first(client) -> None:
    response = client.get("/dashboard/pack.pdf")

    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_programme_manager_with_no_programmes_gets_an_empty_pack(client, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)

    response = client.get("/dashboard/pack.pdf?scope=mine")

    text = pdf_text(response)
    assert "My programmes: 0 open programmes" in text and "No open programmes." in text
    assert len(PdfReader(BytesIO(response.data)).pages) == 7, "cover, summary, heatmap, 3 charts, appendix"
