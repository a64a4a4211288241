"""The email preferences form: it collects the choice; the digest service records it."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from tracker.web.widgets import GovRadioInput


class PreferencesForm(FlaskForm):
    receive = RadioField(
        "Do you want the weekly risk digest by email?",
        description="It arrives on Monday mornings and says what changed in the programmes it covers.",
        choices=[SelectChoice("yes", "Yes, email it to me every Monday"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes if you want the weekly risk digest by email")],
    )
    pack = RadioField(
        "Do you want the board pack attached to it?",
        description="The whole council's portfolio pack as a PDF, as it stands on the Monday it is sent.",
        choices=[SelectChoice("yes", "Yes, attach the board pack (PDF)"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Save preferences", widget=GovSubmitInput())
