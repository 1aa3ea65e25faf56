"""A strict, honest API contract: what a client may send, and what the OpenAPI document says.

- Unknown query parameters and unknown body fields answer 422 naming the accepted ones (a
  client's typo, `?meeting_id=3` for `?meeting=3`, is an error, not a silently wider search).
- Ids and counts are bounded to what SQLite can hold (2^63 - 1): a larger number is a 422.
  Dates are YYYY-MM-DD and flags true or false, as the document says (pydantic alone would
  take '0' for 1970-01-01 and 0 for false).
- `document(app)` completes the OpenAPI document: every error answer has the `ErrorBody`
  schema, and the answers every secured route can give (401, 403, 422; 408 and 413 with a
  body) are listed on each operation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, model_validator

from assistant.api.errors import DESCRIPTIONS, ErrorBody
from assistant.errors import InvalidInput
from assistant.store.db import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]  # of a web listing
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> Any:
    """Dates as the document says (YYYY-MM-DD): not '0', which pydantic would read as the
    Unix epoch, nor any other number."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_day)]
Flag = StrictBool  # true or false: not 0, 1 or "yes"


def _names(fields: dict[str, Any]) -> list[str]:
    return [info.alias or name for name, info in fields.items()]


class StrictBody(BaseModel):
    """A request body that refuses fields it does not know, naming the ones it accepts."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            accepted = set(_names(cls.model_fields)) | set(cls.model_fields)
            unknown = sorted(str(k) for k in data if k not in accepted)
            if unknown:
                plural = "s" if len(unknown) > 1 else ""
                raise ValueError(
                    f"unknown field{plural} {', '.join(unknown)}; accepted: "
                    + ", ".join(_names(cls.model_fields))
                )
        return data


def _query_names(dependant: Dependant) -> list[str]:
    names: list[str] = []
    stack = [dependant]
    while stack:
        current = stack.pop()
        names += [field.alias for field in current.query_params]
        stack += current.dependencies
    return names


def accepted_query(route: Any) -> list[str]:
    """The query parameters a route declares (by the name a client sends)."""
    cached = getattr(route, "_liaison_query", None)
    if cached is None:
        dependant = getattr(route, "dependant", None)
        cached = list(dict.fromkeys(_query_names(dependant))) if dependant else []
        route._liaison_query = cached
    return cached


async def known_query(request: Request) -> None:
    """Router dependency: refuse query parameters the route does not declare."""
    route = request.scope.get("route")
    if route is None:
        return
    accepted = accepted_query(route)
    unknown = sorted(set(request.query_params) - set(accepted))
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        takes = f"accepted: {', '.join(accepted)}" if accepted else "it takes none"
        raise InvalidInput(f"unknown query parameter{plural} {', '.join(unknown)}; {takes}")


# ---------------------------------------------------------------------- the OpenAPI document

_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_FRAMEWORK_SCHEMAS = ("HTTPValidationError", "ValidationError")


def document(app: FastAPI, public: set[str] | None = None) -> None:
    """Make `app.openapi()` describe the answers the app really gives (see the module doc).

    `public` lists the paths that need no sign-in (no 401/403 on them)."""
    public = public or set()
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = build()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, schema in error_schema.pop("$defs", {}).items():
            schemas.setdefault(name, schema)
        schemas.setdefault("ErrorBody", error_schema)
        for path, operations in spec.get("paths", {}).items():
            for operation in operations.values():
                codes = ["422"]
                if path not in public:
                    codes += ["401", "403"]
                if "requestBody" in operation:  # unreadable, too slow, too large
                    codes += ["400", "408", "413"]
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(code, {"description": DESCRIPTIONS[int(code)]})
                for code, response in responses.items():
                    if code[0] in "45":
                        _error_content(response)
        for name in _FRAMEWORK_SCHEMAS:
            schemas.pop(name, None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _error_content(response: dict[str, Any]) -> None:
    """Every error answer is JSON with the ErrorBody schema (or one extending it)."""
    content = response.setdefault("content", {}).setdefault("application/json", {})
    schema = content.get("schema")
    if schema is None or schema.get("$ref", "").endswith(_FRAMEWORK_SCHEMAS):
        content["schema"] = dict(_ERROR_REF)
