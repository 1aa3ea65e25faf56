"""Links back into the web app, built from the `public_url` setting (as digests build them)."""

from __future__ import annotations

from urllib.parse import urlencode

from assistant.models import Item


class Links:
    def __init__(self, public_url: str):
        self.base = public_url.rstrip("/")

    def meeting(self, meeting_id: int, turn: int | None = None) -> str:
        """The meeting's page, at the moment `turn` when given."""
        anchor = f"#t{turn}" if turn is not None else ""
        return f"{self.base}/app/meetings/{meeting_id}{anchor}"

    def item(self, item: Item) -> str:
        """The item's row on the items page (filtered to its meeting, so the row is there)."""
        query = urlencode({"kind": item.kind.value, "meeting": item.meeting_id})
        return f"{self.base}/app/items?{query}#item-{item.id}"

    def said(self, item: Item) -> str:
        """The moment the item was said (its first evidence), else its meeting."""
        turn = item.evidence[0].turn_index if item.evidence else None
        return self.meeting(item.meeting_id, turn)

    @property
    def host(self) -> str:
        """For UIDs: the host part of the public URL ('liaison.example.com')."""
        rest = self.base.split("://", 1)[-1]
        return rest.split("/", 1)[0].split(":", 1)[0] or "liaison"
