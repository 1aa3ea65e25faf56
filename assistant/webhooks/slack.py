"""Block Kit messages for Slack incoming webhooks, one per event.

Digests reuse the digest package's own Slack rendering (`slack_payload`: one section per
digest section); a stored meeting's recap is its minutes (assistant/exports/minutes.py) in the
same shape, so a Slack channel reads both the same way.
"""

from __future__ import annotations

from assistant.digest.deliver import slack_payload


def _ref_line(ref: dict) -> str:
    who = f" — {ref['owner']}" if ref.get("owner") else ""
    due = f", due {ref['due']}" if ref.get("due") else ""
    return f"- {ref['text']}{who}{due} ([open]({ref['link']}))"


def message(body: dict, recap_markdown: str | None = None) -> dict:
    """The Slack message for an event body (the envelope Liaison signs for other receivers)."""
    kind, data = body["type"], body["data"]
    if kind == "digest.sent":
        return slack_payload(data["subject"], data["markdown"])
    if kind == "meeting.stored":
        meeting = data["meeting"]
        subject = f"Meeting recap: {meeting['title']} ({meeting['date']})"
        if recap_markdown is None:
            recap_markdown = "\n".join(
                [f"## Items ([meeting]({data['link']}))"] + [_ref_line(r) for r in data["items"]]
            )
        return slack_payload(subject, recap_markdown)
    if kind in ("item.created", "item.changed"):
        item = data["item"]
        ref = {**item, "link": data["link"]}
        if kind == "item.created":
            subject = f"New {item['kind']}"
            lines = [_ref_line(ref)]
        else:
            subject = f"{item['kind'].capitalize()} {item['id']} changed"
            lines = [_ref_line(ref)] + [
                f"- {c['field']}: {c['old'] or '-'} → {c['new'] or '-'}" for c in data["changes"]
            ]
        return slack_payload(subject, "\n".join(lines))
    return slack_payload("Liaison test message", data.get("message", "Liaison can reach you."))
