"""The prioritised pipeline: the CIO's management team (admins, CIOs and the board) reads the ranked
pipeline and saved scenarios; admins and CIOs set the weights and envelope and save and choose
scenarios; a programme's managers score their own ideas and business cases. Programme managers and
viewers do not see the pipeline: it is the management team's choice before it is made."""

from tests.web.routes import Route, by_role

READ = by_role(302, 200, 200, 403, 403, board=200)

ROUTES = {
    "pipeline.index": Route("GET", "/pipeline/?include=1&include=x&page=2", READ),
    "pipeline.scenario": Route("GET", "/pipeline/scenarios/{scenario}", READ),
    # A POST with only the CSRF token re-renders the page with the missing name.
    "pipeline.save": Route("POST", "/pipeline/scenarios", by_role(302, 200, 200, 403, 403, board=403)),
    "pipeline.choose": Route(
        "POST", "/pipeline/scenarios/{scenario}/choose", by_role(302, 302, 302, 403, 403, board=403)
    ),
    "pipeline.scores": Route(
        "GET", "/programmes/{own_idea}/pipeline-scores", by_role(302, 200, 200, 200, 403, board=403)
    ),
    "settings.pipeline": Route("GET", "/admin/settings/pipeline", by_role(302, 200, 200, 403, 403)),
}
