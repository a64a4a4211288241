"""Board packs: everyone signed in may download the dashboard's pack and a programme's submitted
highlight reports (a programme manager's "my programmes" pack holds only theirs)."""

from tests.web.routes import Route, by_role

ROUTES = {
    "packs.portfolio_pdf": Route("GET", "/dashboard/pack.pdf", by_role(302, 200, 200, 200, 200)),
    "packs.portfolio_pptx": Route("GET", "/dashboard/pack.pptx", by_role(302, 200, 200, 200, 200)),
    # The world's update is a draft, which is no highlight report yet: 404 for everyone signed in.
    # tests/web/test_packs.py downloads submitted ones by role.
    "packs.highlight_pdf": Route(
        "GET", "/programmes/{other}/updates/{other_update}/report.pdf", by_role(302, 404, 404, 404, 404)
    ),
    "packs.highlight_pptx": Route(
        "GET", "/programmes/{other}/updates/{other_update}/report.pptx", by_role(302, 404, 404, 404, 404)
    ),
}
