"""The sections that lead each reader's digest, and the terms of the week.

The CIO's digest leads with what marketing needs from IT (requests, work marketing's goals depend
on, data / privacy / security implications, tools taken up without IT); the CMO's with the
delivery status of the tech work campaigns depend on. Functions of a `Composer` that has read
the week (`Composer.compose`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.digest.tracked import milestones_at_risk
from assistant.digest.types import DigestGroup, DigestLine, DigestSection, RecipientIn
from assistant.models import Goal, Item, ItemKind, Meeting, Team

if TYPE_CHECKING:
    from assistant.digest.compose import Composer

IT, MKT = Team.it.value, Team.marketing.value
# Words that flag data, privacy or security implications for IT.
SENSITIVE = re.compile(
    r"\b(consent|gdpr|pii|privacy|personal data|security|secure|access|sso|okta|data|retention|"
    r"dpa|data processing agreement|password|cookies?|tracking)\b",
    re.IGNORECASE,
)


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """Read a field from a dict or an object (glossary and tool flags come from other modules)."""
    for name in names:
        if isinstance(obj, dict) and obj.get(name) is not None:
            return obj[name]
        if not isinstance(obj, dict) and getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def cio_lead(c: Composer, week_items: list[Item], actions: list[Item]) -> DigestSection:
    asked = [c.action_line(i) for i in actions if c.side(i) == IT and c.speaker_side(i) == MKT]
    asked += [
        c.item_line(i, "request", f"parked, raised by {i.evidence[0].speaker}")
        for i in week_items
        if i.kind == ItemKind.parking and c.speaker_side(i) == MKT
    ]
    goal_sides = {g.id: g.side.value for g in c.liaison.goals()}
    depends = [
        c.item_line(i, c._action_tag(i), c._action_detail(i) + f" · goal {i.goal_id}")
        for i in actions
        if c.side(i) == IT
        and c.speaker_side(i) != MKT
        and goal_sides.get(i.goal_id or "") in (MKT, Team.joint.value)
    ]
    sensitive = [
        c.item_line(i, i.kind.value, f"mentions {keywords(c, i)}")
        for i in week_items
        if keywords(c, i)
    ]
    groups = [
        DigestGroup(title="Asked of IT by marketing", lines=asked),
        DigestGroup(title="Marketing goals that depend on IT work", lines=depends),
        DigestGroup(title="Data, privacy and security implications", lines=sensitive),
    ]
    groups.append(DigestGroup(title="Tools adopted outside IT", lines=tools_outside_it(c)))
    return DigestSection(
        key="needs_from_it",
        title="What marketing needs from IT",
        note="Requests to IT, work marketing's goals depend on, and anything touching "
        "customer data, consent, access or security.",
        empty="Marketing asked nothing new of IT this week.",
        groups=groups,
    )


def keywords(c: Composer, item: Item) -> str:
    text = " ".join([item.text, *(e.quote for e in item.evidence)])
    found = sorted({m.group(0).lower() for m in SENSITIVE.finditer(text)})
    return ", ".join(found)


def tools_outside_it(c: Composer) -> list[DigestLine]:
    """Tools taken up without IT (`liaison.tools` flags with an adoption signal). Mere
    mentions (vendors being compared) are left out."""
    lines = []
    for flag in c.liaison.tools.flags(c.start, c.end):
        if _get(flag, "signal", default="adoption") != "adoption":
            continue
        evidence = _get(flag, "evidence", default=[]) or [flag]
        first = next((e for e in evidence if _get(e, "adoption", default=True)), evidence[0])
        meeting_id = _get(first, "meeting_id")
        category = _get(flag, "category", default="")
        lines.append(
            DigestLine(
                text=str(_get(flag, "tool", "name", default="a tool")),
                detail=f"{category} · not on the approved list"
                if category
                else "not on the approved list",
                quote=str(_get(first, "quote", default="")),
                speaker=str(_get(first, "speaker", default="")),
                link=c.link(meeting_id, _get(first, "turn_index")),
                source=c._source(meeting_id),
                tag="adopted",
            )
        )
    return lines


def cmo_lead(c: Composer, known: list[Item], goals: list[Goal]) -> DigestSection:
    it_work = [
        i
        for i in known
        if i.kind == ItemKind.action
        and c.side(i) == IT
        and (c.status(i) == "open" or i.id in c._done)
    ]
    it_work.sort(key=c._action_order)
    stones = [
        line
        for g in goals
        if g.side.value in (IT, Team.joint.value)
        for line in milestones_at_risk(c, g)
    ]
    return DigestSection(
        key="tech_delivery",
        title="Delivery status of the tech work campaigns depend on",
        note="Open IT actions with their due dates, and milestones of joint and IT goals "
        "that are late or due within two weeks.",
        empty="No open IT work and no milestone at risk.",
        groups=[
            DigestGroup(
                title="IT actions",
                lines=[c.action_line(i) for i in it_work],
            ),
            DigestGroup(title="Milestones at risk", lines=stones),
        ],
    )


def terms(c: Composer, meetings: list[Meeting], recipient: RecipientIn) -> DigestSection:
    """Jargon of the week explained for this reader's side."""
    glossary = c.liaison.glossary
    seen: set[str] = set()
    lines = []
    for m in meetings:
        for entry in glossary.detect(m.id):
            term = str(_get(entry, "term", "name", default="")).strip()
            if not term or term.lower() in seen:
                continue
            seen.add(term.lower())
            for_it = str(_get(entry, "explanation_for_it", "for_it", default=""))
            for_mkt = str(_get(entry, "explanation_for_marketing", "for_marketing", default=""))
            explained = {"cio": for_it, "cmo": for_mkt}.get(
                recipient.role, " / ".join(x for x in (for_it, for_mkt) if x)
            )
            turn = _get(entry, "first_turn", "turn_index")
            sense = _get(entry, "sense")
            lines.append(
                DigestLine(
                    text=f"{term} ({sense})" if sense else term,
                    detail=explained or str(_get(entry, "definition", default="")),
                    link=c.link(m.id, turn),
                    source=c._source(m.id),
                )
            )
    return DigestSection(
        key="terms",
        title="Terms used this week",
        note="Explained for IT."
        if recipient.role == "cio"
        else ("Explained for marketing." if recipient.role == "cmo" else ""),
        empty="No glossary terms came up this week.",
        groups=[DigestGroup(lines=lines)],
    )
