"""Outgoing webhooks: Liaison tells other systems what happened, signed and retried.

events.py     the event types and their JSON bodies (the documented schema)
signing.py    HMAC-SHA256 over "<timestamp>.<body>", per-endpoint secrets
slack.py      Block Kit messages for Slack incoming webhooks (recaps, digests)
service.py    `Webhooks` (liaison.webhooks): endpoints, the outbox, delivery, the log
worker.py     the background thread of `liaison serve` that delivers the outbox

change commits ──▶ emit: one outbox row per endpoint ──▶ worker POSTs ──▶ delivered
                                                     └─ failed: retry with backoff
"""
