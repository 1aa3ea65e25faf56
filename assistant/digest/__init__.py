"""Weekly digests for each leader: compose (data: compose.py reads the week, leads.py and
tracked.py write the sections) → render (Markdown, HTML, text) → deliver (SMTP, webhook, folder)
→ schedule (APScheduler), with a ledger so each digest is sent once; recap.py writes the recap
of one meeting, sent through the same ledger.

`assistant.digest.service.DigestService` is the entry point (`liaison.digests`). This package
init imports nothing heavy, so the store can use `assistant.digest.types` without a cycle.
"""
