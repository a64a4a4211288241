"""The risk thresholds form, one field per threshold the domain declares."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from tracker.domain.thresholds import THRESHOLD_FIELDS, Thresholds


class ThresholdsForm(FlaskForm):
    """Fields are added below from THRESHOLD_FIELDS, so a new threshold appears without a form change."""

    submit = SubmitField("Save thresholds", widget=GovSubmitInput())

    def threshold_fields(self) -> list[StringField]:
        return [getattr(self, spec.name) for spec in THRESHOLD_FIELDS]

    def values(self) -> dict[str, str]:
        return {spec.name: (getattr(self, spec.name).data or "").strip() for spec in THRESHOLD_FIELDS}

    def fill(self, thresholds: Thresholds) -> None:
        for name, value in thresholds.as_dict().items():
            getattr(self, name).data = str(value)


for _spec in THRESHOLD_FIELDS:
    setattr(
        ThresholdsForm,
        _spec.name,
        StringField(
            _spec.label,
            widget=GovTextInput(),
            validators=[InputRequired(f"Enter {_spec.label[0].lower()}{_spec.label[1:]}"), Length(max=6)],
            description=f"A whole number from {_spec.minimum} to {_spec.maximum}.",
        ),
    )
