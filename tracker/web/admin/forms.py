"""Admin forms: the resend button carries only its CSRF token and the week to return to."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ResendForm(FlaskForm):
    week = HiddenField()
