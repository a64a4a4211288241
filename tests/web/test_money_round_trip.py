"""Unknown amounts and categories go round: typed on the form, shown on the page, exported, imported back."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.web.test_money import PATH, form, make_programme, text
from tracker.extensions import db
from tracker.models import Investment, InvestmentCategory, Role, User
from tracker.services import imports

LINES = [
    {"title": "Signalling", "category": "other", "approved": "£250k", "actual": "£1.2m"},
    {"title": "Process redesign", "category": "business_change", "requested": "80000", "forecast": "70000"},
    {"title": "Case system", "category": "technology", "approved": "0", "forecast": "", "actual": "5000"},
]


def saved_lines() -> dict[str, tuple[object, ...]]:
    db.session.expire_all()
    return {
        line.title: (line.category, line.requested, line.approved, line.forecast, line.actual)
        for line in db.session.scalars(select(Investment))
    }


def test_form_page_export_and_import_keep_unknowns_and_categories(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    for values in LINES:
        post = client.post(
            f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | form(**values)
        )
        assert post.status_code == 302
    before = saved_lines()
    assert before["Signalling"] == (InvestmentCategory.OTHER, None, Decimal(250000), None, Decimal(1200000))
    assert before["Case system"][2:] == (Decimal(0), None, Decimal(5000))
    page = text(client.get(f"{PATH}/"))
    assert "Business change; capital, one-off" in page and "Not known" in page

    workbook = client.get("/programmes/export.xlsx").get_data()
    user = db.session.get(User, pm.id)
    sources = imports.pick_sources(imports.read_file(workbook, "portfolio.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    assert "category" in mapping.columns[imports.SheetKind.INVESTMENTS].values()

    same = imports.run_import(sources, mapping, user=user, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in same.problems] == []
    assert (same.investments_created, same.investments_updated) == (0, 0)

    for line in db.session.scalars(select(Investment)):
        db.session.delete(line)
    db.session.commit()
    user = db.session.get(User, pm.id)
    again = imports.run_import(sources, mapping, user=user, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in again.problems] == []
    assert again.investments_created == len(LINES)
    assert saved_lines() == before


def test_csv_export_leaves_unknown_amounts_empty(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    client.post(f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | form(**LINES[0]))
    csv = client.get("/programmes/export.csv").get_data(as_text=True)
    header, row = csv.splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert cells["Total forecast"] == "" and cells["Total requested"] == ""
    assert cells["Total approved"] == "250000.00"


def test_a_file_without_categories_imports_lines_as_other_unless_told() -> None:
    """Nothing in a file says a line is IT, so it is not assumed to be (the CLI and wizard can choose)."""
    from tracker.services.imports.children import DEFAULT_CATEGORY, default_category

    assert DEFAULT_CATEGORY is InvestmentCategory.OTHER
    assert default_category({}) is InvestmentCategory.OTHER
    assert default_category({"category": "Technology"}) is InvestmentCategory.TECHNOLOGY
