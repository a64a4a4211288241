"""Uploaded spreadsheets kept between the wizard's steps: on disk under a random id, never in the cookie.

Each upload is a folder `<instance>/imports/<id>/` holding the files and a small JSON of who uploaded
them and what they chose. Only the uploader can open it; it goes after the commit or after a day.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.services.errors import NotFound

KEEP_SECONDS = 24 * 3600
_ID = re.compile(r"[0-9a-f]{32}")


@dataclass
class Upload:
    """An upload's folder and its settings: file names by role, the uploader, unit and mapping."""

    folder: Path
    id: str
    user_id: int
    names: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)

    def data(self, role: str) -> bytes:
        return (self.folder / f"{role}.bin").read_bytes()

    def save(self) -> None:
        """Write the settings back (the mapping chosen, the summary once committed)."""
        meta = {"user_id": self.user_id, "names": self.names, "settings": self.settings}
        (self.folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def store_upload(
    root: Path, *, user_id: int, files: dict[str, tuple[str, bytes]], settings: dict[str, Any]
) -> Upload:
    """Keep the uploaded files (role -> (file name, bytes)) under a new random id; sweep old uploads."""
    sweep(root)
    upload_id = secrets.token_hex(16)
    folder = root / upload_id
    folder.mkdir(parents=True, mode=0o700)
    for role, (_, data) in files.items():
        (folder / f"{role}.bin").write_bytes(data)
    upload = Upload(folder, upload_id, user_id, {role: name for role, (name, _) in files.items()}, settings)
    upload.save()
    return upload


def load_upload(root: Path, upload_id: str, *, user_id: int) -> Upload:
    """The upload with this id if this user made it; otherwise NotFound (another's id reveals nothing)."""
    folder = root / upload_id
    if not _ID.fullmatch(upload_id) or not (folder / "meta.json").is_file():
        raise NotFound("That upload has gone: uploads are kept for a day. Upload the file again")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("user_id") != user_id:
        raise NotFound("That upload has gone: uploads are kept for a day. Upload the file again")
    return Upload(folder, upload_id, meta["user_id"], meta.get("names", {}), meta.get("settings", {}))


def discard_files(upload: Upload) -> None:
    """Delete the uploaded data once imported, keeping the small summary for the done page."""
    for path in upload.folder.glob("*.bin"):
        path.unlink(missing_ok=True)


def sweep(root: Path, *, now: float | None = None) -> int:
    """Remove uploads older than a day; how many went."""
    if not root.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - KEEP_SECONDS
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and _ID.fullmatch(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
