"""Commands `ask`, `glossary` and `tools`: questions across meetings, the IT/marketing
glossary, and shadow-IT detection."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json
from assistant.cli.meetings import JsonOpt, _day

glossary_app = typer.Typer(
    help="IT and marketing terms, each explained for the other side.", no_args_is_help=False
)
tools_app = typer.Typer(help="Approved tools and shadow-IT flags from meetings.")
app.add_typer(glossary_app, name="glossary")
app.add_typer(tools_app, name="tools")


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help='The question, e.g. "What did we decide about the CDP?"')
    ],  # fmt: skip
    today: Annotated[
        str | None, typer.Option(help="Answer as of this date (YYYY-MM-DD); default today.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not use the LLM even if one is configured.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Ask a question across all meetings; every line of the answer cites a numbered source."""
    answer = liaison().asker.ask(question, _day(today, "--today"), offline=offline)
    if json_:
        print_json(answer)
        return
    console.print(answer.answer, highlight=False, markup=False)
    if answer.note:
        console.print(f"\nnote: {answer.note}", style="yellow", highlight=False, markup=False)
    if answer.citations:
        console.print("\nSources:", style="bold")
        for c in answer.citations:
            turns = f"turn {c.turn_start}" + (
                f"-{c.turn_end}" if c.turn_end != c.turn_start else ""
            )
            console.print(
                f'[{c.n}] meeting {c.meeting_id} "{c.title}" {c.date}, {turns},'
                f' {c.speaker or "unknown speaker"}: "{c.quote}"',
                highlight=False,
                markup=False,
            )


@glossary_app.callback(invoke_without_command=True)
def glossary(
    ctx: typer.Context,
    meeting: Annotated[
        int | None, typer.Option(help="Only the terms used in this meeting, with counts.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """List the glossary, or the terms a meeting used (--meeting ID)."""
    if ctx.invoked_subcommand:
        return
    gloss = liaison().glossary
    if meeting is not None:
        uses = gloss.detect(meeting)
        if json_:
            print_json({"meeting_id": meeting, "uses": uses})
            return
        table = Table("term", "sense", "times", "first turn", "for IT", "for marketing")
        for u in uses:
            table.add_row(
                u.term,
                u.sense or "",
                str(u.count),
                str(u.first_turn),
                u.explanation_for_it,
                u.explanation_for_marketing,
            )
        console.print(table)
        console.print(f"{len(uses)} terms used in meeting {meeting}")
        return
    terms = gloss.terms()
    if json_:
        print_json({"terms": terms})
        return
    table = Table("term", "aliases", "for IT", "for marketing", "source")
    for t in terms:
        for_it = t.for_it or "; ".join(f"{s.sense}: {s.for_it}" for s in t.senses)
        for_mkt = t.for_marketing or "; ".join(f"{s.sense}: {s.for_marketing}" for s in t.senses)
        table.add_row(t.term, ", ".join(t.aliases), for_it, for_mkt, t.source)
    console.print(table)
    console.print(f"{len(terms)} terms")


@glossary_app.command("add")
def glossary_add(
    term: Annotated[str, typer.Argument(help="The term, e.g. 'CAC'.")],
    for_it: Annotated[str, typer.Option("--it", help="What it means, explained for IT people.")],
    for_marketing: Annotated[
        str, typer.Option("--marketing", help="What it means, explained for marketing people.")
    ],
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another way to say it (repeatable).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a term (or replace one; yours override the built-in terms)."""
    added = liaison().glossary.add(
        {"term": term, "for_it": for_it, "for_marketing": for_marketing, "aliases": alias or []}
    )
    if json_:
        print_json(added)
        return
    console.print(f"added {added.term}")


@glossary_app.command("remove")
def glossary_remove(term: Annotated[str, typer.Argument(help="A term you added.")]) -> None:
    """Remove a term you added (a built-in term of that name shows again)."""
    liaison().glossary.remove(term)
    console.print(f"removed {term}")


@tools_app.callback(invoke_without_command=True)
def tools(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Meetings from this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Meetings up to this date.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Tools mentioned in meetings that are not approved (shadow IT), strongest signal first."""
    if ctx.invoked_subcommand:
        return
    flags = liaison().tools.flags(_day(since, "--since"), _day(until, "--until"))
    if json_:
        print_json({"flags": flags})
        return
    if not flags:
        console.print("No unapproved tools mentioned.")
        return
    for f in flags:
        console.print(
            f"{f.tool} ({f.category or 'unknown'}): {f.signal}, {f.mentions} mentions in"
            f" {len(f.meetings)} meetings, {f.first_seen} to {f.last_seen}",
            style="bold",
            highlight=False,
            markup=False,
        )
        for e in f.evidence[:3]:
            mark = "adopted" if e.adoption else "mentioned"
            console.print(
                f"  {mark}: {e.title} {e.date}, turn {e.turn_index}, {e.speaker or 'unknown'}:"
                f' "{e.quote}"',
                highlight=False,
                markup=False,
            )


@tools_app.command("approved")
def tools_approved(json_: JsonOpt = False) -> None:
    """List the approved tools."""
    approved = liaison().tools.approved()
    if json_:
        print_json({"approved": approved})
        return
    table = Table("tool", "note", "by")
    for t in approved:
        table.add_row(t.name, t.note, t.author or "")
    console.print(table)


@tools_app.command("approve")
def tools_approve(
    name: Annotated[str, typer.Argument(help="Tool name, e.g. 'Canva'.")],
    note: Annotated[str, typer.Option(help="Why or how it is approved.")] = "",
) -> None:
    """Put a tool on the approved list."""
    tool = liaison().tools.approve(name, note)
    console.print(f"approved {tool.name}")


@tools_app.command("unapprove")
def tools_unapprove(name: Annotated[str, typer.Argument(help="Tool name.")]) -> None:
    """Take a tool off the approved list."""
    liaison().tools.unapprove(name)
    console.print(f"removed {name} from the approved tools")
