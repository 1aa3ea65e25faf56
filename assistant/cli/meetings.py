"""Commands on meetings: ingest, jobs, meetings, show, search, delete, reindex, serve."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from assistant.cli.common import (
    app,
    console,
    err_console,
    fmt_time,
    liaison,
    print_json,
    progress_bar,
    settings,
)
from assistant.errors import InvalidInput
from assistant.models import MeetingKind, SearchFilters
from assistant.transcribe import RECORDING_SUFFIXES

if TYPE_CHECKING:  # the index and the ingest pipeline load FAISS and every parser
    from assistant.index_sync import Progress

TRANSCRIPT_SUFFIXES = {".vtt", ".srt", ".txt", ".json", ".jsonl", ".ndjson", ".docx", ".md",
                       ".markdown", ".text", *RECORDING_SUFFIXES}  # fmt: skip
STAGE_WORDS = {"transcribe": "transcribing", "parse": "reading", "embed": "indexing",
               "extract": "finding items", "store": "storing"}  # fmt: skip

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2026-10-06, not {value!r}") from None


def _files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
            )
        elif path.exists():
            found.append(path)
        else:
            raise InvalidInput(f"{path}: no such file or folder")
    return found


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Transcript or recording files, or folders of them.")
    ],
    title: Annotated[
        str | None, typer.Option(help="Meeting title (default: from the file).")
    ] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Meeting date YYYY-MM-DD (default: from the file).")
    ] = None,
    kind: Annotated[
        MeetingKind | None,
        typer.Option(
            help="Meeting kind (default: from the title). Weekly syncs, 1:1s and QBRs are read "
            "as the leaders' own meetings; 'other' as any meeting."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Store transcripts (VTT, SRT, text, JSON, Markdown, Teams .docx) and recordings (wav,
    mp3, m4a, mp4, webm, ogg: transcribed offline): parse, index, extract items.

    A file that fails is reported and skipped; the others still go in. A transcript already
    stored is recognised and not stored twice.
    """
    day = _day(date_, "--date")
    files = _files(paths)
    if not files:
        raise InvalidInput("no transcript files found")
    service = liaison()
    outcomes = []
    with file_progress(not json_, len(files)) as follow:
        for path in files:
            outcome = service.ingest_path(
                path, title=title, day=day, kind=kind, progress=follow(path)
            )
            outcomes.append(outcome)
            if json_:
                continue
            if outcome.error:
                err_console.print(f"[red]✗[/red] {outcome.error}", highlight=False)
            elif outcome.duplicate_of:
                console.print(f"= {path.name}: already stored as meeting {outcome.duplicate_of}")
            elif outcome.meeting:
                m = outcome.meeting
                console.print(
                    f"[green]✓[/green] {path.name} → meeting {m.id} “{m.title}” ({m.date},"
                    f" {m.kind.value}, {m.turn_count} turns, {outcome.items} items)",
                    highlight=False,
                )
                for warning in outcome.warnings:
                    err_console.print(f"  [yellow]![/yellow] {warning}", highlight=False)
    if json_:
        print_json([o.model_dump(mode="json") for o in outcomes])
    if any(o.error for o in outcomes):
        raise typer.Exit(1)


@contextmanager
def file_progress(enabled: bool, count: int) -> Iterator[Callable[[Path], Progress | None]]:
    """Rich progress for `ingest`: how many files, and how far the current one is (its
    stage: transcribing a recording, reading, indexing, finding items, storing)."""
    if not enabled or not err_console.is_terminal:
        yield lambda path: None
        return
    from assistant.jobs.types import fraction

    with RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        overall = bar.add_task(f"0 of {count} files", total=count) if count > 1 else None
        current = bar.add_task("", total=100)
        started = [0]

        def follow(path: Path) -> Progress:
            recording = path.suffix.lower() in RECORDING_SUFFIXES
            if overall is not None:
                bar.update(
                    overall, completed=started[0], description=f"{started[0]} of {count} files"
                )
            started[0] += 1
            bar.reset(current, total=100, description=f"{path.name}: starting")

            def update(stage: str, done: int, total: int) -> None:
                share = fraction(stage, done, total, recording=recording)
                words = STAGE_WORDS.get(stage, stage)
                bar.update(current, completed=share * 100, description=f"{path.name}: {words}")

            return update

        yield follow


@app.command("jobs")
def list_jobs(
    state: Annotated[
        str | None, typer.Option(help="Only jobs in this state: queued, running, done, failed.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Page size.")] = 50,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """List upload jobs (files uploaded to the server), newest first, with their progress."""
    from assistant.jobs.types import JobState

    if state is not None and state not in JobState.__members__:
        raise InvalidInput(f"--state must be one of {', '.join(JobState)}, not {state!r}")
    wanted = JobState(state) if state else None
    found, total = liaison().jobs.list_jobs(wanted, limit=limit, offset=(page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "jobs": found})
        return
    table = Table("id", "file", "state", "progress", "meeting", "error / stage", "uploaded")
    for job in found:
        meeting = job.outcome.meeting if job.outcome else None
        table.add_row(
            str(job.id),
            job.filename,
            job.state.value,
            f"{job.progress:.0%}",
            str(meeting.id) if meeting else "-",
            job.error or job.stage or "",
            f"{job.created_at[:16].replace('T', ' ')} by {job.created_by or '?'}",
        )
    console.print(table)
    console.print(f"{len(found)} of {total} jobs (page {page})")


@app.command("meetings")
def list_meetings(
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    kind: Annotated[MeetingKind | None, typer.Option(help="Only this kind.")] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only meetings where this person spoke.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Page size.")] = 50,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """List stored meetings, newest first."""
    filters = SearchFilters(
        since=_day(since, "--since"), until=_day(until, "--until"), kind=kind, speaker=speaker
    )
    found, total = liaison().meetings(filters, limit=limit, offset=(page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "meetings": found})
        return
    table = Table("id", "date", "kind", "title", "turns", "words", "attendees")
    for m in found:
        table.add_row(
            str(m.id),
            str(m.date),
            m.kind.value,
            m.title,
            str(m.turn_count),
            str(m.word_count),
            ", ".join(m.attendees),
        )
    console.print(table)
    console.print(f"{len(found)} of {total} meetings (page {page})")


@app.command()
def show(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id (see `liaison meetings`).")],
    json_: JsonOpt = False,
) -> None:
    """Show one meeting with its transcript."""
    detail = liaison().meeting(meeting_id)
    if json_:
        print_json(detail)
        return
    m = detail.meeting
    console.print(f"[bold]{m.title}[/bold]  {m.date}  {m.kind.value}  (meeting {m.id})")
    console.print(
        f"Attendees: {', '.join(m.attendees) or '-'}   Source: {m.source_name} ({m.format})"
    )
    for turn in detail.turns:
        console.print(
            f"[dim]{turn.index:>4} {fmt_time(turn.start_s):>8}[/dim]"
            f" [bold]{turn.speaker or '?'}[/bold]: {turn.text}",
            highlight=False,
        )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in plain words.")],
    meeting: Annotated[int | None, typer.Option(help="Only this meeting id.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only passages where this person spoke.")
    ] = None,
    kind: Annotated[MeetingKind | None, typer.Option(help="Only this meeting kind.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=200, help="How many results.")] = 10,
    json_: JsonOpt = False,
) -> None:
    """Search the transcripts by meaning and by words (hybrid)."""
    filters = SearchFilters(
        meeting_id=meeting,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        speaker=speaker,
        kind=kind,
    )
    hits = liaison().search(query, filters, k)
    if json_:
        print_json(hits)
        return
    if not hits:
        console.print("No matching passages.")
    for n, hit in enumerate(hits, 1):
        console.print(
            f"[bold]{n}. {hit.title}[/bold] ({hit.date}, meeting {hit.meeting_id}, turns"
            f" {hit.turn_start}–{hit.turn_end}, {fmt_time(hit.start_s)}) score {hit.score:.3f}",
            highlight=False,
        )
        console.print(hit.text, highlight=False)
        console.print()


@app.command()
def delete(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a meeting with its transcript, vectors and items."""
    service = liaison()
    meeting = service.meeting(meeting_id).meeting
    if not yes:
        typer.confirm(
            f"Delete meeting {meeting.id} “{meeting.title}” ({meeting.date})?", abort=True
        )
    service.delete_meeting(meeting_id)
    console.print(f"Deleted meeting {meeting_id}.")


@app.command()
def reindex() -> None:
    """Rebuild the vector index from the database (re-embeds vectors of another model)."""
    with progress_bar() as bar:
        count = liaison().reindex(progress=bar)
    console.print(f"Index rebuilt: {count} chunks.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Run the HTTP API and web app (and the digest scheduler)."""
    import uvicorn

    from assistant.api.app import create_app
    from assistant.api.server import uvicorn_config

    conf = settings()
    host = host or conf.host
    port = port or conf.port
    url = f"http://{host}:{port}"
    if "public_url" not in conf.model_fields_set and host not in ("0.0.0.0", "::"):
        conf.public_url = url  # links in digests point where this server listens
    application = create_app(conf)  # first run: creates 'admin' and prints a one-time password
    console.print(f"\nLiaison is running at [bold]{url}[/bold]  (API docs: {url}/docs)")
    if conf.admin_password:
        console.print(
            f"Sign in at {url}/login as [bold]admin[/bold] with the password in"
            " LIAISON_ADMIN_PASSWORD (or as any user added with `liaison users add`)."
        )
    else:
        console.print(
            f"Sign in at {url}/login: on the first run as 'admin' with the one-time password"
            " printed above; later with your own user (`liaison users add`)."
        )
    console.print(f"Started {datetime.now():%Y-%m-%d %H:%M}. Press Ctrl+C to stop.")
    uvicorn.Server(uvicorn_config(application, conf, host=host, port=port)).run()
