"""Forms for the provisioning (SCIM) tokens: naming a new one, and confirming a revocation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from tracker.web.forms_support import trim


class CreateScimTokenForm(FlaskForm):
    name = StringField(
        "Name of the token",
        widget=GovTextInput(),
        description='What will use it, for example "Entra ID"',
        filters=[trim],
        validators=[
            InputRequired("Enter a name for the token"),
            Length(max=80, message="Name must be 80 characters or fewer"),
        ],
    )
    submit = SubmitField("Create a provisioning token", widget=GovSubmitInput())


class RevokeScimTokenForm(FlaskForm):
    submit = SubmitField("Revoke the token", widget=GovSubmitInput())
