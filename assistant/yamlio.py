"""Reading lists of records from YAML files that people write by hand (goals, recipients)."""

from __future__ import annotations

from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def load_records(text: str, key: str, model: type[M], label: str) -> list[M]:
    """Parse `key: [...]` (or a bare list) into `model`s; errors name the entry and field.

    Nothing is returned unless every entry is valid, so a bad file changes nothing."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # str(exc) spans several lines with a caret drawing; errors here are one line.
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise InvalidInput(f"{label}s file is not valid YAML ({where}{problem})") from exc
    entries = data.get(key) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise InvalidInput(f"{label}s file must hold a list under '{key}:'")
    records = []
    for n, entry in enumerate(entries, 1):
        try:
            records.append(model.model_validate(entry))
        except ValidationError as exc:
            raise InvalidInput(f"{label} {n}: {first_error(exc)}") from exc
    return records


def first_error(exc: ValidationError) -> str:
    """The first problem of a validation error on one line: 'kpis.0.current: message'."""
    errors = exc.errors()
    if not errors:
        return str(exc)
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    message = str(first.get("msg", exc)).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
