"""SCIM provisioning: only the provisioning service's own token opens /scim/v2, so every role gets a
401 (SCIM JSON) whether it calls with its session or with its API token; the token page is admins'."""

from tests.web.routes import Route, by_role

REFUSED = by_role(401, 401, 401, 401, 401)
ADMINS = by_role(302, 200, 403, 403, 403)
SCIM = "/scim/v2"


def scim(method: str, path: str) -> Route:
    return Route(method, f"{SCIM}{path}", REFUSED, bearer=True)


ROUTES = {
    "scim.service_provider_config": scim("GET", "/ServiceProviderConfig"),
    "scim.resource_types": scim("GET", "/ResourceTypes"),
    "scim.schemas": scim("GET", "/Schemas"),
    "scim.list_users": scim("GET", "/Users"),
    "scim.create_user": scim("POST", "/Users"),
    "scim.get_user": scim("GET", "/Users/{user}"),
    "scim.replace_user": scim("PUT", "/Users/{user}"),
    "scim.patch_user": scim("PATCH", "/Users/{user}"),
    "scim.delete_user": scim("DELETE", "/Users/{user}"),
    "scim.list_groups": scim("GET", "/Groups"),
    "scim.create_group": scim("POST", "/Groups"),
    "scim.get_group": scim("GET", "/Groups/1"),
    "scim.replace_group": scim("PUT", "/Groups/1"),
    "scim.patch_group": scim("PATCH", "/Groups/1"),
    "scim.delete_group": scim("DELETE", "/Groups/1"),
    "admin.provisioning.index": Route("GET", "/admin/provisioning", ADMINS),
    # Created and shown once on the response itself.
    "admin.provisioning.create": Route("POST", "/admin/provisioning/new", ADMINS, {"name": "Entra ID"}),
    "admin.provisioning.revoke": Route("GET", "/admin/provisioning/{scim_token}/revoke", ADMINS),
}
