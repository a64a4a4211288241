"""Capacity forms: a service team, and the teams a milestone lands on. They collect and check what was
typed; the capacity services decide the rest."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import Form, FormField, HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.domain.change_days import parse_change_days
from tracker.models import ServiceTeam
from tracker.services.capacity.teams import MAX_NAME, TeamValues
from tracker.web.fields import RowList
from tracker.web.forms_support import trim

BLANK_ROWS = 3
"""Empty rows offered below a milestone's teams, for adding more."""
MAX_LOAD_ROWS = 60


def _capacity_check(form: Form, field: StringField) -> None:
    if field.data:
        _value, message = parse_change_days(field.data, what="Monthly capacity", allow_zero=True)
        if message:
            raise ValidationError(message)


class TeamForm(FlaskForm):
    name = StringField(
        "Team name",
        [
            DataRequired("Enter the team's name"),
            Length(max=MAX_NAME, message=f"The team's name must be {MAX_NAME} characters or fewer"),
        ],
        widget=GovTextInput(),
        filters=[trim],
        description="The service team as people in the council know it, like 'Revenues and benefits'",
    )
    directorate = StringField(
        "Directorate",
        [
            DataRequired("Choose the team's directorate or type a new one"),
            Length(max=MAX_NAME, message=f"The directorate must be {MAX_NAME} characters or fewer"),
        ],
        widget=GovTextInput(),
        filters=[trim],
        description="Start typing to choose one the programmes use, or type a new one",
    )
    monthly_capacity = StringField(
        "Monthly capacity (change days)",
        [Length(max=20, message="Monthly capacity must be a number, like 12 or 2.5"), _capacity_check],
        widget=GovTextInput(),
        filters=[trim],
        description="Staff days a month the team can give to training, testing and new ways of working. "
        "Leave it empty if nobody knows yet.",
    )
    version = HiddenField()
    submit = SubmitField("Save team", widget=GovSubmitInput())

    @classmethod
    def for_team(cls, team: ServiceTeam) -> TeamForm:
        """The form filled in with a team as saved."""
        capacity = "" if team.monthly_capacity is None else f"{team.monthly_capacity.normalize():f}"
        return cls(
            data={
                "name": team.name,
                "directorate": team.directorate,
                "monthly_capacity": capacity,
                "version": str(team.version),
            }
        )

    def values(self) -> TeamValues:
        """The validated input, typed for the service."""
        capacity = None
        if self.monthly_capacity.data:
            capacity, _ = parse_change_days(
                self.monthly_capacity.data, what="Monthly capacity", allow_zero=True
            )
        return TeamValues(self.name.data or "", self.directorate.data or "", capacity)


class LoadRowForm(Form):
    """One team a milestone lands on (a subform: the page has the CSRF token)."""

    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    change_days = StringField(
        "Change days", widget=GovTextInput(), filters=[trim], validators=[Length(max=20, message="Too long")]
    )


class LoadsForm(FlaskForm):
    rows = RowList(FormField(LoadRowForm), max_entries=MAX_LOAD_ROWS)
    submit = SubmitField("Save teams", widget=GovSubmitInput())

    def offer_teams(self, teams: list[tuple[int, str]]) -> None:
        """Each row chooses from every team, or none."""
        options = [SelectChoice("", "Choose a team")] + [SelectChoice(str(tid), name) for tid, name in teams]
        for row in self.rows:
            row.form.team.choices = options

    def checked_rows(self, teams: list[tuple[int, str]]) -> list[tuple[int, Decimal]] | None:
        """The rows as (team id, change days), or None after putting every problem beside its field:
        a team without days, days without a team, days that are not a positive number with at most one
        decimal place, a team chosen twice. Empty rows are ignored."""
        known = dict(teams)
        chosen: list[tuple[int, Decimal]] = []
        seen: set[int] = set()
        ok = True
        for number, row in enumerate(self.rows, start=1):
            team_text, days_text = row.form.team.data or "", row.form.change_days.data or ""
            if not team_text and not days_text:
                continue
            team_id = int(team_text) if team_text.isascii() and team_text.isdigit() else None
            if team_id is None or team_id not in known:
                row.form.team.errors = [f"Choose the team for row {number}"]
                ok = False
            elif team_id in seen:
                row.form.team.errors = [
                    f"{known[team_id]} is chosen more than once: choose each team only once"
                ]
                ok = False
            if team_id is not None:
                seen.add(team_id)
            where = f"for {known[team_id]}" if team_id in known else f"in row {number}"
            if not days_text:
                row.form.change_days.errors = [f"Enter the change days {where}"]
                ok = False
                continue
            days, message = parse_change_days(days_text, what=f"Change days {where}")
            if message:
                row.form.change_days.errors = [message]
                ok = False
            elif ok and team_id is not None and days is not None:
                chosen.append((team_id, days))
        return chosen if ok else None
