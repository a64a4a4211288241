"""The change-password form: it collects the three passwords; the users service checks and saves."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import Field, PasswordField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from tracker.domain.passwords import MAX_LENGTH, MIN_LENGTH, password_problem


def acceptable_password(form: FlaskForm, field: Field) -> None:
    """The password rules as a field check too, so every problem shows at once (the service checks again)."""
    email, name = getattr(form, "person", ("", ""))
    problem = password_problem(field.data or "", email=email, name=name)
    if problem:
        raise ValidationError(problem)


class ChangePasswordForm(FlaskForm):
    person: tuple[str, str] = ("", "")  # the email and name a password must not be
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=MAX_LENGTH)],
    )
    new_password = PasswordField(
        "New password",
        description=(
            f"At least {MIN_LENGTH} characters. A few unrelated words make a password that is long and easy "
            "to remember. Common passwords, and your name or email address, are not accepted."
        ),
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password"), acceptable_password],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm your new password"),
            EqualTo("new_password", "The passwords you entered do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
