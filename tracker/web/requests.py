"""The request class: form values and query strings arrive without NUL characters.

Nobody types a NUL, PostgreSQL text cannot hold one, and SQLite would store it silently, so
they are dropped once here rather than in every form."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property


class TrackerRequest(Request):
    def _load_form_data(self) -> None:
        already_loaded = "form" in self.__dict__
        super()._load_form_data()
        if already_loaded:
            return
        form = self.__dict__["form"]
        if any("\x00" in value for value in form.values()):
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, value.replace("\x00", "")) for key, value in form.items(multi=True)]
            )

    @cached_property
    def args(self) -> MultiDict[str, str]:  # type: ignore[override]
        parsed = super().args
        if not any("\x00" in key or "\x00" in value for key, value in parsed.items(multi=True)):
            return parsed
        return ImmutableMultiDict(
            [(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in parsed.items(multi=True)]
        )
