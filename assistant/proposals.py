"""Proposals: changes to items that an assistant (over MCP) or a script asks for, and that a
member approves or rejects. Nothing changes until then; an approved proposal is applied as a
correction by its approver (so `undo` reverts it), and the item's history keeps the proposal,
the decision and the change.

    propose(item, {status|owner|due: value}) → pending ─┬─ approve → applied (update_item)
                                                       └─ reject  → nothing changes
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from assistant.errors import Conflict, InvalidInput
from assistant.models import STATUSES, Item
from assistant.store import items as item_store
from assistant.store import proposals as q

if TYPE_CHECKING:
    from assistant.service import Liaison

PROPOSABLE = ("status", "owner", "due")
MAX_NOTE = 2000


class Proposal(BaseModel):
    """A change waiting for (or given) a member's decision. Values are as stored: text, dates
    as YYYY-MM-DD, null for "clear it"."""

    id: int
    item_id: int
    changes: dict[str, str | None] = Field(description="Field → proposed value.")
    before: dict[str, str | None] = Field(description="Field → its value when proposed.")
    note: str = ""
    proposed_by: str
    via: str = Field(description="mcp, api")
    status: Literal["pending", "approved", "rejected"]
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str = ""
    created_at: datetime
    summary: str = Field(description="The change in words, e.g. 'status: open → done'.")


def _proposal(row: sqlite3.Row) -> Proposal:
    changes = json.loads(row["changes"])
    before = json.loads(row["before"])
    summary = "; ".join(
        f"{field}: {before.get(field) or '—'} → {value or '—'}" for field, value in changes.items()
    )
    return Proposal(
        id=row["id"],
        item_id=row["item_id"],
        changes=changes,
        before=before,
        note=row["note"],
        proposed_by=row["proposed_by"],
        via=row["via"],
        status=row["status"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        reason=row["reason"],
        created_at=row["created_at"],
        summary=summary,
    )


def _stored(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Proposals:
    """Propose, list, approve and reject changes to items (through `Liaison`)."""

    def __init__(self, liaison: Liaison):
        self.liaison = liaison
        self.db = liaison.db

    def _clean(self, item: Item, changes: dict) -> dict[str, str | None]:
        """The proposed changes as stored values, checked as a correction would be."""
        if not changes:
            raise InvalidInput(f"nothing proposed: give at least one of {', '.join(PROPOSABLE)}")
        if unknown := sorted(set(changes) - set(PROPOSABLE)):
            raise InvalidInput(
                f"cannot propose a change of {', '.join(unknown)}; proposals change "
                + ", ".join(PROPOSABLE)
            )
        clean: dict[str, str | None] = {}
        for field, value in changes.items():
            if field == "status":
                if value not in STATUSES[item.kind]:
                    article = "an" if item.kind.value[0] in "aeiou" else "a"
                    raise InvalidInput(
                        f"item {item.id} is {article} {item.kind.value}: its status can be "
                        + ", ".join(STATUSES[item.kind])
                    )
                clean[field] = value
            elif field == "owner":
                clean[field] = (str(value).strip() or None) if value is not None else None
            else:  # due
                if isinstance(value, str) and value.strip():
                    try:
                        value = date.fromisoformat(value.strip())
                    except ValueError:
                        raise InvalidInput(
                            f"due date {value!r}: use YYYY-MM-DD (e.g. 2026-11-20)"
                        ) from None
                clean[field] = _stored(value or None)
        return clean

    def propose(
        self, item_id: int, changes: dict, *, author: str, note: str = "", via: str = "mcp"
    ) -> Proposal:
        """A pending proposal; the item does not change. Refused when it would change nothing,
        or when the same change is already waiting."""
        note = (note or "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"the note is longer than {MAX_NOTE} characters")
        with self.db.transaction() as tx:
            item = item_store.get_item(tx, item_id)
            clean = self._clean(item, changes)
            before = {field: _stored(getattr(item, field)) for field in clean}
            if clean == before:
                raise InvalidInput(f"item {item_id} already has that: nothing to propose")
            if existing := q.find_pending(tx, item_id, clean):
                raise Conflict(
                    f"proposal {existing} already proposes this change to item {item_id}"
                )
            proposal_id = q.insert(tx, item_id, clean, before, note=note, author=author, via=via)
            return _proposal(q.get(tx, proposal_id))

    def get(self, proposal_id: int) -> Proposal:
        return _proposal(q.get(self.db.connect(), proposal_id))

    def page(
        self,
        status: str | None = None,
        item_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Proposal], int]:
        """Proposals, newest first."""
        if status is not None and status not in q.STATUSES:
            raise InvalidInput(f"status must be one of: {', '.join(q.STATUSES)}")
        rows, total = q.page(
            self.db.connect(), status=status, item_id=item_id, limit=limit, offset=offset
        )
        return [_proposal(r) for r in rows], total

    def _pending(self, tx: sqlite3.Connection, proposal_id: int) -> Proposal:
        proposal = _proposal(q.get(tx, proposal_id))
        if proposal.status != "pending":
            raise Conflict(
                f"proposal {proposal_id} was already {proposal.status} by {proposal.decided_by}"
            )
        return proposal

    def approve(self, proposal_id: int, *, by: str, reason: str = "") -> tuple[Proposal, Item]:
        """Apply the proposal as `by`'s correction (undoable) and record the approval."""
        with self.db.transaction() as tx:
            proposal = self._pending(tx, proposal_id)
            item = item_store.get_item(tx, proposal.item_id)
            # Someone changed the item since: approving would silently undo their change.
            if moved := [
                f"{field} is now {_stored(getattr(item, field)) or 'empty'}"
                for field, value in proposal.before.items()
                if _stored(getattr(item, field)) != value
            ]:
                raise Conflict(
                    f"item {item.id} changed since proposal {proposal_id} ({'; '.join(moved)}):"
                    " reject it, and propose again if it still applies"
                )
            changes: dict = dict(proposal.changes)
            if changes.get("due"):
                changes["due"] = date.fromisoformat(changes["due"])
            mark = q.last_edit_id(tx)
            item = self.liaison.update_item(proposal.item_id, changes, author=by)
            q.decide(tx, proposal_id, "approved", by=by, reason=reason.strip(), applied_after=mark)
            return _proposal(q.get(tx, proposal_id)), item

    def reject(self, proposal_id: int, *, by: str, reason: str = "") -> Proposal:
        """Record the rejection; the item stays as it is."""
        with self.db.transaction() as tx:
            self._pending(tx, proposal_id)
            q.decide(tx, proposal_id, "rejected", by=by, reason=reason.strip())
            return _proposal(q.get(tx, proposal_id))
