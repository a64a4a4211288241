"""SCIM 2.0 (RFC 7643/7644) under /scim/v2, as Microsoft Entra ID's provisioning service calls it.

Only the provisioning service's own bearer token is let in: no session cookie and no API token, so
there is nothing for a forged cross-site request to ride on and CSRF does not apply. Every answer,
refusals included, is SCIM JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request
from pydantic import ValidationError
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Group,
    Patch,
    PatchOp,
    ResourceType,
    SCIMException,
    ServiceProviderConfig,
    Sort,
)
from scim2_models import Filter as FilterSupport

from tracker.domain.scim import GROUP_FILTERS, USER_FILTERS, Filter, FilterError, entra_patch, parse_filter
from tracker.extensions import csrf
from tracker.services.errors import Invalid, NotFound
from tracker.services.scim import groups, people, tokens
from tracker.services.scim.errors import Uniqueness
from tracker.web.scim.errors import ScimProblem, scim_error, scim_json
from tracker.web.scim.resources import (
    UserResource,
    group_body,
    group_fields,
    group_model,
    list_body,
    person_from,
    user_body,
    user_model,
)

blueprint = Blueprint("scim", __name__, url_prefix="/scim/v2")
csrf.exempt(blueprint)  # no cookie is trusted here, so there is nothing to forge

MAX_RESULTS = 200


@blueprint.before_request
def authenticate() -> None:
    """The provisioning service's token, or 401: a session cookie or an API token is not one."""
    scheme, _, plaintext = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not plaintext.strip():
        raise ScimProblem(401, "Send the provisioning token in the Authorization header: 'Bearer <token>'.")
    if tokens.authenticate(plaintext.strip()) is None:
        raise ScimProblem(
            401, "The provisioning token is not valid: it may have been revoked. An admin can make a new one."
        )


@blueprint.errorhandler(ScimProblem)
def _problem(error: ScimProblem) -> Response:
    return scim_error(error.status, error.detail, error.scim_type)


@blueprint.errorhandler(SCIMException)
def _model_refused(error: SCIMException) -> Response:
    return scim_error(error.status, error.detail, error.scim_type or None)


@blueprint.errorhandler(ValidationError)
def _invalid_resource(error: ValidationError) -> Response:
    first = error.errors()[0]
    kind = str(first.get("type", ""))
    where = ".".join(str(part) for part in first.get("loc", ()))
    detail = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return scim_error(400, detail, _scim_type(kind))


@blueprint.errorhandler(FilterError)
def _bad_filter(error: FilterError) -> Response:
    return scim_error(400, str(error), "invalidFilter")


@blueprint.errorhandler(NotFound)
def _not_found(error: NotFound) -> Response:
    return scim_error(404, error.message)


@blueprint.errorhandler(Invalid)
def _invalid(error: Invalid) -> Response:
    return scim_error(400, error.message, "invalidValue")


@blueprint.errorhandler(Uniqueness)
def _taken(error: Uniqueness) -> Response:
    return scim_error(409, error.message, "uniqueness")


def _scim_type(kind: str) -> str:
    """scim2-models names its refusals `scim_<scimType>`; anything else is a value of the wrong kind."""
    return kind.removeprefix("scim_") if kind.startswith("scim_") and kind != "scim_error" else "invalidValue"


def _base() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/") + blueprint.url_prefix


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ScimProblem(400, "The request body must be a JSON object.", "invalidSyntax")
    return body


def _paging() -> tuple[int, int]:
    """startIndex (from 1) and count (at most MAX_RESULTS), as RFC 7644 §3.4.2.4 reads them."""
    try:
        start = max(1, int(request.args.get("startIndex", "1")))
        count = min(MAX_RESULTS, max(0, int(request.args.get("count", str(MAX_RESULTS)))))
    except ValueError:
        raise ScimProblem(400, "startIndex and count must be whole numbers.", "invalidValue") from None
    return start, count


def _filter(allowed: tuple[str, ...]) -> Filter | None:
    text = request.args.get("filter")
    return parse_filter(text, allowed) if text is not None else None


def _created(body: dict[str, Any]) -> Response:
    response = scim_json(body, 201)
    response.headers["Location"] = body["meta"]["location"]
    return response


@blueprint.after_request
def _not_kept(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


# Discovery: what this service supports, for the provisioning service and people checking it.


@blueprint.route("/ServiceProviderConfig")
def service_provider_config() -> Response:
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=FilterSupport(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A provisioning token an admin creates on the tracker's provisioning page",
                primary=True,
            )
        ],
    )
    return scim_json(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@blueprint.route("/ResourceTypes")
def resource_types() -> Response:
    found = [ResourceType.from_resource(UserResource), ResourceType.from_resource(Group)]
    dumped = [kind.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for kind in found]
    return scim_json(list_body(len(dumped), 1, dumped))


@blueprint.route("/Schemas")
def schemas() -> Response:
    found = [UserResource.to_schema(), EnterpriseUser.to_schema(), Group.to_schema()]
    dumped = [schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for schema in found]
    return scim_json(list_body(len(dumped), 1, dumped))


# Users.


@blueprint.route("/Users")
def list_users() -> Response:
    start, count = _paging()
    total, found = people.list_people(_filter(USER_FILTERS), start=start, count=count)
    return scim_json(list_body(total, start, [user_body(user, _base()) for user in found]))


@blueprint.route("/Users", methods=["POST"])
def create_user() -> Response:
    model = UserResource.model_validate(_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return _created(user_body(people.create_person(person_from(model)), _base()))


@blueprint.route("/Users/<user_id>")
def get_user(user_id: str) -> Response:
    return scim_json(user_body(people.get_person(user_id), _base()))


@blueprint.route("/Users/<user_id>", methods=["PUT"])
def replace_user(user_id: str) -> Response:
    people.get_person(user_id)  # an unknown id is a 404 whatever the body
    model = UserResource.model_validate(_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    return scim_json(user_body(people.replace_person(user_id, person_from(model)), _base()))


@blueprint.route("/Users/<user_id>", methods=["PATCH"])
def patch_user(user_id: str) -> Response:
    """Entra's PATCH forms (capitalised ops, "True"/"False", filtered paths) applied to the person as
    SCIM sees them, then saved as a replacement."""
    model = user_model(people.get_person(user_id), _base())
    operations = PatchOp[UserResource].model_validate(
        entra_patch(_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    operations.patch(model)
    return scim_json(user_body(people.replace_person(user_id, person_from(model)), _base()))


@blueprint.route("/Users/<user_id>", methods=["DELETE"])
def delete_user(user_id: str) -> Response:
    """Deactivated, not deleted: the person's trail stays, and they may be provisioned back."""
    people.deactivate_person(user_id)
    return Response(status=204)


# Groups: the roles follow from them (see services.scim.groups).


def _with_members() -> bool:
    excluded = {name.strip().lower() for name in request.args.get("excludedAttributes", "").split(",")}
    return "members" not in excluded


@blueprint.route("/Groups")
def list_groups() -> Response:
    start, count = _paging()
    members = _with_members()
    total, found = groups.list_groups(_filter(GROUP_FILTERS), start=start, count=count, with_members=members)
    bodies = [group_body(group, _base(), members=members) for group in found]
    return scim_json(list_body(total, start, bodies))


@blueprint.route("/Groups", methods=["POST"])
def create_group() -> Response:
    model = Group.model_validate(_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return _created(group_body(groups.create_group(group_fields(model)), _base()))


@blueprint.route("/Groups/<group_id>")
def get_group(group_id: str) -> Response:
    return scim_json(group_body(groups.get_group(group_id), _base(), members=_with_members()))


@blueprint.route("/Groups/<group_id>", methods=["PUT"])
def replace_group(group_id: str) -> Response:
    groups.get_group(group_id)
    model = Group.model_validate(_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    return scim_json(group_body(groups.replace_group(group_id, group_fields(model)), _base()))


@blueprint.route("/Groups/<group_id>", methods=["PATCH"])
def patch_group(group_id: str) -> Response:
    model = group_model(groups.get_group(group_id), _base())
    operations = PatchOp[Group].model_validate(entra_patch(_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    operations.patch(model)
    groups.replace_group(group_id, group_fields(model))
    return Response(status=204)


@blueprint.route("/Groups/<group_id>", methods=["DELETE"])
def delete_group(group_id: str) -> Response:
    groups.delete_group(group_id)
    return Response(status=204)
