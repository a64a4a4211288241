"""The form that names a new API token."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from tracker.web.forms_support import trim


class CreateApiTokenForm(FlaskForm):
    name = StringField(
        "Name of the token",
        widget=GovTextInput(),
        description='What will use it, so you can tell your tokens apart, for example "Finance dashboard"',
        filters=[trim],
        validators=[
            InputRequired("Enter a name for the token"),
            Length(max=80, message="Name must be 80 characters or fewer"),
        ],
    )
    submit = SubmitField("Create a token", widget=GovSubmitInput())
