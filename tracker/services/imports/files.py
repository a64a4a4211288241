"""Uploaded spreadsheets kept between the wizard's steps: in the database under a random id.

In the database rather than on one instance's disk, so whichever app instance serves the next step
finds the file. Only the uploader can open an upload; its files go once imported, and everything
after a day. Each person may have a few uploads in flight (a count and a size), so nobody can fill
the database by uploading the same 10 MB file again and again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from tracker.extensions import db
from tracker.models import ImportUpload, ImportUploadFile
from tracker.models.types import utcnow
from tracker.services.errors import Invalid, NotFound

KEEP = timedelta(days=1)
MAX_UPLOADS = 5
MAX_BYTES = 50 * 1024 * 1024
_ID = re.compile(r"[0-9a-f]{32}")
GONE = "That upload has gone: uploads are kept for a day. Upload the file again"


@dataclass
class Upload:
    """An upload's settings (file names by role, the uploader, unit, mapping) and, once read, its bytes."""

    id: str
    user_id: int
    names: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def data(self, role: str) -> bytes:
        """The file uploaded for this role; NotFound once imported (the bytes are deleted then)."""
        if role not in self.files:
            found = db.session.scalar(
                select(ImportUploadFile.data).where(
                    ImportUploadFile.upload_id == self.id, ImportUploadFile.role == role
                )
            )
            if found is None:
                raise NotFound(GONE)
            self.files[role] = found
        return self.files[role]

    def save(self) -> None:
        """Write the settings back (the mapping chosen, the summary once committed) and commit."""
        db.session.execute(
            update(ImportUpload).where(ImportUpload.id == self.id).values(settings=dict(self.settings))
        )
        db.session.commit()


@dataclass(frozen=True)
class Waiting:
    """An upload waiting to be imported, as the upload page lists it."""

    id: str
    name: str
    created_at: datetime
    size: int


def store_upload(*, user_id: int, files: dict[str, tuple[str, bytes]], settings: dict[str, Any]) -> Upload:
    """Keep the uploaded files (role -> (file name, bytes)) under a new random id; sweep old uploads.

    Invalid when this person already has MAX_UPLOADS uploads, or MAX_BYTES, waiting to be imported.
    """
    sweep()
    size = sum(len(data) for _, data in files.values())
    count, held = db.session.execute(
        select(func.count(), func.coalesce(func.sum(ImportUpload.size), 0)).where(
            ImportUpload.user_id == user_id, ImportUpload.size > 0
        )
    ).one()
    if count >= MAX_UPLOADS or held + size > MAX_BYTES:
        db.session.rollback()
        raise Invalid(
            f"You have {count} uploads ({held / 1024 / 1024:.1f} MB) waiting to be imported, and a person "
            f"may have {MAX_UPLOADS} or {MAX_BYTES // 1024 // 1024} MB at a time: cancel one below (Cancel "
            "this import deletes it at once) or import it, then upload again. Uploads are kept for a day; "
            "large files import with flask import programmes",
            field="programmes",
        )
    upload = ImportUpload(
        id=secrets.token_hex(16),
        user_id=user_id,
        names={role: name for role, (name, _) in files.items()},
        settings=settings,
        size=size,
    )
    db.session.add(upload)
    db.session.flush()
    for role, (_, data) in files.items():
        db.session.add(ImportUploadFile(upload_id=upload.id, role=role, data=data))
    db.session.commit()
    data = {role: content for role, (_, content) in files.items()}
    return Upload(upload.id, user_id, dict(upload.names), dict(settings), data)


def load_upload(upload_id: str, *, user_id: int, now: datetime | None = None) -> Upload:
    """The upload with this id if this user made it within a day; otherwise NotFound (another's id
    reveals nothing). Its files are read now and the read ends, so parsing them holds no lock."""
    found = db.session.get(ImportUpload, upload_id) if _ID.fullmatch(upload_id) else None
    if found is None or found.user_id != user_id or found.created_at < (now or utcnow()) - KEEP:
        db.session.rollback()
        raise NotFound(GONE)
    upload = Upload(found.id, found.user_id, dict(found.names or {}), dict(found.settings or {}))
    rows = db.session.execute(
        select(ImportUploadFile.role, ImportUploadFile.data).where(ImportUploadFile.upload_id == upload_id)
    )
    upload.files = {role: data for role, data in rows}
    release()
    return upload


def release() -> None:
    """End the request's transaction before slow work that needs no database.

    On SQLite a writing request begins with BEGIN IMMEDIATE, taking the one write lock: parsing a
    file inside it would make every other person's save wait. Nothing is pending here to lose.
    """
    db.session.rollback()


def discard_files(upload: Upload) -> None:
    """Delete the uploaded data once imported, keeping the small summary for the done page."""
    db.session.execute(delete(ImportUploadFile).where(ImportUploadFile.upload_id == upload.id))
    db.session.execute(update(ImportUpload).where(ImportUpload.id == upload.id).values(size=0))
    db.session.commit()
    upload.files.clear()


def waiting(user_id: int, *, now: datetime | None = None) -> list[Waiting]:
    """This person's uploads not yet imported, newest first, so one at the quota can cancel one."""
    query = (
        select(ImportUpload.id, ImportUpload.names, ImportUpload.created_at, ImportUpload.size)
        .where(ImportUpload.user_id == user_id, ImportUpload.size > 0)
        .where(ImportUpload.created_at >= (now or utcnow()) - KEEP)
        .order_by(ImportUpload.created_at.desc())
    )
    found = [
        Waiting(id, (names or {}).get("programmes", ""), at, size)
        for id, names, at, size in db.session.execute(query)
    ]
    release()
    return found


def discard_upload(upload_id: str, *, user_id: int) -> bool:
    """Delete this person's upload and its files now, freeing its place in the quota; False when there
    was none of theirs (already gone, or another's id: nothing is said of it)."""
    found = db.session.get(ImportUpload, upload_id) if _ID.fullmatch(upload_id) else None
    if found is None or found.user_id != user_id:
        db.session.rollback()
        return False
    db.session.execute(delete(ImportUploadFile).where(ImportUploadFile.upload_id == upload_id))
    db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload_id))
    db.session.commit()
    return True


def sweep_expired(*, now: datetime | None = None) -> str:
    """The daily job: remove uploads left for more than a day, even when nobody uploads again."""
    removed = sweep(now=now)
    db.session.commit()
    return f"Removed {removed} upload{'' if removed == 1 else 's'} older than a day"


def sweep(*, now: datetime | None = None) -> int:
    """Remove uploads older than a day, files first; how many went (the caller's transaction commits)."""
    cutoff = (now or utcnow()) - KEEP
    old = select(ImportUpload.id).where(ImportUpload.created_at < cutoff)
    db.session.execute(delete(ImportUploadFile).where(ImportUploadFile.upload_id.in_(old)))
    removed = db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < cutoff))
    return removed.rowcount or 0
