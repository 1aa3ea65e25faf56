"""Prompt files: `prompts/<name>.md`, versioned in the name (`extract_v1`), rendered strictly.

A prompt may hold a system part and a user part separated by a line ``---user---``;
`messages()` turns it into chat messages. Rendering uses Jinja2 with `StrictUndefined`, so a
variable the caller forgot raises `jinja2.UndefinedError` instead of silently rendering empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from assistant.errors import ConfigError

USER_MARKER = "---user---"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def default_prompts_dir() -> Path:
    """`prompts/` at the repository root (also right for an editable install)."""
    return Path(__file__).resolve().parents[1] / "prompts"


class PromptLibrary:
    """The prompt files of one directory."""

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory is not None else default_prompts_dir()
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.directory)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # prompts are plain text, not HTML
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def names(self) -> list[str]:
        """Names of the available prompts, e.g. ``["answer_v1", "extract_v1"]``."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.md") if _NAME.match(p.stem))

    def render(self, name: str, /, **variables: object) -> str:
        """Render prompt `name` with `variables`; a missing variable raises."""
        if not _NAME.match(name) or not (self.directory / f"{name}.md").is_file():
            raise ConfigError(f"prompt {name!r} not found in {self.directory}")
        return self._env.get_template(f"{name}.md").render(**variables).strip() + "\n"

    def messages(self, name: str, /, **variables: object) -> list[dict[str, str]]:
        """Render prompt `name` as chat messages (system part, then user part if marked)."""
        text = self.render(name, **variables)
        system, marker, user = text.partition(f"\n{USER_MARKER}\n")
        if not marker:
            return [{"role": "user", "content": text.strip()}]
        return [
            {"role": "system", "content": system.strip()},
            {"role": "user", "content": user.strip()},
        ]


def render(name: str, /, **variables: object) -> str:
    """Render `prompts/<name>.md` with `variables` (strict: a missing one raises).

    For prompts in another directory use `PromptLibrary(directory).render(...)`.
    """
    return PromptLibrary().render(name, **variables)


def list_prompts(directory: Path | str | None = None) -> list[str]:
    """Names of the prompt files available."""
    return PromptLibrary(directory).names()
