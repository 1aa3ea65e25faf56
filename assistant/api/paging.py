"""One way to page every listing of the API: `limit` and `offset` in the query, and `total`,
`limit`, `offset` beside the list in the answer. Listings are sorted stably (ties by id), so
walking the pages sees every row once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Query

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1 to 1000).")]


def window(rows: Sequence[T], limit: int, offset: int) -> tuple[list[T], int]:
    """The page of a listing the core returns whole (goals, people, terms…), and its total."""
    return list(rows[offset : offset + limit]), len(rows)
