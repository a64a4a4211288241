"""Investment line forms: the financial year is typed as people write it ('2026/27')."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import Field, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tracker.domain.calendar import financial_year_label, parse_financial_year
from tracker.domain.vocabulary import CATEGORY_LABELS, COST_TYPE_LABELS, RECURRENCE_LABELS
from tracker.models import InvestmentCategory
from tracker.services.money import CATEGORY_HINTS
from tracker.web.fields import MoneyField
from tracker.web.forms_support import hidden_int, required
from tracker.web.widgets import GovRadioInput

YEAR_TEXT_MAX = 20
AMOUNT_HINT = "In pounds, for example £1,250,000. Leave blank if not known; enter 0 for none."


class FinancialYearField(Field):
    """A UK financial year typed as '2026/27' (or 2026-27, 2026/2027), held as its starting year."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return financial_year_label(self.data) if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            return
        if len(text) > YEAR_TEXT_MAX:
            raise ValueError("Enter a financial year like 2026/27")
        try:
            self.data = parse_financial_year(text)
        except ValueError as error:
            raise ValueError(str(error)) from None


class InvestmentForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="What the money is for, for example 'Case management licences'",
        validators=[
            InputRequired("Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    financial_year = FinancialYearField(
        "Financial year",
        description="April to March, written like 2026/27",
        validators=[required("Enter the financial year, like 2026/27")],
    )
    category = RadioField(
        "Category",
        widget=GovRadioInput(),
        description="What the money buys. Only technology lines count as IT investment.",
        choices=[SelectChoice(kind.value, label) for kind, label in CATEGORY_LABELS.items()],
        default=InvestmentCategory.TECHNOLOGY.value,
        validators=[InputRequired("Choose what the money buys: technology, business change or other")],
    )
    cost_type = RadioField(
        "Capital or revenue",
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, label) for kind, label in COST_TYPE_LABELS.items()],
        validators=[InputRequired("Choose capital or revenue")],
    )
    recurrence = RadioField(
        "One-off or recurring",
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, label) for kind, label in RECURRENCE_LABELS.items()],
        validators=[InputRequired("Choose one-off or recurring")],
    )
    requested = MoneyField("Requested", description=AMOUNT_HINT)
    approved = MoneyField("Approved", description=AMOUNT_HINT)
    forecast = MoneyField("Forecast", description=AMOUNT_HINT)
    actual = MoneyField("Actual spend so far", description=AMOUNT_HINT)
    submit = SubmitField("Save investment line", widget=GovSubmitInput())


CATEGORY_ITEMS = [{"hint": {"text": CATEGORY_HINTS[kind]}} for kind in CATEGORY_LABELS]
"""Per-choice hints for the category radios, in the order of its choices."""


class EditInvestmentForm(InvestmentForm):
    version = hidden_int("Version")


class DeleteInvestmentForm(FlaskForm):
    version = EditInvestmentForm.version
    submit = SubmitField("Yes, delete it", widget=GovSubmitInput())
