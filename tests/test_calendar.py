"""Calendars: the secret feed URL read by `icalendar` the way Google Calendar and Outlook read
it (all-day events, stable UIDs, DTSTAMP, SEQUENCE), revoked; one item's .ics; and the import
of a real-shaped ICS export (a weekly series with an exception and a moved occurrence, a
monthly 1:1, QBRs past and future) setting meetings' titles, dates, kinds and attendees, and
dating "before the QBR"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from assistant.errors import InvalidInput
from assistant.models import MeetingKind
from assistant.store import calendar as cal_store
from tests.conftest import SAMPLES, api_client, draft

TODAY = date(2026, 12, 1)


@pytest.fixture
def stored(liaison, extractor):
    extractor.by_title.update(
        {
            "2026-10-06": [
                draft(
                    "action",
                    "Priya Shah: consent audit",
                    5,
                    "I also want two minutes",
                    owner="Priya Shah",
                    team="Marketing",
                    due=date(2026, 10, 16),
                ),
                draft(
                    "action",
                    "Sam Ortiz: vendor shortlist",
                    7,
                    "you ran the vendor comparison",
                    owner="Sam Ortiz",
                    team="IT",
                    due_phrase="by our next one-on-one",
                ),
                draft("decision", "We go with mParticle", 3, "Sounds good"),
            ],
            "2026-10-27": [
                draft(
                    "action",
                    "Priya Shah: attribution model",
                    2,
                    "Q4",
                    owner="Priya Shah",
                    team="Marketing",
                    due_phrase="before the next QBR",
                ),
            ],
        }
    )
    for path in sorted(SAMPLES.glob("2026-*")):
        if "1on1" in path.name:  # stored without a kind: the calendar will say what it was
            outcome = liaison.ingest_path(path, title="Catch-up", kind=MeetingKind.other)
        else:
            outcome = liaison.ingest_path(path)
        assert outcome.ok, outcome.error
    return liaison


def _action(liaison, text):
    return next(i for i in liaison.items()[0] if i.text == text)


def _events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


# ---------------------------------------------------------------------- feeds


def test_a_secret_feed_url_opens_without_sign_in_and_lists_all_day_events(settings, stored):
    from assistant.auth import Role

    with api_client(settings, stored) as admin:
        admin.app.state.auth.add_user("priya", Role.viewer, "priya-password-1")
        secret, feed = stored.exports.feeds.create("priya", "mine", "Priya Shah", "Outlook")
        url = stored.exports.feed_url(secret)
        assert url.startswith("http://127.0.0.1:8000/calendar/cal_") and url.endswith(".ics")
        anonymous = TestClient(admin.app)
        r = anonymous.get(url.removeprefix("http://127.0.0.1:8000"))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/calendar")
        cal = Calendar.from_ical(r.content)
        assert str(cal["X-WR-CALNAME"]) == "Liaison: actions of Priya Shah"
        assert str(cal["PRODID"]) and str(cal["VERSION"]) == "2.0"
        events = list(cal.walk("VEVENT"))
        item = _action(stored, "Priya Shah: consent audit")
        # Only Priya's actions that have a date: the attribution model waits for a QBR.
        assert [str(e["UID"]) for e in events] == [f"liaison-item-{item.id}@127.0.0.1"]
        event = events[0]
        assert event.decoded("DTSTART") == date(2026, 10, 16)  # a date: an all-day event
        assert event.decoded("DTEND") == date(2026, 10, 17)
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["SUMMARY"]) == "Priya Shah: consent audit"
        assert "Owner: Priya Shah (Marketing)" in str(event["DESCRIPTION"])
        assert "Status: open" in str(event["DESCRIPTION"])
        assert str(event["URL"]).endswith(f"#item-{item.id}")
        assert f"/app/meetings/{item.meeting_id}#t5" in str(event["DESCRIPTION"])
        assert int(event["SEQUENCE"]) == 0

        # A change keeps the UID (the calendar updates the event) and raises SEQUENCE.
        stored.update_item(item.id, {"due": date(2026, 10, 23), "status": "done"})
        again = _events(anonymous.get(url.removeprefix("http://127.0.0.1:8000")).content)
        assert str(again[0]["UID"]) == str(event["UID"])
        assert again[0].decoded("DTSTART") == date(2026, 10, 23)
        assert str(again[0]["SUMMARY"]) == "Done: Priya Shah: consent audit"
        assert int(again[0]["SEQUENCE"]) == 2

        # Listed for its owner (prefix only), then revoked: the URL answers 404.
        listed = stored.exports.feeds.list("priya")
        assert [f.id for f in listed] == [feed.id] and listed[0].last_used_at is not None
        stored.exports.feeds.revoke("priya", feed.id)
        gone = anonymous.get(url.removeprefix("http://127.0.0.1:8000"))
        assert gone.status_code == 404 and gone.json()["error"] == "NotFound"
        assert anonymous.get("/calendar/cal_guessed.ics").status_code == 404


def test_team_and_all_feeds_and_their_api(settings, stored):
    with api_client(settings, stored, role="member") as member:
        made = member.post("/calendar/feeds", json={"scope": "team", "value": "it"})
        assert made.status_code == 201, made.text
        path = made.json()["url"].removeprefix("http://127.0.0.1:8000")
        assert made.json()["feed"]["value"] == "IT"
        # The IT action has no date until the calendar is imported: an empty, valid calendar.
        assert _events(member.get(path).content) == []
        assert member.post("/calendar/feeds", json={"scope": "team"}).status_code == 422
        assert member.post("/calendar/feeds", json={"scope": "all", "x": 1}).status_code == 422
        everything = member.post("/calendar/feeds", json={"scope": "all"}).json()
        all_path = everything["url"].removeprefix("http://127.0.0.1:8000")
        assert len(_events(member.get(all_path).content)) == 1
        page = member.get("/calendar/feeds").json()
        assert page["total"] == 2 and "url" not in page["feeds"][0]
        feed_id = everything["feed"]["id"]
        assert member.delete(f"/calendar/feeds/{feed_id}").json() == {"revoked": feed_id}
        assert member.get(all_path).status_code == 404
        assert member.delete(f"/calendar/feeds/{feed_id}").status_code == 404
    with api_client(settings, stored, role="viewer") as viewer:
        assert viewer.post("/calendar/feeds", json={"scope": "all"}).status_code == 403


def test_the_account_page_makes_shows_once_and_revokes_a_feed(settings, stored):
    with api_client(settings, stored, role="viewer") as viewer:
        page = viewer.post("/app/account/calendar", data={"scope": "mine", "value": "Priya Shah"})
        assert page.status_code == 200
        assert 'id="new-feed-url"' in page.text and "/calendar/cal_" in page.text
        feed = stored.exports.feeds.list("test-viewer")[0]
        again = viewer.get("/app/account/calendar").text
        assert "new-feed-url" not in again and f"{feed.prefix}…" in again
        assert "actions of Priya Shah" in again
        gone = viewer.post(f"/app/account/calendar/{feed.id}/revoke", follow_redirects=False)
        assert gone.status_code == 303 and "Feed+revoked" in gone.headers["location"]
        assert stored.exports.feeds.list("test-viewer") == []
        assert "/app/account/calendar" in viewer.get("/app/account").text


def test_one_action_as_an_ics_file(settings, stored):
    item = _action(stored, "Priya Shah: consent audit")
    decision = next(i for i in stored.items()[0] if i.kind.value == "decision")
    with api_client(settings, stored, role="viewer") as client:
        r = client.get(f"/exports/items/{item.id}/ics")
        assert r.status_code == 200
        assert f'filename="liaison-item-{item.id}.ics"' in r.headers["content-disposition"]
        [event] = _events(r.content)
        assert event.decoded("DTSTART") == date(2026, 10, 16)
        refused = client.get(f"/exports/items/{decision.id}/ics")
        assert refused.status_code == 422 and "is not an action" in refused.json()["detail"]
        assert client.get("/exports/items/999999/ics").status_code == 404


# ---------------------------------------------------------------------- import

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
BEGIN:VEVENT
UID:weekly-sync@example.com
SUMMARY:IT x Marketing weekly sync
DTSTART;TZID=Europe/Paris:20261006T100000
DTEND;TZID=Europe/Paris:20261006T110000
RRULE:FREQ=WEEKLY;COUNT=20
EXDATE;TZID=Europe/Paris:20261020T100000,20261027T100000
ORGANIZER;CN=Dana Whitfield:mailto:dana@example.com
ATTENDEE;CN=Marcus Lee;PARTSTAT=ACCEPTED:mailto:marcus@example.com
ATTENDEE;CN="Raj Mehta":mailto:raj@example.com
ATTENDEE:mailto:sam.ortiz@example.com
END:VEVENT
BEGIN:VEVENT
UID:weekly-sync@example.com
RECURRENCE-ID;TZID=Europe/Paris:20261103T100000
SUMMARY:IT x Marketing weekly sync (moved)
DTSTART;TZID=Europe/Paris:20261104T100000
DTEND;TZID=Europe/Paris:20261104T110000
END:VEVENT
BEGIN:VEVENT
UID:one-on-one@example.com
SUMMARY:Monthly 1:1 CIO / CMO
DTSTART;VALUE=DATE:20261020
RRULE:FREQ=MONTHLY;COUNT=6
ATTENDEE;CN=Dana Whitfield:mailto:dana@example.com
ATTENDEE;CN=Marcus Lee:mailto:marcus@example.com
END:VEVENT
BEGIN:VEVENT
UID:qbr-q4@example.com
SUMMARY:Q4 QBR
DTSTART:20261027T140000Z
ATTENDEE;CN=Elena Park:mailto:elena@example.com
END:VEVENT
BEGIN:VEVENT
UID:qbr-q1@example.com
SUMMARY:Q1 QBR
DTSTART:20270119T140000Z
END:VEVENT
BEGIN:VEVENT
UID:cancelled@example.com
SUMMARY:Offsite
STATUS:CANCELLED
DTSTART;VALUE=DATE:20261215
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def test_import_sets_meetings_and_dates_actions_waiting_for_a_series(stored):
    sam = _action(stored, "Sam Ortiz: vendor shortlist")
    priya = _action(stored, "Priya Shah: attribution model")
    assert sam.due is None and priya.due is None  # nothing said which meetings these are

    report = stored.exports.import_calendar(CALENDAR.encode(), today=TODAY)

    by_id = {u.meeting_id: u for u in report.meetings}
    meetings = {m.date.isoformat(): m for m in stored.meetings()[0]}
    weekly = meetings["2026-10-06"]
    assert weekly.title == "IT x Marketing weekly sync" and weekly.kind == MeetingKind.weekly_sync
    assert "Raj Mehta" in weekly.attendees and weekly.attendees.count("Sam Ortiz") == 1
    assert weekly.attendees[:2] == ["Dana Whitfield", "Marcus Lee"]  # the speakers stay first
    one_on_one = meetings["2026-10-20"]
    assert one_on_one.title == "Monthly 1:1 CIO / CMO"
    assert one_on_one.kind == MeetingKind.monthly_1on1
    assert by_id[one_on_one.id].was_title == "Catch-up"
    assert by_id[one_on_one.id].was_kind == MeetingKind.other
    assert meetings["2026-10-27"].title == "Q4 QBR"
    assert len(report.meetings) == 4

    # "by our next one-on-one": the 1:1 is now known to be 2026-10-20 (the tracker's own rule).
    assert stored.item(sam.id).due == date(2026, 10, 20)
    # "before the next QBR": no later QBR is stored, the calendar has one on 2027-01-19.
    assert report.items_dated == [priya.id]
    assert stored.item(priya.id).due == date(2027, 1, 19)
    [event] = [e for e in stored.item_history(priya.id) if e.field == "due"]
    assert (event.source, event.author, event.new_value) == (
        "calendar",
        "calendar import",
        "2027-01-19",
    )
    assert "due" not in stored.item(priya.id).edited_fields  # not a person's correction

    events, total = stored.exports.events(since=TODAY + timedelta(days=1))
    assert total == report.upcoming > 0
    upcoming = {(e.day.isoformat(), e.title) for e in events}
    assert ("2027-01-19", "Q1 QBR") in upcoming
    assert ("2027-01-20", "Monthly 1:1 CIO / CMO") in upcoming
    everything = {e.day.isoformat(): e for e in stored.exports.events(limit=1000)[0]}
    assert "2026-11-03" not in everything and everything["2026-11-04"].title.endswith("(moved)")
    assert everything["2026-11-04"].series == "weekly-sync@example.com"
    assert "Offsite" not in {e.title for e in everything.values()}  # cancelled
    assert everything["2026-10-06"].meeting_id == weekly.id
    nxt = cal_store.next_event_of_kind(stored.db.connect(), MeetingKind.qbr, TODAY)
    assert nxt["day"] == "2027-01-19"

    # The same calendar again changes nothing and stores no second copy.
    again = stored.exports.import_calendar(CALENDAR.encode(), today=TODAY)
    assert again.items_dated == [] and stored.exports.events(limit=1)[1] == again.events


def test_an_action_said_after_the_import_waits_for_the_calendars_next_qbr(liaison, extractor):
    liaison.exports.import_calendar(CALENDAR.encode(), today=TODAY)
    extractor.by_title["2026-11-10"] = [
        draft(
            "action",
            "Priya Shah: channel ROAS for the board",
            1,
            "Priya, can you have channel ROAS before the QBR?",
            owner="Priya Shah",
            due_phrase="before the QBR",
        )
    ]
    text = (
        b"Dana Whitfield: Morning.\n"
        b"Dana Whitfield: Priya, can you have channel ROAS before the QBR?\n"
    )
    assert liaison.ingest_bytes(text, "sync.txt", day=date(2026, 11, 10)).ok
    [roas] = [i for i in liaison.items()[0] if "ROAS" in i.text]
    assert roas.due == date(2027, 1, 19)  # no later QBR is stored: the calendar's next one


def test_a_file_that_is_not_a_calendar_is_refused_and_changes_nothing(settings, stored):
    before = [m.model_dump() for m in stored.meetings()[0]]
    with pytest.raises(InvalidInput, match="not an iCalendar"):
        stored.exports.import_calendar(b"WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", today=TODAY)
    with api_client(settings, stored, role="member") as member:
        r = member.post("/calendar/import", files={"file": ("x.ics", b"BEGIN:VCALENDAR\r\n")})
        assert r.status_code == 422 and r.json()["error"] == "InvalidInput"
        ok = member.post("/calendar/import", files={"file": ("cal.ics", CALENDAR.encode())})
        assert ok.status_code == 200, ok.text
        assert len(ok.json()["meetings"]) == 4
        listed = member.get("/calendar/events", params={"limit": 2})
        assert listed.json()["total"] >= 2 and len(listed.json()["events"]) == 2
    assert before != [m.model_dump() for m in stored.meetings()[0]]
    with api_client(settings, stored, role="viewer") as viewer:
        refused = viewer.post("/calendar/import", files={"file": ("c.ics", CALENDAR.encode())})
        assert refused.status_code == 403


def test_cli_imports_a_calendar(tmp_path, stored, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli.common import app

    path = tmp_path / "work.ics"
    path.write_bytes(CALENDAR.encode())
    monkeypatch.setenv("LIAISON_HOME", str(stored.settings.home))
    result = CliRunner().invoke(app, ["calendar", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"meetings"' in result.output
    listed = CliRunner().invoke(app, ["calendar", "events", "--since", "2027-01-01"])
    assert "Q1 QBR" in listed.output
