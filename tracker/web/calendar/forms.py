"""The form that names a new calendar feed link."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.web.forms_support import trim


class CreateTokenForm(FlaskForm):
    name = StringField(
        "Name of the feed link",
        widget=GovTextInput(),
        description="So you can tell your links apart later, for example: Outlook on my work laptop",
        filters=[trim],
        validators=[
            DataRequired("Enter a name for the feed link"),
            Length(max=80, message="Name must be 80 characters or fewer"),
        ],
    )
    programme = HiddenField()
    submit = SubmitField("Create a feed link", widget=GovSubmitInput())
