"""What a parser read but could not use: collected while parsing, summarised as warnings.

A file with one unreadable cue among hundreds is kept; the reader is told what was left out
("1 cue skipped at line 6 (unreadable timing '0:0:-6.-820 --> 0:0:1.000')") on the upload
result and on the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_SHOWN_PLACES = 5


@dataclass
class _Kind:
    singular: str
    plural: str
    reason: str
    places: list[str] = field(default_factory=list)
    example: str = ""


class ParseReport:
    """Problems grouped by kind: `add("cue skipped", "cues skipped", "unreadable timing", …)`.

    A reason may place the first example itself with `{example}`; else it follows the reason.
    """

    def __init__(self) -> None:
        self._kinds: dict[tuple[str, str], _Kind] = {}
        self.notes: list[str] = []  # free-standing warnings ("no speaker names in this file")

    def add(
        self,
        singular: str,
        plural: str,
        reason: str,
        *,
        line: int | None = None,
        where: str | None = None,
        example: str = "",
    ) -> None:
        """Record one problem at a line (or a place such as `segments[3]` in a JSON file)."""
        kind = self._kinds.setdefault((singular, reason), _Kind(singular, plural, reason))
        kind.places.append(str(line) if line is not None else (where or "?"))
        if example and not kind.example:
            kind.example = example[:80]

    def count(self, singular: str | None = None) -> int:
        """How many problems were recorded (of one kind, when `singular` is given)."""
        return sum(len(k.places) for k in self._kinds.values() if singular in (None, k.singular))

    def first_line(self) -> int | None:
        """The first line recorded, for an error when too much of the file is unreadable."""
        lines = [int(p) for k in self._kinds.values() for p in k.places if p.isdigit()]
        return min(lines) if lines else None

    def warnings(self) -> list[str]:
        out = []
        for kind in self._kinds.values():
            n = len(kind.places)
            numeric = all(p.isdigit() for p in kind.places)
            shown = ", ".join(kind.places[:_SHOWN_PLACES])
            if n > _SHOWN_PLACES:
                shown += f" and {n - _SHOWN_PLACES} more"
            if numeric:
                where = f"at line {shown}" if n == 1 else f"at lines {shown}"
            else:
                where = f"in {shown}"
            example = f"{'e.g. ' if n > 1 else ''}{kind.example!r}" if kind.example else ""
            if "{example}" in kind.reason:
                reason = kind.reason.format(example=example).strip(" :")
            elif example:
                reason = f"{kind.reason}{',' if n > 1 else ''} {example}"
            else:
                reason = kind.reason
            noun = kind.singular if n == 1 else kind.plural
            out.append(f"{n} {noun} {where} ({reason})")
        return out + self.notes
