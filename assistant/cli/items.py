"""Commands on extracted items, the parking lot and the shared goals."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json, read_file
from assistant.cli.meetings import JsonOpt, _day
from assistant.errors import InvalidInput
from assistant.kpi_readings import kpi_history
from assistant.models import KPI, Goal, Item, ItemKind, Milestone, Team
from assistant.store.items import ItemFilters
from assistant.yamlio import first_error


def _item_table(items: list[Item], extra: dict[int, str] | None = None) -> Table:
    table = Table(expand=True)
    for name in ("id", "kind", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("text", ratio=4, min_width=30)
    for name in ("owner", "team", "due", "goal", "meeting"):
        table.add_column(name, ratio=1)
    if extra is not None:
        table.add_column("age (days)")
    for item in items:
        row = [
            str(item.id),
            item.kind.value,
            item.status,
            item.text,
            item.owner or "-",
            item.team.value,
            str(item.due or "-"),
            item.goal_id or "-",
            str(item.meeting_id),
        ]
        if extra is not None:
            row.append(extra.get(item.id, ""))
        table.add_row(*row)
    return table


@app.command()
def items(
    meeting: Annotated[int | None, typer.Option(help="Only this meeting id.")] = None,
    kind: Annotated[ItemKind | None, typer.Option(help="decision, action or parking.")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. open, done, parked, superseded.")] = None,
    goal: Annotated[str | None, typer.Option(help="Only items linked to this goal id.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only items owned by this person.")] = None,
    team: Annotated[Team | None, typer.Option(help="IT, Marketing, Joint or unknown.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past due.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Page size.")] = 200,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """List decisions, action items and parking-lot snags."""
    filters = ItemFilters(
        meeting_id=meeting,
        kind=kind,
        status=status,
        goal_id=goal,
        owner=owner,
        team=team,
        overdue_on=date.today() if overdue else None,
    )
    found, total = liaison().items(filters, limit=limit, offset=(page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "items": found})
        return
    console.print(_item_table(found))
    console.print(f"{len(found)} of {total} items (page {page})")


@app.command("item")
def show_item(
    item_id: Annotated[int, typer.Argument(help="Item id.")], json_: JsonOpt = False
) -> None:
    """Show one item with the words it rests on and its history (corrections, and what later
    meetings said: done, revisited, resolved, superseded, a date moved)."""
    item = liaison().item(item_id)
    if json_:
        print_json(item)
        return
    console.print(_item_table([item]))
    for ev in item.evidence:
        console.print(f"  turn {ev.turn_index} {ev.speaker or '?'}: “{ev.quote}”", highlight=False)
    if item.due_phrase:
        console.print(f"  due as said: “{item.due_phrase}”", highlight=False)
    for event in liaison().item_history(item_id):
        who = "a later meeting" if event.source == "tracker" else (event.author or "a person")
        where = f" (meeting {event.meeting_id})" if event.meeting_id else ""
        undone = " [undone]" if event.undone else ""
        console.print(
            f"  {event.field}: {event.old_value or '—'} → {event.new_value or '—'},"
            f" by {who}{where}{undone}",
            highlight=False,
        )
        for ev in event.evidence[:1]:
            console.print(
                f"    turn {ev.turn_index} {ev.speaker or '?'}: “{ev.quote}”", highlight=False
            )


@app.command("edit")
def edit_item(
    item_id: Annotated[int, typer.Argument(help="Item id.")],
    status: Annotated[str | None, typer.Option(help="New status.")] = None,
    owner: Annotated[str | None, typer.Option(help="New owner ('' to clear).")] = None,
    team: Annotated[Team | None, typer.Option(help="New team.")] = None,
    due: Annotated[str | None, typer.Option(help="New due date YYYY-MM-DD ('' to clear).")] = None,
    goal: Annotated[str | None, typer.Option(help="New goal id ('' to clear).")] = None,
    text: Annotated[str | None, typer.Option(help="New text.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Correct an item. Corrections are kept when the meeting is extracted again."""
    changes: dict = {}
    if status is not None:
        changes["status"] = status
    if owner is not None:
        changes["owner"] = owner or None
    if team is not None:
        changes["team"] = team
    if due is not None:
        changes["due"] = _day(due, "--due") if due else None
    if goal is not None:
        changes["goal_id"] = goal or None
    if text is not None:
        changes["text"] = text
    if not changes:
        raise InvalidInput(
            "nothing to change: give at least one of --status --owner --team --due --goal --text"
        )
    item = liaison().update_item(item_id, changes)
    if json_:
        print_json(item)
    else:
        console.print(_item_table([item]))


@app.command("undo")
def undo_item(item_id: Annotated[int, typer.Argument(help="Item id.")]) -> None:
    """Undo the last correction made to an item."""
    item = liaison().undo_item(item_id)
    console.print(_item_table([item]))


@app.command("parking-lot")
def parking_lot(json_: JsonOpt = False) -> None:
    """The open parking lot (parked or revisited snags), oldest first, with ages."""
    pairs = liaison().parking_lot()
    if json_:
        print_json([{**i.model_dump(mode="json"), "age_days": age} for i, age in pairs])
        return
    if not pairs:
        console.print("The parking lot is empty.")
        return
    console.print(_item_table([i for i, _ in pairs], {i.id: str(age) for i, age in pairs}))


@app.command()
def extract(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id.")],
    with_: Annotated[
        str | None, typer.Option("--with", help="'offline' or 'llm' (default: the settings).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Extract a stored meeting's items again (corrected items are kept)."""
    from assistant.cli.common import settings
    from assistant.extract.factory import make_extractor

    if with_ not in (None, "offline", "llm"):
        raise InvalidInput("--with must be 'offline' or 'llm'")
    service = liaison()
    extractor = make_extractor(settings(), service.embedder, with_) if with_ else None
    found = service.extract(meeting_id, extractor)
    if json_:
        print_json(found)
        return
    console.print(_item_table(found))
    note = service.meeting(meeting_id).meeting.extraction_note
    if note:
        console.print(f"[yellow]{note}[/yellow]")


goals_app = typer.Typer(
    help="The shared goals: list, import from YAML, add, edit.", no_args_is_help=True
)
app.add_typer(goals_app, name="goals")


@goals_app.command("list")
def goals_list(json_: JsonOpt = False) -> None:
    """List the shared goals with KPIs and milestones."""
    goals = liaison().goals()
    if json_:
        print_json(goals)
        return
    table = Table("id", "side", "title", "KPIs", "milestones")
    for g in goals:
        kpis = "; ".join(f"{k.name} {k.current}/{k.target}{k.unit}" for k in g.kpis)
        stones = "; ".join(
            f"{'✓' if m.done else '·'} {m.title} {m.date or ''}" for m in g.milestones
        )
        table.add_row(g.id, g.side.value, g.title, kpis, stones)
    console.print(table)


@goals_app.command("import")
def goals_import(path: Annotated[Path, typer.Argument(help="YAML file with `goals:`.")]) -> None:
    """Create or update goals from a YAML file."""
    text = read_file(path)
    goals = liaison().import_goals(text, _who())
    console.print(f"Imported {len(goals)} goals: {', '.join(g.id for g in goals)}")


@goals_app.command("add")
def goals_add(
    goal_id: Annotated[str, typer.Argument(help="Short id, e.g. cdp-live.")],
    title: Annotated[str, typer.Option(help="Title.")],
    description: Annotated[str, typer.Option(help="Description.")] = "",
    side: Annotated[Team, typer.Option(help="IT, Marketing or Joint.")] = Team.joint,
    kpi: Annotated[
        list[str] | None, typer.Option(help="KPI as 'name:unit:target:current' (repeatable).")
    ] = None,
    milestone: Annotated[
        list[str] | None, typer.Option(help="Milestone as 'title:YYYY-MM-DD' (repeatable).")
    ] = None,
) -> None:
    """Add (or replace) a goal."""
    kpis = []
    for spec in kpi or []:
        name, unit, target, current = (spec.split(":") + ["", "", "", ""])[:4]
        try:
            kpis.append(
                KPI(
                    name=name,
                    unit=unit,
                    target=float(target) if target else None,
                    current=float(current) if current else None,
                )
            )
        except ValidationError as exc:
            raise InvalidInput(f"--kpi {spec!r}: {first_error(exc)}") from None
        except ValueError:
            raise InvalidInput(f"--kpi {spec!r}: target and current must be numbers") from None
    stones = []
    for spec in milestone or []:
        title_, _, when = spec.rpartition(":") if ":" in spec else (spec, "", "")
        stones.append(
            Milestone(title=title_ or spec, date=_day(when, "--milestone") if when else None)
        )
    goal = Goal(
        id=goal_id, title=title, description=description, side=side, kpis=kpis, milestones=stones
    )
    liaison().save_goal(goal, _who())
    console.print(f"Saved goal {goal_id}.")


@goals_app.command("edit")
def goals_edit(
    goal_id: Annotated[str, typer.Argument(help="Goal id.")],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    side: Annotated[Team | None, typer.Option(help="New side.")] = None,
    kpi_current: Annotated[
        list[str] | None, typer.Option(help="Update a KPI's current value: 'name=value'.")
    ] = None,
    milestone_done: Annotated[list[str] | None, typer.Option(help="Mark a milestone done.")] = None,
) -> None:
    """Edit a goal: title, description, side, KPI values, milestones done."""
    service = liaison()
    goal = service.goal(goal_id)
    changes: dict = {}
    if title is not None:
        changes["title"] = title
    if description is not None:
        changes["description"] = description
    if side is not None:
        changes["side"] = side
    if kpi_current:
        kpis = [k.model_copy() for k in goal.kpis]
        for spec in kpi_current:
            name, _, value = spec.partition("=")
            match = [k for k in kpis if k.name.lower() == name.strip().lower()]
            if not match:
                raise InvalidInput(f"goal {goal_id} has no KPI named {name!r}")
            try:
                match[0].current = float(value)
            except ValueError:
                raise InvalidInput(f"--kpi-current {spec!r}: value must be a number") from None
        changes["kpis"] = kpis
    if milestone_done:
        stones = [m.model_copy() for m in goal.milestones]
        for name in milestone_done:
            match = [m for m in stones if m.title.lower() == name.lower()]
            if not match:
                raise InvalidInput(f"goal {goal_id} has no milestone named {name!r}")
            match[0].done = True
        changes["milestones"] = stones
    service.update_goal(goal_id, changes, _who())
    console.print(f"Updated goal {goal_id}.")


@goals_app.command("history")
def goals_history(
    goal_id: Annotated[str, typer.Argument(help="Goal id.")], json_: JsonOpt = False
) -> None:
    """Every value the goal's KPIs took, oldest first: from goal imports, edits (by whom) and
    meetings (with the words said)."""
    readings = kpi_history(liaison(), goal_id)
    if json_:
        print_json(readings)
        return
    if not readings:
        console.print(f"No KPI readings for goal {goal_id} yet.")
        return
    table = Table("when", "KPI", "value", "from", "words")
    for r in readings:
        value = "–" if r.value is None else f"{r.value:g}{' ' + r.unit if r.unit else ''}"
        if r.source == "meeting":
            where = f"said in {r.meeting_title or 'meeting'} (meeting {r.meeting_id})"
            words = f"{r.speaker or '?'}: “{r.quote}”"
        else:
            where, words = f"{r.source} by {r.author or 'someone'}", ""
        table.add_row(r.at.date().isoformat(), r.kpi, value, where, words)
    console.print(table)


def _who() -> str | None:
    """Who runs the command: the login name, kept with the KPI values it changes."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
