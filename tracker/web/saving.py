"""One answer to a save made from a stale copy, for every editing page: the form comes back with what
the person typed, the service's message first in the error summary, and the latest version, so that
saving again replaces the other person's change knowingly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from wtforms import Field, Form, IntegerField

from tracker.services.errors import Conflict


@dataclass
class Save:
    """How a save went: after a stale save, `stale` holds the message and `latest` the record as saved."""

    stale: str | None = None
    latest: Any = None


@contextmanager
def stale_save(form: Form, latest: Callable[[], Any]) -> Iterator[Save]:
    """Run a save; a Conflict re-shows the form with its message and `latest()`'s version to retry."""
    save = Save()
    try:
        yield save
    except Conflict as error:
        save.stale, save.latest = error.message, latest()
        form.form_errors.append(error.message)
        offer_version(form.version, save.latest.version)


def offer_version(field: Field, version: int) -> None:
    """Put the saved version in the form, so the next save is made from it."""
    field.raw_data = [str(version)]
    field.data = version if isinstance(field, IntegerField) else str(version)
