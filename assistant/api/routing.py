"""Which route a request will reach, read from the app's own routes (for the security rules,
the `Allow` header of 405 and OPTIONS answers, and the accepted query parameters)."""

from __future__ import annotations

import re
from functools import lru_cache

from fastapi import FastAPI


def app_routes(app: FastAPI) -> list[tuple[str, frozenset[str] | None, bool]]:
    """Every route of `app` as (path template, methods or None, is a mount), in routing order.

    FastAPI may keep included routers as nested objects, so they are flattened here."""
    from starlette.routing import Mount

    try:  # FastAPI >= 0.16x keeps included routers lazily
        from fastapi.routing import iter_route_contexts

        routes = [(c.path, c.methods, c.original_route) for c in iter_route_contexts(app.routes)]
    except ImportError:
        routes = [(getattr(r, "path", None), getattr(r, "methods", None), r) for r in app.routes]
    return [
        (path, frozenset(methods) if methods else None, isinstance(original, Mount))
        for path, methods, original in routes
        if path is not None
    ]


@lru_cache(maxsize=1024)
def compiled(template: str, is_mount: bool) -> re.Pattern:
    """Regex for a route template: '{x}' matches one path segment, a mount its whole subtree."""
    from starlette.routing import compile_path

    if is_mount:
        return re.compile("^" + re.escape(template.rstrip("/")) + "(/.*)?$")
    regex, _, _ = compile_path(template)
    return regex


def route_template(app: FastAPI, path: str, method: str) -> tuple[str | None, bool]:
    """(template of the route `path` reaches, whether that route serves `method`).

    Routes are read at request time, so routers included later are covered. A path whose
    routes serve other methods gives its template and False: the router answers 405."""
    partial = None
    for template, methods, is_mount in app_routes(app):
        if not compiled(template, is_mount).match(path):
            continue
        if is_mount or methods is None or method in methods:
            return template, True
        partial = partial or template
    return partial, False


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods some route serves at `path` (for `Allow`), OPTIONS included."""
    found: set[str] = set()
    for template, methods, is_mount in app_routes(app):
        if not is_mount and methods and compiled(template, is_mount).match(path):
            found |= methods
    if not found:
        return []
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    return sorted(found | {"OPTIONS"}, key=lambda m: (order + [m]).index(m))
