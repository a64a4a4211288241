"""Mappings kept by name, so the next return in the same layout needs no choices at all.

A saved mapping is the mapping file's JSON, filed under a name and a digest of the programmes sheet's
headers; an upload whose headers give the same digest is offered it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from tracker.domain.imports.fields import SheetKind
from tracker.extensions import db
from tracker.models import SavedMapping, User
from tracker.services.errors import Invalid, NotFound
from tracker.services.imports.model import CODE_PREFIX, ImportMapping, Sources

NAME_LENGTH = 120


def headers_key(headers: Sequence[str]) -> str:
    """The same digest for the same headings, whatever their case or spacing."""
    normalised = "\n".join(" ".join(str(header).lower().split()) for header in headers)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def as_json(mapping: ImportMapping) -> dict[str, Any]:
    """A mapping as the mapping file's JSON (see the README), which `ImportMapping.from_json` reads back."""
    data: dict[str, Any] = {"defaults": dict(mapping.defaults)}
    if mapping.unit is not None:
        data["unit"] = mapping.unit.value
    if mapping.code_prefix != CODE_PREFIX:
        data["code_prefix"] = mapping.code_prefix
    if mapping.same_programmes:
        data["same_programmes"] = dict(mapping.same_programmes)
    for kind in SheetKind:
        section = {
            "columns": dict(mapping.columns.get(kind, {})),
            "templates": dict(mapping.templates.get(kind, {})),
            "values": {key: dict(table) for key, table in mapping.values.get(kind, {}).items()},
        }
        if any(section.values()):
            data[kind.value] = section
    return data


def save_mapping(name: str, sources: Sources, mapping: ImportMapping, *, user: User | None) -> SavedMapping:
    """Keep the mapping under this name (replacing one of the same name) for files with these headers."""
    name = " ".join(name.split())
    if not name:
        raise Invalid("Give the choices a name, like GMPP annual return", field="mapping_name")
    if len(name) > NAME_LENGTH:
        raise Invalid(f"The name must be {NAME_LENGTH} characters or fewer", field="mapping_name")
    headers = list(sources.headings())
    saved = db.session.scalar(select(SavedMapping).where(SavedMapping.name == name))
    if saved is None:
        saved = SavedMapping(name=name, created_by_id=user.id if user else None)
        db.session.add(saved)
    saved.headers, saved.headers_key, saved.mapping = headers, headers_key(headers), as_json(mapping)
    db.session.commit()
    return saved


def find_for(sources: Sources) -> SavedMapping | None:
    """The most recently saved mapping for files with the same programme headings, if any."""
    query = (
        select(SavedMapping)
        .where(SavedMapping.headers_key == headers_key(sources.headings()))
        .order_by(SavedMapping.updated_at.desc(), SavedMapping.id.desc())
    )
    return db.session.scalars(query.limit(1)).first()


def by_name(name: str) -> SavedMapping:
    """The saved mapping of this name; NotFound with the names there are."""
    saved = db.session.scalar(select(SavedMapping).where(SavedMapping.name == " ".join(name.split())))
    if saved is None:
        names = list(db.session.scalars(select(SavedMapping.name).order_by(SavedMapping.name).limit(10)))
        known = f": saved mappings are {', '.join(names)}" if names else ": none has been saved yet"
        raise NotFound(f"No file or saved mapping is called '{name}'{known}")
    return saved


def mapping_of(saved: SavedMapping) -> ImportMapping:
    """The saved mapping, read as a mapping file is."""
    return ImportMapping.from_json(saved.mapping)
