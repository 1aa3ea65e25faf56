"""Commands that take Liaison's items out (CSV, XLSX, JSON, minutes, ICS) and calendars in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json
from assistant.cli.meetings import JsonOpt, _day
from assistant.errors import InvalidInput
from assistant.models import ItemKind, Team
from assistant.store.items import ItemFilters

export_app = typer.Typer(
    help="Items as CSV / XLSX / JSON, minutes as Markdown / DOCX, actions as .ics.",
    no_args_is_help=True,
)
calendar_app = typer.Typer(
    help="Calendars: import an .ics (meeting titles, dates, attendees, series); secret feed"
    " URLs of action items for Google Calendar / Outlook.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")
app.add_typer(calendar_app, name="calendar")

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File to write ('-' for stdout); default: a file name"
        " of the export's own in this folder.",
    ),
]


def _write(export, output: Path | None) -> None:
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(export.content)
        sys.stdout.flush()
        return
    target = output or Path(export.filename)
    try:
        target.write_bytes(export.content)
    except OSError as exc:
        raise InvalidInput(f"{target}: cannot write ({exc.strerror})") from exc
    console.print(f"Wrote {target} ({len(export.content):,} bytes)", highlight=False)


@export_app.command("items")
def export_items(
    format_: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or json.")] = "csv",
    kind: Annotated[ItemKind | None, typer.Option(help="Only this kind.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status (open, done …).")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner (full or first name).")] = None,
    team: Annotated[Team | None, typer.Option(help="Only this team.")] = None,
    meeting: Annotated[int | None, typer.Option(help="Only items of this meeting.")] = None,
    output: OutOpt = None,
) -> None:
    """Items with every field, links back to the web app included."""
    filters = ItemFilters(meeting_id=meeting, kind=kind, status=status, owner=owner, team=team)
    _write(liaison().exports.items_table(filters, format_.lower()), output)


@export_app.command("minutes")
def export_minutes(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id (see `liaison meetings`).")],
    format_: Annotated[str, typer.Option("--format", "-f", help="md or docx.")] = "md",
    output: OutOpt = None,
) -> None:
    """Minutes of one meeting: attendees, decisions, actions, parking lot, each linked back."""
    _write(liaison().exports.minutes(meeting_id, format_.lower()), output)


@export_app.command("ics")
def export_ics(
    item: Annotated[
        int | None, typer.Option(help="Only this action (an .ics of one event).")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    team: Annotated[Team | None, typer.Option(help="Only this team's actions.")] = None,
    output: OutOpt = None,
) -> None:
    """Actions with a due date as all-day events (for a calendar that stays current, use
    `liaison calendar feed`)."""
    exports = liaison().exports
    if item is not None:
        _write(exports.item_ics(item), output)
        return
    name = (
        f"actions of {owner}" if owner else f"actions of team {team.value}" if team else "actions"
    )
    _write(exports.items_ics(ItemFilters(owner=owner, team=team), name), output)


@calendar_app.command("import")
def calendar_import(
    path: Annotated[Path, typer.Argument(help="An .ics file (a calendar export).")],
    json_: JsonOpt = False,
) -> None:
    """Set stored meetings' titles, dates, kinds and attendees from their calendar events; keep
    upcoming events, so "before the QBR" gets the next QBR's date."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc
    report = liaison().exports.import_calendar(data)
    if json_:
        print_json(report)
        return
    console.print(
        f"{report.events} event date(s) read, {report.upcoming} upcoming;"
        f" {len(report.meetings)} meeting(s) updated;"
        f" {len(report.items_dated)} waiting action(s) dated.",
        highlight=False,
    )
    for update in report.meetings:
        console.print(
            f"  meeting {update.meeting_id}: {update.was_title!r} → {update.title!r}"
            f" ({update.date}, {update.kind.value})",
            highlight=False,
        )


@calendar_app.command("events")
def calendar_events(
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Page size.")] = 50,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """Imported calendar events, by date."""
    found, total = liaison().exports.events(_day(since, "since"), limit, (page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "events": found})
        return
    table = Table("date", "title", "kind", "series", "meeting")
    for event in found:
        table.add_row(
            str(event.day),
            event.title,
            event.kind.value,
            "yes" if event.series else "",
            str(event.meeting_id or ""),
        )
    console.print(table)
    console.print(f"{total} event date(s)", highlight=False)


@calendar_app.command("feed")
def calendar_feed(
    user: Annotated[str, typer.Argument(help="The Liaison user the feed belongs to.")],
    scope: Annotated[str, typer.Option(help="mine (one owner's actions), all, or team.")] = "mine",
    value: Annotated[
        str | None, typer.Option(help="The owner's name as items give it, or the team.")
    ] = None,
    label: Annotated[str, typer.Option(help="A note, e.g. 'Outlook'.")] = "",
) -> None:
    """Make a secret feed URL of action items (printed once; subscribe to it)."""
    exports = liaison().exports
    secret, feed = exports.feeds.create(user, scope, value, label)
    console.print(f"Feed {feed.id} ({feed.describe}). Subscribe to this URL (shown once):")
    typer.echo(exports.feed_url(secret))


@calendar_app.command("feeds")
def calendar_feeds(
    user: Annotated[str, typer.Argument(help="The Liaison user.")],
    json_: JsonOpt = False,
) -> None:
    """A user's working feed URLs (their secrets are not shown again)."""
    feeds = liaison().exports.feeds.list(user)
    if json_:
        print_json(feeds)
        return
    table = Table("id", "feed", "what", "label", "last read")
    for feed in feeds:
        table.add_row(
            str(feed.id),
            f"{feed.prefix}…",
            feed.describe,
            feed.label,
            str(feed.last_used_at or "never"),
        )
    console.print(table)


@calendar_app.command("revoke")
def calendar_revoke(
    user: Annotated[str, typer.Argument(help="The Liaison user.")],
    feed_id: Annotated[int, typer.Argument(help="Feed id (see `liaison calendar feeds`).")],
) -> None:
    """Revoke a feed URL: calendars subscribed to it stop updating."""
    liaison().exports.feeds.revoke(user, feed_id)
    console.print(f"Revoked feed {feed_id}.")
