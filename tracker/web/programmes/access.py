"""What a page's URL names, for every feature's pages: 404 when it is not there, 403 when the person
may not act on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from tracker.models import Programme
from tracker.policy import Action, require
from tracker.services.editing import get_programme
from tracker.services.errors import NotFound

T = TypeVar("T")


def found(load: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service that looks something up; what is not there is a 404."""
    try:
        return load(*args, **kwargs)
    except NotFound:
        abort(404)


def programme_for(code: str, action: Action) -> Programme:
    """The programme in the URL (404 if there is none), once the person may take `action` on it."""
    programme = found(get_programme, code)
    require(current_user, action, programme)
    return programme
