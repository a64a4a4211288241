"""Shared pieces of the models: enums stored as checked strings, and edit tracking."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from tracker.models.types import UTCDateTime, utcnow


def on_this_database(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for comparing the models with a database: an index the models create on
    one database only (`.ddl_if(dialect=...)`) is left out of the comparison on the others."""

    def include(item: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
        only = getattr(item, "_ddl_if", None) if kind == "index" and not reflected else None
        return only is None or only.dialect in (None, dialect)

    return include


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A string column limited by a named CHECK constraint to the enum's values."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Tracked:
    """Created and updated times, who last changed the row, and an optimistic-lock version."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}
