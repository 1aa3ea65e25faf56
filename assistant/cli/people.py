"""Commands on the people directory: who is on which side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import app, console, liaison, print_json, read_file
from assistant.cli.meetings import JsonOpt
from assistant.models import Person, Team

people_app = typer.Typer(
    help="Who is on which side (IT, Marketing, Joint): gives items the right team.",
    no_args_is_help=True,
)
app.add_typer(people_app, name="people")


@people_app.command("list")
def people_list(json_: JsonOpt = False) -> None:
    """List the people directory."""
    people = liaison().people()
    if json_:
        print_json(people)
        return
    table = Table("name", "team", "title")
    for person in people:
        table.add_row(person.name, person.team.value, person.title)
    console.print(table)


@people_app.command("set")
def people_set(
    name: Annotated[str, typer.Argument(help="Full name as it appears in transcripts.")],
    team: Annotated[Team, typer.Option(help="IT, Marketing, Joint or unknown.")],
    title: Annotated[str, typer.Option(help="Job title, e.g. 'Marketing ops lead'.")] = "",
) -> None:
    """Add someone or change their side; their items (not corrected by hand) follow."""
    changed = liaison().save_person(Person(name=name, team=team, title=title))
    console.print(f"{name}: {team.value}. {changed} item(s) changed team.")


@people_app.command("remove")
def people_remove(name: Annotated[str, typer.Argument(help="Full name.")]) -> None:
    """Remove someone from the directory (their items keep their team)."""
    liaison().remove_person(name)
    console.print(f"Removed {name}.")


@people_app.command("import")
def people_import(path: Annotated[Path, typer.Argument(help="YAML file with `people:`.")]) -> None:
    """Add or update people from a YAML file."""
    text = read_file(path)
    people = liaison().import_people(text)
    console.print(f"Imported {len(people)} people.")
