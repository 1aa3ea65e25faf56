"""The project's own surface: README commands exist, settings are documented, prompts render."""

from __future__ import annotations

import re

from typer.main import get_command

from assistant.cli.common import app
from assistant.config import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text()


def test_readme_opens_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_every_liaison_command_in_the_readme_exists():
    group = get_command(app)
    used = re.findall(r"^liaison ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", README, re.M)
    assert used
    for name, sub in used:
        assert name in group.commands, f"README uses `liaison {name}`, which does not exist"
        command = group.commands[name]
        if sub and hasattr(command, "commands") and not sub.startswith("-"):
            assert sub in command.commands, f"README uses `liaison {name} {sub}`"


def test_every_setting_in_the_readme_table_is_real():
    documented = set(re.findall(r"`LIAISON_([A-Z_]+)`", README))
    fields = {name.upper() for name in Settings.model_fields}
    assert documented and documented <= fields, documented - fields
