"""Commands on outgoing webhooks: endpoints, the delivery log, a test, delivering now."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json
from assistant.cli.meetings import JsonOpt

webhooks_app = typer.Typer(
    help="Outgoing webhooks: signed JSON events (meeting stored, item created / changed,"
    " digest sent) or Slack Block Kit messages.",
    no_args_is_help=True,
)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="http(s) address that receives the POSTs.")],
    format_: Annotated[str, typer.Option("--format", help="liaison or slack.")] = "liaison",
    event: Annotated[
        list[str] | None, typer.Option("--event", help="Only this event (repeat); default all.")
    ] = None,
    label: Annotated[str, typer.Option(help="A note, e.g. 'ops channel'.")] = "",
    json_: JsonOpt = False,
) -> None:
    """Add an endpoint; prints its signing secret once."""
    created = liaison().webhooks.add_endpoint(url, format_, event or [], label)
    if json_:
        print_json(created)
        return
    console.print(f"Endpoint {created.id} added. Signing secret (shown once):", highlight=False)
    typer.echo(created.secret)


@webhooks_app.command("list")
def webhooks_list(json_: JsonOpt = False) -> None:
    """The endpoints."""
    found = liaison().webhooks.endpoints()
    if json_:
        print_json(found)
        return
    table = Table("id", "url", "format", "events", "active", "label")
    for e in found:
        table.add_row(
            str(e.id), e.url, e.format, ", ".join(e.events) or "all", str(e.active), e.label
        )
    console.print(table)


@webhooks_app.command("log")
def webhooks_log(
    endpoint_id: Annotated[int, typer.Argument(help="Endpoint id (see `liaison webhooks list`).")],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Page size.")] = 50,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """An endpoint's deliveries, newest first."""
    found, total = liaison().webhooks.log(endpoint_id, limit, (page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "deliveries": found})
        return
    table = Table("id", "event", "status", "tries", "answer", "next try", "created")
    for d in found:
        answer = d.last_error or (str(d.last_status) if d.last_status else "")
        table.add_row(
            str(d.id),
            d.event,
            "gave up" if d.gave_up else d.status,
            str(d.attempts),
            answer,
            str(d.next_attempt_at or ""),
            str(d.created_at),
        )
    console.print(table)
    console.print(f"{total} deliveries", highlight=False)


@webhooks_app.command("test")
def webhooks_test(
    endpoint_id: Annotated[int, typer.Argument(help="Endpoint id.")],
) -> None:
    """Send a webhook.test event now and say how it went."""
    result = liaison().webhooks.send_test(endpoint_id)
    if result.status == "delivered":
        console.print(f"Delivered (HTTP {result.last_status}).")
        return
    console.print(f"[red]Failed:[/red] {result.last_error}", highlight=False)
    raise typer.Exit(1)


@webhooks_app.command("deliver")
def webhooks_deliver(json_: JsonOpt = False) -> None:
    """Deliver every queued event that is due now (what `liaison serve` does by itself)."""
    done = liaison().webhooks.run_once()
    if json_:
        print_json(done)
        return
    delivered = sum(1 for d in done if d.status == "delivered")
    console.print(f"{delivered} delivered, {len(done) - delivered} failed (retried later).")


@webhooks_app.command("retry")
def webhooks_retry(
    delivery_id: Annotated[int, typer.Argument(help="Delivery id (see `liaison webhooks log`).")],
) -> None:
    """Try one delivery again now, even one that gave up."""
    result = liaison().webhooks.retry(delivery_id)
    console.print(f"{result.status} after {result.attempts} attempt(s).")


@webhooks_app.command("remove")
def webhooks_remove(
    endpoint_id: Annotated[int, typer.Argument(help="Endpoint id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove an endpoint with its delivery log."""
    hooks = liaison().webhooks
    endpoint = hooks.endpoint(endpoint_id)
    if not yes and not typer.confirm(f"Remove webhook {endpoint.id} ({endpoint.url})?"):
        raise typer.Abort()
    hooks.remove_endpoint(endpoint_id)
    console.print(f"Removed endpoint {endpoint_id}.")
