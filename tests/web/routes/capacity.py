"""Capacity to change: everyone signed in reads the heatmap, its cells and the service teams; admins and
CIOs add, change and delete teams; whoever may update a programme says which teams its milestones land
on (everyone who reads the programme sees them)."""

from tests.web.routes import Route, by_role

READ = by_role(302, 200, 200, 200, 200)
MANAGE = by_role(302, 200, 200, 403, 403)

ROUTES = {
    "capacity.index": Route("GET", "/capacity/", READ),
    "capacity.cell": Route("GET", "/capacity/teams/{team}/2026-12", READ),
    "capacity.team_list": Route("GET", "/capacity/teams", READ),
    # A POST with only the CSRF token re-renders the form with its errors.
    "capacity.team_create": Route("POST", "/capacity/teams/new", MANAGE),
    "capacity.team_edit": Route("GET", "/capacity/teams/{team}/edit", MANAGE),
    "capacity.team_delete": Route("GET", "/capacity/teams/{team}/delete", MANAGE),
    # Reading is for all; saving needs the programme's update permission (tests/web/test_capacity.py).
    "milestone_loads.edit": Route("GET", "/programmes/{other}/milestones/{other_milestone}/teams/", READ),
}
