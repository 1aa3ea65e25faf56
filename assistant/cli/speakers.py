"""Commands on speaker names: list a meeting's speakers, rename one (undoable), aliases."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json, progress_bar
from assistant.cli.meetings import JsonOpt
from assistant.speakers import parse_turns

speakers_app = typer.Typer(
    help="Speaker names: rename 'Speaker 2' to 'Raj Mehta' in a meeting (owners, teams, "
    "attendees and search follow; undoable), and aliases that make two spellings one person.",
    no_args_is_help=True,
)
app.add_typer(speakers_app, name="speakers")

MeetingArg = Annotated[int, typer.Argument(min=1, help="Meeting id (see `liaison meetings`).")]


@speakers_app.command("list")
def speakers_list(meeting: MeetingArg, json_: JsonOpt = False) -> None:
    """A meeting's speakers, which need a name, and the renames so far.

    Each speaker with their number of turns; placeholders ('Speaker 2', no name) are marked."""
    found = liaison().meeting_speakers(meeting)
    if json_:
        print_json(found)
        return
    table = Table("speaker", "turns", "note")
    for speaker in found.speakers:
        note = "needs a name" if speaker.name in found.unnamed else ""
        table.add_row(speaker.name or "(no name)", str(speaker.turns), note)
    console.print(table)
    for r in found.renames:
        undone = " [undone]" if r.undone else ""
        console.print(
            f"  rename {r.id}: {r.old_name or '(no name)'} → {r.new_name},"
            f" {len(r.turns)} turn(s), by {r.author or 'a person'} at {r.created_at}{undone}",
            highlight=False,
        )


@speakers_app.command("rename")
def speakers_rename(
    meeting: MeetingArg,
    speaker: Annotated[
        str, typer.Argument(help="The speaker as the meeting shows it; '-' for turns with no name.")
    ],
    name: Annotated[str, typer.Argument(help="Their name, e.g. 'Raj Mehta'.")],
    turns: Annotated[
        str | None,
        typer.Option(help="Only these turns (numbers as `liaison show` prints), e.g. 3,5-9."),
    ] = None,
    alias: Annotated[
        bool | None,
        typer.Option(
            "--alias/--no-alias",
            help="Keep SPEAKER as another spelling of NAME for later transcripts (default: yes "
            "for a real name renamed everywhere in the meeting, no for 'Speaker 2' and the like).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Rename a speaker in one meeting (undo with `liaison speakers undo`).

    Turns, attendees, search (--speaker) and the owners and teams of items not corrected by
    hand follow.  Example: liaison speakers rename 3 "Speaker 2" "Raj Mehta"."""
    with progress_bar(not json_) as bar:
        result = liaison().rename_speaker(
            meeting, speaker, name, turns=parse_turns(turns), alias=alias, progress=bar
        )
    if json_:
        print_json(result)
        return
    r = result.rename
    console.print(
        f"Meeting {meeting}: {r.old_name or '(no name)'} → {r.new_name} in {result.turns}"
        f" turn(s); {result.items} item(s) and {result.chunks} search chunk(s) changed.",
        highlight=False,
    )
    if result.alias:
        console.print(
            f"Alias kept: later transcripts' {result.alias.alias!r} is {result.alias.name}.",
            highlight=False,
        )
    console.print(f"Undo with: liaison speakers undo {meeting}", highlight=False)


@speakers_app.command("undo")
def speakers_undo(meeting: MeetingArg, json_: JsonOpt = False) -> None:
    """Undo the meeting's last rename: everything it changed goes back."""
    with progress_bar(not json_) as bar:
        undone = liaison().undo_rename(meeting, progress=bar)
    if json_:
        print_json(undone)
        return
    console.print(
        f"Meeting {meeting}: {undone.new_name} is {undone.old_name or '(no name)'} again"
        f" ({len(undone.turns)} turn(s)).",
        highlight=False,
    )


@speakers_app.command("aliases")
def speakers_aliases(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Page size.")] = 200,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """Other spellings of people's names, applied to later transcripts."""
    found, total = liaison().speaker_aliases(limit, (page - 1) * limit)
    if json_:
        print_json({"total": total, "page": page, "aliases": found})
        return
    table = Table("alias", "name", "by", "since")
    for a in found:
        table.add_row(a.alias, a.name, a.author or "-", a.created_at)
    console.print(table)
    console.print(f"{len(found)} of {total} aliases (page {page})")


@speakers_app.command("alias")
def speakers_alias(
    alias: Annotated[str, typer.Argument(help="Another spelling, e.g. 'Dana C.'.")],
    name: Annotated[str, typer.Argument(help="The person's name, e.g. 'Dana Cole'.")],
    apply: Annotated[
        bool,
        typer.Option("--apply/--no-apply", help="Also rename it in the meetings stored so far."),
    ] = True,
    json_: JsonOpt = False,
) -> None:
    """Make ALIAS another spelling of NAME, here and in later transcripts.

    Every stored meeting where ALIAS speaks is renamed (each undoable with `liaison speakers
    undo`); later transcripts get NAME."""
    with progress_bar(not json_) as bar:
        result = liaison().set_speaker_alias(alias, name, apply=apply, progress=bar)
    if json_:
        print_json(result)
        return
    ids = ", ".join(str(r.meeting.id) for r in result.renamed) or "none"
    console.print(
        f"{result.alias.alias!r} is {result.alias.name}. Meetings renamed: {ids}.",
        highlight=False,
    )


@speakers_app.command("unalias")
def speakers_unalias(alias: Annotated[str, typer.Argument(help="The alias to forget.")]) -> None:
    """Forget an alias (meetings already renamed keep their names)."""
    liaison().remove_speaker_alias(alias)
    console.print(f"Forgot the alias {alias!r}.", highlight=False)
