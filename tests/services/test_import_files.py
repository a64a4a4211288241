"""Uploads kept between the wizard's steps, in the database: only the uploader opens them, a person has
a few in flight at most, and old ones are swept away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tracker.extensions import db
from tracker.models import ImportUpload, ImportUploadFile, Role
from tracker.models.types import utcnow
from tracker.services.errors import Invalid, NotFound
from tracker.services.imports import files as import_files


def test_an_upload_is_kept_under_a_random_id_for_its_uploader_only(make_user) -> None:
    owner, other = make_user(Role.CIO).id, make_user(Role.CIO).id
    saved = import_files.store_upload(
        user_id=owner, files={"programmes": ("a.csv", b"x,y\n")}, settings={"unit": "pounds"}
    )
    assert len(saved.id) == 32
    db.session.remove()  # the next step may be served by another instance: nothing kept in memory
    again = import_files.load_upload(saved.id, user_id=owner)
    assert again.data("programmes") == b"x,y\n" and again.names == {"programmes": "a.csv"}
    again.settings["columns"] = {"programmes": {"x": "name"}}
    again.save()
    assert import_files.load_upload(saved.id, user_id=owner).settings["columns"] == {
        "programmes": {"x": "name"}
    }
    for upload_id, user_id in ((saved.id, other), ("../" + saved.id, owner), ("0" * 32, owner)):
        with pytest.raises(NotFound):
            import_files.load_upload(upload_id, user_id=user_id)
    import_files.discard_files(again)
    kept = import_files.load_upload(saved.id, user_id=owner)
    assert kept.settings["columns"] and db.session.scalar(select(func.count(ImportUploadFile.id))) == 0
    with pytest.raises(NotFound):
        kept.data("programmes")


def test_a_person_may_have_five_uploads_in_flight_and_an_imported_one_frees_its_place(make_user) -> None:
    person = make_user(Role.CIO)
    uploads = [
        import_files.store_upload(
            user_id=person.id, files={"programmes": (f"{n}.csv", b"a,b\n")}, settings={}
        )
        for n in range(import_files.MAX_UPLOADS)
    ]
    with pytest.raises(Invalid, match=r"You have 5 uploads .* waiting to be imported"):
        import_files.store_upload(user_id=person.id, files={"programmes": ("6.csv", b"a,b\n")}, settings={})
    someone_else = make_user(Role.CIO)
    import_files.store_upload(user_id=someone_else.id, files={"programmes": ("x.csv", b"a\n")}, settings={})
    import_files.discard_files(uploads[0])
    import_files.store_upload(user_id=person.id, files={"programmes": ("6.csv", b"a,b\n")}, settings={})


def test_a_person_may_hold_fifty_megabytes_in_flight(make_user) -> None:
    person = make_user(Role.CIO)
    ten_mb = b"a" * (10 * 1024 * 1024)
    for n in range(4):
        import_files.store_upload(user_id=person.id, files={"programmes": (f"{n}.csv", ten_mb)}, settings={})
    with pytest.raises(Invalid, match="50 MB at a time"):
        import_files.store_upload(
            user_id=person.id,
            files={"programmes": ("5.csv", ten_mb), "milestones": ("m.csv", b"x")},
            settings={},
        )


def test_uploads_older_than_a_day_are_swept_and_cannot_be_opened(make_user) -> None:
    person = make_user(Role.CIO)
    old = import_files.store_upload(user_id=person.id, files={"programmes": ("a.csv", b"a")}, settings={})
    new = import_files.store_upload(user_id=person.id, files={"programmes": ("b.csv", b"b")}, settings={})
    day_ago = utcnow() - import_files.KEEP - timedelta(minutes=1)
    db.session.execute(update(ImportUpload).where(ImportUpload.id == old.id).values(created_at=day_ago))
    db.session.commit()
    with pytest.raises(NotFound):
        import_files.load_upload(old.id, user_id=person.id)
    assert import_files.sweep() == 1
    db.session.commit()
    assert db.session.scalars(select(ImportUpload.id)).all() == [new.id]
    assert db.session.scalars(select(ImportUploadFile.upload_id)).all() == [new.id]


def test_cancelling_an_upload_deletes_it_at_once_and_frees_its_place(make_user) -> None:
    person, other = make_user(Role.CIO), make_user(Role.CIO)
    uploads = [
        import_files.store_upload(
            user_id=person.id, files={"programmes": (f"{n}.csv", b"a,b\n")}, settings={}
        )
        for n in range(import_files.MAX_UPLOADS)
    ]
    with pytest.raises(Invalid, match="cancel one below"):
        import_files.store_upload(user_id=person.id, files={"programmes": ("6.csv", b"a,b\n")}, settings={})
    assert [w.name for w in import_files.waiting(person.id)] == ["4.csv", "3.csv", "2.csv", "1.csv", "0.csv"]
    assert not import_files.discard_upload(uploads[2].id, user_id=other.id)  # not theirs: nothing happens
    assert not import_files.discard_upload("../" + uploads[2].id, user_id=person.id)
    assert import_files.discard_upload(uploads[2].id, user_id=person.id)
    assert not import_files.discard_upload(uploads[2].id, user_id=person.id)  # already gone
    with pytest.raises(NotFound):
        import_files.load_upload(uploads[2].id, user_id=person.id)
    assert db.session.scalar(select(func.count(ImportUploadFile.id))) == import_files.MAX_UPLOADS - 1
    import_files.store_upload(user_id=person.id, files={"programmes": ("6.csv", b"a,b\n")}, settings={})


def test_the_daily_sweep_runs_as_a_claimed_job_once_a_day(make_user) -> None:
    from tracker.jobs import run_job

    person = make_user(Role.CIO)
    old = import_files.store_upload(user_id=person.id, files={"programmes": ("a.csv", b"a")}, settings={})
    new = import_files.store_upload(user_id=person.id, files={"programmes": ("b.csv", b"b")}, settings={})
    day_ago = utcnow() - import_files.KEEP - timedelta(minutes=1)
    db.session.execute(update(ImportUpload).where(ImportUpload.id == old.id).values(created_at=day_ago))
    db.session.commit()
    first = run_job("import_sweep")
    assert first.ran and "Removed 1 upload older than a day" in first.summary
    assert db.session.scalars(select(ImportUpload.id)).all() == [new.id]
    assert db.session.scalars(select(ImportUploadFile.upload_id)).all() == [new.id]
    db.session.execute(update(ImportUpload).where(ImportUpload.id == new.id).values(created_at=day_ago))
    db.session.commit()
    assert not run_job("import_sweep").ran  # the day's claim is taken: a second scheduler does nothing
    assert db.session.scalars(select(ImportUpload.id)).all() == [new.id]
    tomorrow = run_job("import_sweep", now=utcnow() + timedelta(days=1))
    assert tomorrow.ran and db.session.scalar(select(func.count(ImportUpload.id))) == 0
