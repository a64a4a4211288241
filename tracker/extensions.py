"""Extension objects, unbound; `create_app` binds them with `init_app`."""

from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints have names Alembic batch mode can drop."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


class ApiErrorSchema(ma.Schema):
    """The JSON body tracker.web.errors sends for every API error, described for the OpenAPI document."""

    status = ma.fields.Integer(required=True)
    error = ma.fields.String(required=True)
    field_errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), data_key="fields")


class JsonApi(Api):
    """flask-smorest's Api, documenting our error body rather than its own."""

    ERROR_SCHEMA = ApiErrorSchema

    def _register_error_handlers(self) -> None:
        """tracker.web.errors answers every error, pages and API alike: no second handler here."""


class SchemaRules(BasePlugin):
    """Adds to a schema's component in the document the JSON Schema keywords its class states in
    `OPENAPI_RULES` (such as "send at least one of these"), which marshmallow fields cannot say."""

    def schema_helper(self, name: str, definition: dict, **kwargs: Any) -> dict | None:
        rules = getattr(kwargs.get("schema"), "OPENAPI_RULES", None)
        return dict(rules) if rules else None


BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "A token from the API tokens page of your account",
}
api = JsonApi(
    spec_kwargs={
        "title": "Change programme tracker API",
        "version": "v1",
        "openapi_version": "3.0.3",
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": BEARER}},
        "extra_plugins": [SchemaRules()],
    }
)
