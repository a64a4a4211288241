"""The import wizard: admins, CIOs and programme managers may import; viewers may not.

An upload id nobody made sends the person back to step 1 (302), never to another's upload.
"""

from tests.web.routes import Route, by_role

GONE = "/imports/" + "0" * 32

ROUTES = {
    "imports.upload": Route("GET", "/imports/", by_role(302, 200, 200, 200, 403)),
    "imports.columns": Route("GET", f"{GONE}/columns", by_role(302, 302, 302, 302, 403)),
    "imports.check": Route("GET", f"{GONE}/check", by_role(302, 302, 302, 302, 403)),
    "imports.commit": Route("POST", f"{GONE}/commit", by_role(302, 302, 302, 302, 403)),
    "imports.done": Route("GET", f"{GONE}/done", by_role(302, 302, 302, 302, 403)),
    "imports.values": Route("POST", f"{GONE}/values", by_role(302, 302, 302, 302, 403)),
    "imports.forget_mapping": Route("POST", f"{GONE}/forget-mapping", by_role(302, 302, 302, 302, 403)),
    "imports.save_mapping": Route("POST", f"{GONE}/save-mapping", by_role(302, 302, 302, 302, 403)),
    "imports.near_matches": Route("POST", f"{GONE}/near-matches", by_role(302, 302, 302, 302, 403)),
    # An upload that is not the person's is left alone; they go back to step 1.
    "imports.cancel": Route("POST", f"{GONE}/cancel", by_role(302, 302, 302, 302, 403)),
}
