"""Commands for weekly digests (`liaison digest …`) and who gets them (`liaison recipients …`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json, read_file
from assistant.cli.meetings import JsonOpt
from assistant.digest.types import RecipientIn
from assistant.errors import InvalidInput

digest_app = typer.Typer(
    help="Weekly digests: preview, send, write to files, and the delivery history.",
    invoke_without_command=True,
)
app.add_typer(digest_app, name="digest")
recipients_app = typer.Typer(
    help="Who receives the weekly digest: add, list, remove, import.", no_args_is_help=True
)
app.add_typer(recipients_app, name="recipients")

SUFFIX = {"markdown": ".md", "html": ".html", "text": ".txt"}


@digest_app.callback()
def digest(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2026-W44 (default: the last complete one).")
    ] = None,
    for_: Annotated[
        str, typer.Option("--for", help="cio, cmo, all, or a recipient's id, email or name.")
    ] = "cio",
    send: Annotated[
        bool, typer.Option("--send", help="Deliver through each recipient's channel.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the digest files (.md, .html, .txt) here.")
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", help="What to print: md, html or text.")
    ] = "md",
) -> None:
    """Compose the weekly digest for the CIO, the CMO or every recipient.

    Prints the Markdown by default; --send delivers it once (a digest already sent is not sent
    again); --out writes files.
    """
    if ctx.invoked_subcommand is not None:
        return
    from assistant.digest.render import normalise_format

    fmt = normalise_format(format_)
    service = liaison().digests
    if for_.lower() == "all":
        readers = service.recipients(active_only=True)
        if not readers:
            raise InvalidInput("no active recipients; add one with `liaison recipients add`")
    else:
        readers = [service.resolve(for_) if send else service.reader(for_)]
    for reader in readers:
        this_week = week or service.default_week(reader)
        if send:
            record = service.send(this_week, reader)
            note = f" ({record.last_error})" if record.last_error else ""
            console.print(
                f"{record.week} → {record.recipient_name} <{record.recipient_email}> via"
                f" {record.channel}: {record.status}{note}",
                highlight=False,
            )
            continue
        composed = service.compose(this_week, reader)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            stem = f"{this_week}-{reader.role}-{reader.email.split('@')[0]}"
            for kind, suffix in SUFFIX.items():
                (out / f"{stem}{suffix}").write_text(service.render(composed, kind))
            console.print(f"Wrote {out / stem}.{{md,html,txt}}", highlight=False)
        else:
            typer.echo(service.render(composed, fmt))


@digest_app.command("recap")
def digest_recap(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id (see `liaison meetings`).")],
    for_: Annotated[
        str, typer.Option("--for", help="cio, cmo, other, or a recipient's id, email or name.")
    ] = "other",
    send: Annotated[
        bool,
        typer.Option("--send", help="Deliver it to the meeting's attendees who are recipients."),
    ] = False,
    format_: Annotated[
        str, typer.Option("--format", help="What to print: md, html or text.")
    ] = "md",
) -> None:
    """One meeting's recap: decisions, actions with owners and dates, parked snags.

    Prints it; --send delivers it to the attendees who are recipients, once each (a recap
    already sent is not sent again). LIAISON_RECAP_AFTER_INGEST=true sends it on ingest.
    """
    from assistant.digest.render import normalise_format

    service = liaison().digests
    if send:
        records = service.send_recaps(meeting_id)
        if not records:
            console.print("None of this meeting's attendees is a recipient.")
        for record in records:
            note = f" ({record.last_error})" if record.last_error else ""
            console.print(
                f"recap of meeting {meeting_id} → {record.recipient_name} via {record.channel}:"
                f" {record.status}{note}",
                highlight=False,
            )
        return
    typer.echo(service.render(service.recap(meeting_id, for_), normalise_format(format_)))


@digest_app.command("history")
def digest_history(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many rows.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Every digest delivery: sent, retrying, or failed for good (with the error)."""
    records = liaison().digests.history(limit)
    if json_:
        print_json(records)
        return
    if not records:
        console.print("No digest has been sent yet.")
        return
    table = Table("week", "recipient", "channel", "status", "attempts", "sent / next try", "error")
    for r in records:
        when = r.sent_at or r.next_attempt_at
        status = "failed (gave up)" if r.gave_up else r.status
        table.add_row(
            r.week,
            f"{r.recipient_name} <{r.recipient_email}>",
            r.channel,
            status,
            str(r.attempts),
            when.isoformat(timespec="minutes") if when else "-",
            r.last_error or "",
        )
    console.print(table)


@recipients_app.command("add")
def recipients_add(
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Annotated[str, typer.Argument(help="Email address (also the recipient's key).")],
    role: Annotated[str, typer.Option(help="cio, cmo or other.")] = "other",
    timezone: Annotated[str, typer.Option("--tz", help="IANA time zone.")] = "UTC",
    channel: Annotated[str, typer.Option(help="email, webhook or folder.")] = "email",
    webhook_url: Annotated[str | None, typer.Option(help="Webhook for this recipient.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a digest recipient."""
    try:
        data = RecipientIn(
            name=name,
            email=email,
            role=role,  # type: ignore[arg-type]
            timezone=timezone,
            channel=channel,  # type: ignore[arg-type]
            webhook_url=webhook_url,
        )
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {}
        where = ".".join(map(str, first.get("loc", ())))
        raise InvalidInput(f"{where}: {first.get('msg', exc)}") from None
    recipient = liaison().digests.add_recipient(data)
    if json_:
        print_json(recipient)
    else:
        console.print(f"Added recipient {recipient.id}: {recipient.name}.")


@recipients_app.command("list")
def recipients_list(json_: JsonOpt = False) -> None:
    """List digest recipients."""
    found = liaison().digests.recipients()
    if json_:
        print_json(found)
        return
    table = Table("id", "name", "email", "role", "time zone", "channel", "active")
    for r in found:
        table.add_row(
            str(r.id), r.name, r.email, r.role, r.timezone, r.channel, "yes" if r.active else "no"
        )
    console.print(table)


@recipients_app.command("remove")
def recipients_remove(recipient_id: Annotated[int, typer.Argument(help="Recipient id.")]) -> None:
    """Remove a recipient (their delivery history is kept)."""
    gone = liaison().digests.remove_recipient(recipient_id)
    console.print(f"Removed recipient {gone.id}: {gone.name}.")


@recipients_app.command("import")
def recipients_import(
    path: Annotated[Path, typer.Argument(help="YAML file with `recipients:`.")],
) -> None:
    """Create or update recipients (matched by email) from a YAML file."""
    text = read_file(path)
    found = liaison().digests.import_recipients(text)
    console.print(f"Imported {len(found)} recipients.")
