"""The recap of one meeting, sent right after it is ingested to its attendees who are recipients.

What the meeting decided (and what that replaced), the actions it gave out with owners and
dates, the snags it parked, and what it did to earlier items (done, moved, settled), each line
linked to its moment. It goes through the digest ledger under the key `recap-{meeting id}`, so
each (meeting, recipient) is sent once however often it is asked for; the channels, retries and
history are the weekly digest's (`service.py`).
"""

from __future__ import annotations

from datetime import timedelta

from assistant.digest.compose import Composer
from assistant.digest.types import Digest, DigestGroup, DigestLine, DigestSection, RecipientIn
from assistant.digest.weeks import fmt_day, week_of
from assistant.models import Item, ItemKind
from assistant.store import asking
from assistant.store import digests as store

PREFIX = "recap-"


def ledger_key(meeting_id: int) -> str:
    return f"{PREFIX}{meeting_id}"


def meeting_of(key: str) -> int | None:
    """The meeting id of a ledger key `recap-N`, None for a weekly digest's week."""
    if key.startswith(PREFIX) and key[len(PREFIX) :].isdigit():
        return int(key[len(PREFIX) :])
    return None


def attends(name: str, attendees: list[str]) -> bool:
    """A recipient is at the meeting when their name is an attendee's (case aside), or their
    first name is an attendee's whole name ("Dana" in a transcript that only has first names)."""
    low = name.strip().casefold()
    names = {a.strip().casefold() for a in attendees}
    return low in names or low.split()[0] in names if low else False


def compose_recap(liaison, meeting_id: int, recipient: RecipientIn) -> Digest:
    """The recap of meeting `meeting_id`, written for `recipient`."""
    meeting = liaison.meeting(meeting_id).meeting
    c = Composer(liaison)
    c.read_week(week_of(meeting.date))
    c.as_of = meeting.date + timedelta(days=1)  # ages and "overdue" as the meeting left them
    mine = sorted(
        (i for i in liaison.items(limit=100_000)[0] if i.meeting_id == meeting_id),
        key=lambda i: i.id,
    )
    conn = liaison.db.connect()
    replaced = store.superseded_by(conn, [i.id for i in mine if i.kind == ItemKind.decision])

    decisions: list[DigestLine] = []
    for d in (i for i in mine if i.kind == ItemKind.decision):
        olds = [liaison.item(old_id) for old_id in replaced.get(d.id, [])]
        detail = "".join(f"switched from “{o.text}” ({fmt_day(c._meeting_day(o))})" for o in olds)
        decisions.append(c.item_line(d, "changed" if olds else "decided", detail))
    actions = [
        c.item_line(a, "", _owner_due(a))
        for a in sorted(
            (i for i in mine if i.kind == ItemKind.action), key=lambda a: (a.owner or "~", a.id)
        )
    ]
    parked = [c.item_line(p, "parked", "") for p in mine if p.kind == ItemKind.parking]
    updates = _updates(c, liaison, meeting_id, conn)
    reader = {"cio": "the CIO", "cmo": "the CMO"}.get(recipient.role, recipient.name)
    day = fmt_day(meeting.date)
    return Digest(
        week=ledger_key(meeting_id),
        start=meeting.date,
        end=meeting.date,
        as_of=c.as_of,
        recipient=RecipientIn.model_validate(recipient.model_dump(exclude={"id"})),
        title=f"Recap of {meeting.title}, {day}, for {reader}",
        subject=f"Liaison recap: {meeting.title} ({day})",
        summary=[
            f"{len(decisions)} decided, {len(actions)} to do, {len(parked)} parked"
            f"{f', {len(updates)} earlier items updated' if updates else ''}."
        ],
        meetings=[c.meeting_line(meeting)],
        sections=[
            DigestSection(
                key="decisions",
                title="Decided",
                empty="No decisions were recorded.",
                groups=[DigestGroup(lines=decisions)],
            ),
            DigestSection(
                key="actions",
                title="To do",
                note="Who does what, and by when.",
                empty="No actions were given out.",
                groups=[DigestGroup(lines=actions)],
            ),
            DigestSection(
                key="parking",
                title="Parked",
                empty="Nothing was parked.",
                groups=[DigestGroup(lines=parked)],
            ),
            DigestSection(
                key="updates",
                title="Earlier items this meeting changed",
                empty="No earlier item was reported done, moved or settled.",
                groups=[DigestGroup(lines=updates)],
            ),
        ],
        empty_week=False,
        kind="recap",
    )


def _owner_due(item: Item) -> str:
    parts = [item.owner or "no owner yet"]
    if item.due:
        parts.append(f"due {fmt_day(item.due)}")
    elif item.due_phrase:
        parts.append(f"“{item.due_phrase}”")
    return " · ".join(parts)


_VERBS = {"done": "done", "dropped": "dropped", "resolved": "settled", "superseded": "replaced"}


def _updates(c: Composer, liaison, meeting_id: int, conn) -> list[DigestLine]:
    meeting = liaison.meeting(meeting_id).meeting
    lines = []
    for item_id, field, _old, new, mid in asking.tracker_changes(conn, meeting.date, meeting.date):
        if mid != meeting_id:
            continue
        item = liaison.item(item_id)
        if field == "due" and new:
            lines.append(c.item_line(item, "moved", f"now due {fmt_day(item.due or meeting.date)}"))
        elif field == "status" and new in _VERBS:
            # the words of this meeting that changed it
            ev = next((e for e in item.status_evidence if e.meeting_id == meeting_id), None)
            lines.append(c.item_line(item, _VERBS[new], "", quoting=ev))
    return lines
