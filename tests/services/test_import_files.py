"""Uploads kept between the wizard's steps: only the uploader opens them; old ones are swept away."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tracker.services import import_files
from tracker.services.errors import NotFound


def test_an_upload_is_kept_under_a_random_id_for_its_uploader_only(tmp_path: Path) -> None:
    saved = import_files.store_upload(
        tmp_path, user_id=7, files={"programmes": ("a.csv", b"x,y\n")}, settings={}
    )
    assert len(saved.id) == 32 and saved.folder.parent == tmp_path
    again = import_files.load_upload(tmp_path, saved.id, user_id=7)
    assert again.data("programmes") == b"x,y\n" and again.names == {"programmes": "a.csv"}
    for upload_id, user_id in ((saved.id, 8), ("../" + saved.id, 7), ("0" * 32, 7)):
        with pytest.raises(NotFound):
            import_files.load_upload(tmp_path, upload_id, user_id=user_id)
    import_files.discard_files(again)
    assert not list(saved.folder.glob("*.bin")) and (saved.folder / "meta.json").exists()


def test_uploads_older_than_a_day_are_swept(tmp_path: Path) -> None:
    old = import_files.store_upload(tmp_path, user_id=1, files={"programmes": ("a.csv", b"a")}, settings={})
    new = import_files.store_upload(tmp_path, user_id=1, files={"programmes": ("b.csv", b"b")}, settings={})
    day_ago = time.time() - import_files.KEEP_SECONDS - 60
    os.utime(old.folder, (day_ago, day_ago))
    assert import_files.sweep(tmp_path) == 1
    assert not old.folder.exists() and new.folder.exists()
