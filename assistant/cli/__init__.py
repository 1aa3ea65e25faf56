"""The `liaison` command line: a thin skin over `assistant.service.Liaison`.

Each command group lives in its own module and registers itself on `app`; `main()` turns every
`LiaisonError` into a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys

import click
import typer

from assistant.cli.common import app, err_console
from assistant.errors import LiaisonError

# Recent Typer releases vendor Click: their usage errors, Abort and Exit are not the installed
# `click` package's classes, so both families are caught (else a typo reads "internal error").
_ABORTS = (click.exceptions.Abort, typer.Abort)
_EXITS = (click.exceptions.Exit, typer.Exit)
_USAGE_ERRORS: tuple[type[Exception], ...] = (
    click.ClickException,
    next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)

# Command modules register their commands on `app` when imported.
from assistant.cli import ask, digest, items, meetings, people, users  # noqa: E402,F401  isort: skip
from assistant.cli import mcp  # noqa: E402,F401  isort: skip
from assistant.cli import exports, webhooks  # noqa: E402,F401  isort: skip
from assistant.cli import speakers  # noqa: E402,F401  isort: skip


def main() -> None:
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit
    except LiaisonError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
    except _ABORTS:
        err_console.print("aborted")
        sys.exit(130)
    except _USAGE_ERRORS as exc:
        exc.show()  # type: ignore[attr-defined]
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except _EXITS as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # last resort: one line, details only on request
        if os.environ.get("LIAISON_DEBUG"):
            raise
        err_console.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc}"
            " (set LIAISON_DEBUG=1 for details)",
            highlight=False,
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main", "typer"]
