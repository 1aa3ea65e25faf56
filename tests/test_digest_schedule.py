"""Scheduling: each recipient's digest at their local Monday 08:00, and `send_due` by the clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.digest.schedule import RETRY_JOB, recipient_job_id, start_scheduler, stop
from assistant.digest.types import RecipientIn
from assistant.embed import HashingEmbedder
from assistant.service import Liaison

PARIS = RecipientIn(
    name="Dana", email="dana@bl.example", role="cio", timezone="Europe/Paris", channel="folder"
)
NEW_YORK = RecipientIn(
    name="Marcus",
    email="marcus@bl.example",
    role="cmo",
    timezone="America/New_York",
    channel="folder",
)


@pytest.fixture
def two(liaison):
    paris = liaison.digests.add_recipient(PARIS)
    new_york = liaison.digests.add_recipient(NEW_YORK)
    return liaison, paris, new_york


def test_jobs_fire_at_local_monday_eight(two):
    liaison, paris, new_york = two
    scheduler = start_scheduler(liaison, paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {recipient_job_id(paris.id), recipient_job_id(new_york.id), RETRY_JOB}
        after = datetime(2026, 10, 28, 12, 0, tzinfo=UTC)  # a Wednesday
        fire = {
            r.id: jobs[recipient_job_id(r.id)].trigger.get_next_fire_time(None, after)
            for r in (paris, new_york)
        }
        # Paris is UTC+1 and New York UTC-5 on Monday 2 November 2026 (both past DST).
        assert fire[paris.id].astimezone(UTC) == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
        assert fire[new_york.id].astimezone(UTC) == datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
        for r in (paris, new_york):  # and for the real clock: the next run is local Monday 8:00
            local = jobs[recipient_job_id(r.id)].next_run_time.astimezone(ZoneInfo(r.timezone))
            assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)
        retry = jobs[RETRY_JOB].trigger
        assert retry.interval.total_seconds() == 60
    finally:
        stop(scheduler)
    assert not scheduler.running


def test_day_and_time_come_from_settings_and_jobs_follow_recipients(two, settings, extractor):
    liaison, paris, new_york = two
    friday = Liaison(
        settings.model_copy(update={"digest_day": "fri", "digest_time": "17:30"}),
        embedder=HashingEmbedder(),
        extractor=extractor,
    )
    scheduler = start_scheduler(friday, paused=True)
    try:
        job = scheduler.get_job(recipient_job_id(paris.id))
        nxt = job.trigger.get_next_fire_time(None, datetime(2026, 10, 28, tzinfo=UTC))
        assert nxt == datetime(2026, 10, 30, 17, 30, tzinfo=ZoneInfo("Europe/Paris"))
        friday.digests.remove_recipient(new_york.id)
        from assistant.digest.schedule import sync_jobs

        sync_jobs(scheduler, friday)
        assert scheduler.get_job(recipient_job_id(new_york.id)) is None
        assert scheduler.get_job(recipient_job_id(paris.id)) is not None
    finally:
        stop(scheduler)
        friday.db.close()


def test_send_due_follows_each_recipients_clock(two, settings):
    liaison, paris, new_york = two
    service = liaison.digests
    sunday = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)
    # Week 44 is not over anywhere yet; a fresh install catches up on the week before.
    assert {(r.week, r.status) for r in service.send_due(sunday)} == {("2026-W43", "sent")}
    paris_morning = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)  # 08:30 Paris, 02:30 New York
    assert service.due_week(paris, paris_morning) == "2026-W44"
    assert service.due_week(new_york, paris_morning) is None
    sent = service.send_due(paris_morning)
    assert [(r.recipient_email, r.week, r.status) for r in sent] == [
        ("dana@bl.example", "2026-W44", "sent")
    ]
    assert service.send_due(datetime(2026, 11, 2, 12, 59, tzinfo=UTC)) == []
    later = service.send_due(datetime(2026, 11, 2, 13, 0, tzinfo=UTC))  # 08:00 New York
    assert [(r.recipient_email, r.week) for r in later] == [("marcus@bl.example", "2026-W44")]
    assert service.send_due(datetime(2026, 11, 5, tzinfo=UTC)) == []  # nothing twice
    files = sorted(p.name for p in (settings.home / "digests").glob("2026-W44-*"))
    assert files == [f"2026-W44-{n}.{s}" for n in ("dana", "marcus") for s in ("eml", "html", "md")]
    assert [(h.week, h.status) for h in service.history()] == [("2026-W44", "sent")] * 2 + [
        ("2026-W43", "sent")
    ] * 2


def test_inactive_recipients_get_nothing(two):
    liaison, paris, new_york = two
    from assistant.store import digests as store

    with liaison.db.transaction() as tx:
        store.update_recipient(tx, new_york.id, NEW_YORK.model_copy(update={"active": False}))
    sent = liaison.digests.send_due(datetime(2026, 11, 3, tzinfo=UTC))
    assert [(r.recipient_email, r.week) for r in sent] == [("dana@bl.example", "2026-W44")]


def test_running_scheduler_sends_from_its_own_thread(two):
    liaison, paris, new_york = two
    now = datetime.now(UTC)
    # By the real clock a recipient is due the week just ended, except early on a Monday.
    due = [r for r in (paris, new_york) if liaison.digests.due_week(r, now)]
    scheduler = start_scheduler(liaison)
    try:
        scheduler.get_job(RETRY_JOB).modify(next_run_time=now)  # run the minutely job now
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            history = liaison.digests.history()
            if len(history) == len(due) and all(h.status == "sent" for h in history):
                break
            time.sleep(0.1)
    finally:
        stop(scheduler)
    history = liaison.digests.history()
    assert sorted(h.recipient_email for h in history) == sorted(r.email for r in due)
    assert all(h.status == "sent" and h.attempts == 1 for h in history)
