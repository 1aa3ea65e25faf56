"""Weekly digests for each leader: compose (data) → render (Markdown, HTML, text) → deliver
(SMTP, webhook, folder) → schedule (APScheduler), with a ledger so each digest is sent once.

`assistant.digest.service.DigestService` is the entry point (`liaison.digests`). This package
init imports nothing heavy, so the store can use `assistant.digest.types` without a cycle.
"""
