"""What every command shares: the Typer app, settings, the Liaison object, output helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.config import Settings
from assistant.errors import ConfigError, InvalidInput

app = typer.Typer(
    name="liaison",
    help="Liaison: meeting transcripts in; decisions, action items and parking-lot snags out.\n\n"
    "Data lives in $LIAISON_HOME (default ./index). Run `liaison COMMAND --help` for details.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# soft_wrap: a message is one line even when piped (a log or grep sees it whole).
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"setting LIAISON_{field.upper()}: {first['msg']}") from exc


def liaison(**overrides: Any):
    from assistant.service import Liaison

    return Liaison(settings(), **overrides)


def read_file(path: Path) -> str:
    """A text file the user named, or a one-line error saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a UTF-8 text file") from None


def print_json(data: Any) -> None:
    """Print JSON to stdout (plain, so it pipes into jq)."""

    def default(obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return obj.model_dump(mode="json")
        return str(obj)

    typer.echo(json.dumps(data, default=default, indent=2, ensure_ascii=False))


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """A Rich progress bar on stderr; yields a callback `(stage, done, total)`."""
    if not enabled or not err_console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    return (
        f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
        if s >= 3600
        else f"{s // 60:d}:{s % 60:02d}"
    )
