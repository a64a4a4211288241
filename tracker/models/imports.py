"""What the import keeps between requests: uploaded files (for the wizard's steps) and saved mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.types import UTCDateTime, utcnow


class ImportUpload(db.Model):
    """An upload in progress: any app instance can serve the wizard's next step; swept after a day."""

    __tablename__ = "import_upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    # File names by role ("programmes", "milestones", "investments") and what the person chose.
    names: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")


class ImportUploadFile(db.Model):
    """One uploaded file's bytes; deleted once imported, with its upload after a day."""

    __tablename__ = "import_upload_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[str] = mapped_column(
        ForeignKey("import_upload.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class SavedMapping(db.Model):
    """A mapping kept by name, offered again for a file whose headers match."""

    __tablename__ = "saved_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    # A digest of the file's normalised headers, to find the mapping for the next file like it.
    headers_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    headers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
