"""Forms for managing users: they collect input; the users service checks and saves."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tracker.domain.passwords import MIN_LENGTH
from tracker.domain.vocabulary import ROLE_LABELS, Role
from tracker.web.account.forms import acceptable_password
from tracker.web.forms_support import trim
from tracker.web.widgets import GovRadioInput

ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


def _name() -> StringField:
    return StringField(
        "Full name",
        filters=[trim],
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )


def _role() -> RadioField:
    return RadioField(
        "Role",
        description=(
            "A board member reads the whole portfolio and decides re-baselines, change requests and "
            "the gates given to the board; a viewer only reads."
        ),
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
    )


class NewUserForm(FlaskForm):
    name = _name()
    email = StringField(
        "Email address",
        description="They sign in with this.",
        filters=[trim],
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter their email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    role = _role()
    password = PasswordField(
        "Initial password",
        description=(
            f"At least {MIN_LENGTH} characters. Give it to them privately: they must choose a new one "
            "when they first sign in."
        ),
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter an initial password"), acceptable_password],
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())

    @property
    def person(self) -> tuple[str, str]:
        """The email and name typed above, which the password must not be."""
        return (self.email.data or "", self.name.data or "")

    def selected_role(self) -> Role:
        return Role(self.role.data)


class EditUserForm(FlaskForm):
    name = _name()
    role = _role()
    active = RadioField(
        "Can they sign in?",
        description=(
            "Deactivating someone ends all their sessions at once and revokes their API tokens and calendar "
            "links; reactivating them brings none of these back."
        ),
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No, their account is deactivated")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether they can sign in")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def selected_role(self) -> Role:
        return Role(self.role.data)
