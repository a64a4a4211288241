"""Lessons learned: everyone signed in reads them, a programme's and the log of all; whoever may update a
programme records, changes and deletes its lessons (and still may once it is closed)."""

from tests.web.routes import Route, by_role

BASE = "/programmes/{own}/lessons"
READ = by_role(302, 200, 200, 200, 200)
CHANGE_OWN = by_role(302, 200, 200, 200, 403)

ROUTES = {
    "lessons.index": Route("GET", f"{BASE}/", READ),
    # A POST with only the CSRF token re-renders the form with its errors.
    "lessons.create": Route("POST", f"{BASE}/new", CHANGE_OWN),
    "lessons.edit": Route(
        "GET", "/programmes/{other}/lessons/{other_lesson}/edit", by_role(302, 200, 200, 403, 403)
    ),
    "lessons.delete": Route("GET", f"{BASE}/{{own_lesson}}/delete", CHANGE_OWN),
    "lessons_log.index": Route("GET", "/lessons/?words=supplier&kind=went_well&directorate=Resources", READ),
    "lessons_log.csv": Route("GET", "/lessons/export.csv?words=supplier", READ),
}
