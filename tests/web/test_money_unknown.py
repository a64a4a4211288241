"""Unknown amounts and categories on the money pages: never shown as £0, never a false 'under budget'."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.web.test_money import PATH, form, make_programme, text
from tracker.extensions import db
from tracker.models import Investment, InvestmentCategory, Role


def add(client, auth, **values: str):
    return client.post(f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | form(**values))


def test_the_issue_row_shows_at_least_an_overspend_and_not_known(client, auth) -> None:
    make_programme(auth.sign_in_as(Role.PROGRAMME_MANAGER))
    response = add(client, auth, title="Signalling", approved="£250k", actual="£1.2m", category="other")
    assert response.status_code == 302
    line = db.session.scalars(select(Investment)).one()
    assert (line.forecast, line.requested, line.category) == (None, None, InvestmentCategory.OTHER)
    add(client, auth, title="Depot", approved="100000", forecast="", actual="")
    page = text(client.get(f"{PATH}/"))
    assert "under" not in page
    assert "At least £950,000 over" in page  # the line
    assert "At least £850,000 over" in page  # the year and whole life: £1.2m spent against £350,000
    assert '£1,200,000<br><span class="govuk-body-s">(2 lines not known)' in page
    assert "£0<br>" not in page and ">£0</td>" not in page
    assert "Other; capital, one-off" in page


def test_a_forecast_below_the_spend_is_counted_as_the_spend(client, auth) -> None:
    make_programme(auth.sign_in_as(Role.PROGRAMME_MANAGER))
    add(client, auth, approved="100000", forecast="90000", actual="130000")
    page = text(client.get(f"{PATH}/"))
    assert "counted as £130,000 spent" in page
    assert "£30,000 over" in page
    assert "£10,000 under" not in page


def test_the_form_offers_the_three_categories_with_hints(client, auth) -> None:
    make_programme(auth.sign_in_as(Role.PROGRAMME_MANAGER))
    page = text(client.get(f"{PATH}/new"))
    for value in ("technology", "business_change", "other"):
        assert f'value="{value}"' in page
    assert "Construction, vehicles, non-IT staff, grants" in page
    assert "Leave blank if not known" in page
    response = add(client, auth, category="")
    assert response.status_code == 200
    assert "Choose what the money buys" in text(response)


def test_editing_keeps_unknown_amounts_unknown(client, auth) -> None:
    make_programme(auth.sign_in_as(Role.PROGRAMME_MANAGER))
    add(client, auth, approved="5000", category="business_change")
    line = db.session.scalars(select(Investment)).one()
    edit = f"{PATH}/{line.id}/edit"
    page = text(client.get(edit))
    assert 'value="business_change" checked' in page
    data = form(approved="5000", category="business_change", title="Training") | {
        "version": str(line.version)
    }
    assert client.post(edit, data={"csrf_token": auth.csrf_token(edit)} | data).status_code == 302
    db.session.expire_all()
    line = db.session.get(Investment, line.id)
    assert (line.title, line.approved, line.forecast, line.actual) == ("Training", Decimal(5000), None, None)
