"""Small pieces every feature's forms share: a trimming filter, a required check that respects the
field's own error, reading numbers people or pages send, and showing a service's refusal (with the
form's own errors, so every problem shows at once)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import HiddenInput

from tracker.domain.risk_rules import RULE_LABELS
from tracker.services.errors import ServiceError

Check = Callable[[Form, Field], None]
MAX_ID = 2**31 - 1
"""Largest id or version a page may send back: what the database's integer columns hold."""
MAX_QUERY_TEXT = 120


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as a select's or radio group's choices, each value as text."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def trim(value: Any) -> Any:
    """Leading and trailing spaces are never meant (NUL characters are already gone: see requests.py)."""
    return value.strip() if isinstance(value, str) else value


def required(message: str) -> Check:
    """Require a value (zero counts), unless the field has already said what is wrong with what was typed."""

    def check(form: Form, field: Field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(message)

    return check


def hidden_int(label: str) -> IntegerField:
    """Ids and versions the page carries; bounded so odd input never reaches the database."""
    return IntegerField(
        label,
        widget=HiddenInput(),
        validators=[
            InputRequired(f"{label} is missing: reload the page"),
            NumberRange(min=0, max=MAX_ID, message=f"{label} is not valid: reload the page"),
        ],
    )


def whole_number(value: str | None, default: int) -> int:
    """A page or version number from a URL or form; anything odd, however odd, gives the default."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else default


def query_text(value: str | None, length: int = MAX_QUERY_TEXT) -> str | None:
    """Text a filter takes from the URL (words to search, a name): trimmed, shortened, None when empty."""
    return (value or "").replace("\x00", "").strip()[:length] or None


def version_of(form: Form) -> int:
    """The version the person started from; anything unreadable can only be stale."""
    return whole_number(form.version.data, -1)


def add_service_error(form: Form, error: ServiceError) -> None:
    """Show a service's refusal beside each field it concerns (every problem it found), or at the top of
    the form."""
    add_problems(form, getattr(error, "problems", [(None, error.message)]))


def add_problems(form: Form, problems: Iterable[tuple[str | None, str]]) -> None:
    """Each (field, message) beside its field, or at the top of the form; a field that already shows its
    own error keeps that one first."""
    for field, message in problems:
        if field and field in form._fields:
            form[field].errors = [*form[field].errors, message]
        elif message not in form.form_errors:
            form.form_errors.append(message)


def accepted(form: Form, *names: str) -> dict[str, Any]:
    """These fields' values, None for any the form refused: what a service can still check."""
    return {name: None if form[name].errors else form[name].data for name in names}


def validate_all(form: FlaskForm, also: Callable[[], Iterable[tuple[str | None, str]]]) -> bool:
    """Like `validate_on_submit`, but when the form refuses some fields, the service's checks of the
    others (`also()`, given what `accepted` returns) show with them, so every problem shows at once.
    A field the form refused keeps its own error alone."""
    if not form.is_submitted():
        return False
    if form.validate():
        return True
    add_problems(form, [(field, text) for field, text in also() if not (field and _refused(form, field))])
    return False


def _refused(form: Form, name: str) -> bool:
    return name in form._fields and bool(form[name].errors)


def problems(form: Form, *general: str) -> list[dict[str, str]]:
    """An error summary's list where some messages concern no field (the form's own first), then each
    field's."""
    whole_form = [*form.form_errors, *general]
    fields = [item for item in wtforms_errors(form)["errorList"] if item["href"] != "#None"]
    return [{"text": text, "href": "#main-content"} for text in whole_form] + fields


def flag_filter(args: MultiDict[str, str]) -> str | None:
    """A rule's name from the URL (`?flag=stale`), as the dashboard's cards link to the list; else None."""
    flag = args.get("flag", "")
    return flag if flag in RULE_LABELS else None
