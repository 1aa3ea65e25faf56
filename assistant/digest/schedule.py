"""Send digests on time: an APScheduler 3 `BackgroundScheduler` inside the server process.

One cron job per active recipient fires at their *local* digest day and time (settings
`digest_day`, `digest_time`; Monday 08:00 by default) and calls `send_due`. A second job runs
every minute: it re-reads the recipients (so added, removed or moved ones get the right job)
and calls `send_due`, which retries failed rows that are due and takes over sends abandoned by
a crash. Several processes may run schedulers on one database: the ledger's claim makes sure a
digest still goes out once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)
RETRY_JOB = "digest-retry"


def recipient_job_id(recipient_id: int) -> str:
    return f"digest-recipient-{recipient_id}"


def cron_trigger(settings, timezone: str) -> CronTrigger:
    hour, minute = (int(x) for x in settings.digest_time.split(":"))
    return CronTrigger(day_of_week=settings.digest_day, hour=hour, minute=minute, timezone=timezone)


def _run_due(liaison) -> None:
    try:
        for record in liaison.digests.send_due(datetime.now(UTC)):
            if record.status == "failed":
                log.warning(
                    "digest %s for %s failed (attempt %d): %s",
                    record.week,
                    record.recipient_email,
                    record.attempts,
                    record.last_error,
                )
    except Exception:  # a bad run must not kill the scheduler; the next run tries again
        log.exception("sending due digests failed")


def sync_jobs(scheduler: BackgroundScheduler, liaison) -> None:
    """One cron job per active recipient, in their time zone; stale jobs removed."""
    wanted = {}
    for recipient in liaison.digests.recipients(active_only=True):
        wanted[recipient_job_id(recipient.id)] = recipient
    for job in scheduler.get_jobs():
        if job.id.startswith("digest-recipient-") and job.id not in wanted:
            job.remove()
    for job_id, recipient in wanted.items():
        trigger = cron_trigger(liaison.settings, recipient.timezone)
        job = scheduler.get_job(job_id)
        if job is not None and str(job.trigger) == str(trigger):
            continue  # unchanged: keep its next run time
        scheduler.add_job(
            _run_due,
            trigger,
            args=[liaison],
            id=job_id,
            name=f"weekly digest for {recipient.name} ({recipient.timezone})",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=3600,
        )


def _minutely(scheduler: BackgroundScheduler, liaison) -> None:
    try:
        sync_jobs(scheduler, liaison)
    except Exception:
        log.exception("refreshing digest jobs failed")
    _run_due(liaison)


def start_scheduler(liaison, *, paused: bool = False) -> BackgroundScheduler:
    """Build, fill and start the scheduler; `stop(scheduler)` shuts it down."""
    scheduler = BackgroundScheduler(timezone=UTC)
    sync_jobs(scheduler, liaison)
    scheduler.add_job(
        _minutely,
        IntervalTrigger(minutes=1, timezone=UTC),
        args=[scheduler, liaison],
        id=RETRY_JOB,
        name="retry due digests",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.start(paused=paused)
    return scheduler


def stop(scheduler: BackgroundScheduler | None) -> None:
    """Stop the scheduler without waiting for a running send (its ledger row stays claimed and
    is taken over after the lease)."""
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
