"""Minutes of one meeting, in Markdown and DOCX: attendees, decisions, actions, parking lot, and
what the meeting changed on earlier items; every line links back to its moment in the web app."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assistant.exports.links import Links
from assistant.models import Item, ItemKind, Meeting

KIND_LABEL = {"weekly_sync": "Weekly sync", "monthly_1on1": "Monthly 1:1", "qbr": "QBR"}
SECTIONS = (
    (ItemKind.decision, "Decisions"),
    (ItemKind.action, "Action items"),
    (ItemKind.parking, "Parking lot"),
)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    """Word documents are XML: control characters (a pasted vertical tab) cannot be in them."""
    return _NOT_XML.sub("", text)


@dataclass
class Line:
    text: str
    detail: str
    link: str


@dataclass
class Minutes:
    meeting: Meeting
    link: str
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)
    changed: list[Line] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.meeting.title} — {self.meeting.date.isoformat()}"


def _detail(item: Item) -> str:
    parts = []
    if item.kind == ItemKind.action:
        parts.append(f"{item.owner or 'owner unknown'} ({item.team.value})")
        if item.due:
            parts.append(f"due {item.due.isoformat()}")
        elif item.due_phrase:
            parts.append(f"due {item.due_phrase}")
    elif item.owner:
        parts.append(item.owner)
    parts.append(item.status)
    return " · ".join(parts)


def build(meeting: Meeting, items: list[Item], changed: list[Item], links: Links) -> Minutes:
    minutes = Minutes(meeting=meeting, link=links.meeting(meeting.id))
    for kind, heading in SECTIONS:
        lines = [Line(i.text, _detail(i), links.said(i)) for i in items if i.kind == kind]
        minutes.sections.append((heading, lines))
    for item in changed:
        cited = [e for e in item.status_evidence if e.meeting_id == meeting.id]
        turn = cited[0].turn_index if cited else None
        minutes.changed.append(
            Line(
                item.text,
                f"{item.kind.value} now {item.status}",
                links.meeting(meeting.id, turn),
            )
        )
    return minutes


def _facts(meeting: Meeting) -> str:
    facts = [KIND_LABEL.get(meeting.kind.value, "Meeting"), f"{meeting.turn_count} turns"]
    if meeting.duration_s:
        facts.append(f"{round(meeting.duration_s / 60)} min")
    if meeting.source_name:
        facts.append(f"from {meeting.source_name}")
    return " · ".join(facts)


def _md(text: str) -> str:
    """Markdown-escape text that goes inside a line (brackets would become links)."""
    for char in "\\[]*_`<>":
        text = text.replace(char, "\\" + char)
    return text


def _md_line(line: Line) -> str:
    return f"- {_md(line.text)} — {_md(line.detail)} ([said here]({line.link}))"


def to_markdown(minutes: Minutes) -> str:
    meeting = minutes.meeting
    out = [
        f"# {_md(minutes.title)}",
        "",
        f"{_facts(meeting)} · [open in Liaison]({minutes.link})",
        "",
        "## Attendees",
        "",
    ]
    out += [f"- {_md(name)}" for name in meeting.attendees] or ["- (no names in the transcript)"]
    for heading, lines in minutes.sections:
        out += ["", f"## {heading}", ""]
        out += [_md_line(ln) for ln in lines]
        if not lines:
            out.append("- none")
    if minutes.changed:
        out += ["", "## Earlier items this meeting changed", ""]
        out += [_md_line(ln) for ln in minutes.changed]
    return "\n".join(out) + "\n"


def _hyperlink(paragraph, url: str, text: str) -> None:
    """python-docx has no API for external links: add the w:hyperlink element by hand."""
    part = paragraph.part
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    props.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def to_docx(minutes: Minutes) -> bytes:
    doc = Document()
    doc.core_properties.title = _safe(minutes.title)
    doc.core_properties.subject = "Meeting minutes"
    doc.add_heading(_safe(minutes.title), level=0)
    facts = doc.add_paragraph(_safe(_facts(minutes.meeting)) + " · ")
    _hyperlink(facts, minutes.link, "open in Liaison")
    doc.add_heading("Attendees", level=1)
    for name in minutes.meeting.attendees or ["(no names in the transcript)"]:
        doc.add_paragraph(_safe(name), style="List Bullet")
    groups = list(minutes.sections)
    if minutes.changed:
        groups.append(("Earlier items this meeting changed", minutes.changed))
    for heading, lines in groups:
        doc.add_heading(heading, level=1)
        if not lines:
            doc.add_paragraph("none", style="List Bullet")
        for line in lines:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(_safe(line.text))
            paragraph.add_run(_safe(f" — {line.detail} (")).italic = True
            _hyperlink(paragraph, line.link, "said here")
            paragraph.add_run(")")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
