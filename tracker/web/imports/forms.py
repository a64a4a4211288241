"""Forms of the import wizard: the upload, and a CSRF-only form for the column and commit steps."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from tracker.domain.imports.values import Unit
from tracker.web.widgets import GovRadioInput

MAX_BYTES = 10 * 1024 * 1024
AS_HEADERS = "headers"
UNIT_LABELS: dict[str, str] = {
    AS_HEADERS: "As each column's heading says (£m, £000s), else pounds; very small amounts are shown "
    "as millions for you to check",
    Unit.POUNDS: "Pounds (450.37 means £450.37)",
    Unit.THOUSANDS: "Thousands of pounds (450 means £450,000)",
    Unit.MILLIONS: "Millions of pounds (1.9 means £1,900,000)",
}


class UploadForm(FlaskForm):
    """Step 1: the programmes file, optional milestone and investment files, and the money unit."""

    programmes = FileField(
        "Programmes spreadsheet",
        widget=GovFileInput(),
        description="A CSV or Excel (.xlsx) file, up to 10 MB. A workbook may also have sheets called "
        "Milestones and Investments, and Risks, Issues, Actions, Decisions and Lessons.",
    )
    milestones = FileField(
        "Milestones (optional)", widget=GovFileInput(), description="A separate CSV or .xlsx, if not a sheet."
    )
    investments = FileField(
        "Investment lines (optional)",
        widget=GovFileInput(),
        description="A separate CSV or .xlsx, if not a sheet.",
    )
    unit = RadioField(
        "What do plain numbers in money columns count?",
        widget=GovRadioInput(),
        choices=[SelectChoice(str(unit), label) for unit, label in UNIT_LABELS.items()],
        default=AS_HEADERS,
        description="Amounts written like £1.9m or £250k say their own unit.",
    )
    submit = SubmitField("Upload", widget=GovSubmitInput())


class StepForm(FlaskForm):
    """The column and commit steps read their own fields; this checks the CSRF token."""
