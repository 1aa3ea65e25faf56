"""Markdown transcripts (Google Meet / Gemini notes downloaded as .md) as plain text lines.

    # Polygon Protocol Governance Call - 2024/11/21 15:51 GMT    heading: a title, or
    ### 00:01:12                                                  a clock stamping what follows
    **Ana Ruiz:** Good morning.   /   - **Ana Ruiz**: Good morning.   bold names
The text reader does the rest, as for any `Name: text` transcript.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$")
# `**Name:** text`, `**Name**: text`, `__Name:__ text`, optionally as a list item.
_BOLD_LABEL = re.compile(r"^(?:[-*+][ \t]+)?(\*\*|__)([^*_\n]{1,80}?)\1[ \t]*(.*)$")
_LETTERS = re.compile(r"[\W\d_]+")


def plain(line: str) -> tuple[str, bool]:
    """(the line without Markdown markup, whether it was a heading)."""
    stripped = line.strip()
    if stripped[:1] == "#" and (m := _HEADING.match(stripped)):
        return m.group(1).rstrip(" \t#"), True
    bold = stripped[:2] in ("**", "__") or stripped[:4] in ("- **", "* **", "+ **", "- __")
    if bold and (m := _BOLD_LABEL.match(stripped)):
        label, rest = m.group(2).strip(), m.group(3)
        if rest.startswith(":"):
            return f"{label}{rest}", False
        return (f"{label} {rest}" if rest else label), False
    if len(stripped) > 2 and stripped[0] == stripped[-1] and stripped[0] in "*_":
        return stripped.strip(stripped[0]).strip(), False  # a whole line in italics
    return stripped, False


def letters(line: str) -> str:
    """The line's letters only, lower case: `📖 Transcript` → `transcript`."""
    return _LETTERS.sub(" ", line).strip().lower()
