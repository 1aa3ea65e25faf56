"""The per-meeting recap: right after a meeting is ingested, to its attendees who are recipients,
through the digest channels and ledger (exactly once per meeting and recipient)."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.digest.deliver import FolderDeliverer
from assistant.digest.types import RecipientIn
from assistant.embed import HashingEmbedder
from assistant.service import Liaison
from tests import digest_samples
from tests.conftest import SAMPLES

NOW = datetime(2026, 10, 13, 18, 0, tzinfo=UTC)
DANA = RecipientIn(name="Dana Whitfield", email="dana@bl.example", role="cio", channel="folder")
ELENA = RecipientIn(name="Elena Park", email="elena@bl.example", role="cmo", channel="folder")


def app(settings, extractor, folder, **changes) -> Liaison:
    return Liaison(
        settings.model_copy(update=changes),
        embedder=HashingEmbedder(),
        extractor=extractor,
        deliverers={"folder": FolderDeliverer(folder)},
    )


def ingest(liaison, title: str):
    name, day = digest_samples.FILES[title]
    outcome = liaison.ingest_path(SAMPLES / name, title=title, day=day)
    assert outcome.ok, outcome.error
    return outcome


def test_recap_goes_to_attendees_once_when_the_setting_is_on(settings, extractor, tmp_path):
    extractor.by_title.update(digest_samples.SCRIPT)
    folder = tmp_path / "out"
    liaison = app(settings, extractor, folder, recap_after_ingest=True)
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    liaison.digests.add_recipient(DANA)
    liaison.digests.add_recipient(ELENA)  # not in the meeting: gets no recap
    meeting = ingest(liaison, "Weekly sync 6 Oct").meeting

    history = liaison.digests.history()
    assert [(r.week, r.recipient_name, r.status) for r in history] == [
        (f"recap-{meeting.id}", "Dana Whitfield", "sent")
    ]
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3 and all(f.endswith("-dana-whitfield" + f[f.rfind(".") :]) for f in files)
    markdown = next(folder.glob("*.md")).read_text()
    assert markdown.startswith("# Recap of Weekly sync 6 Oct, Tue 6 Oct, for the CIO")
    assert "Segment is the CDP" in markdown  # what was decided
    assert f"/app/meetings/{meeting.id}#t7" in markdown  # … linked to its moment
    assert "Sam Ortiz · due" in markdown  # actions with owners and dates

    # Asked again (a retry, a second process), the ledger sends nothing twice.
    again = liaison.digests.send_recaps(meeting.id, now=NOW)
    assert [r.attempts for r in again] == [1]
    assert len(list(folder.iterdir())) == 3
    # The same file uploaded again is a duplicate: no new meeting, no new recap.
    assert ingest(liaison, "Weekly sync 6 Oct").duplicate_of == meeting.id
    assert len(liaison.digests.history()) == 1


def test_no_recap_unless_the_setting_is_on(settings, extractor, tmp_path):
    extractor.by_title.update(digest_samples.SCRIPT)
    liaison = app(settings, extractor, tmp_path / "out")
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    liaison.digests.add_recipient(DANA)
    ingest(liaison, "Weekly sync 6 Oct")
    assert liaison.digests.history() == []
    assert not (tmp_path / "out").exists()


def test_recap_says_what_the_meeting_changed_in_earlier_items(liaison, extractor):
    ids = digest_samples.build(liaison, extractor)
    recap = liaison.digests.recap(ids["Weekly sync 13 Oct"], "cmo")
    sections = {s.key: s for s in recap.sections}
    decided = [(ln.tag, ln.text) for g in sections["decisions"].groups for ln in g.lines]
    assert ("changed", "Go with mParticle instead of Segment") in decided
    changed = {ln.text: ln.tag for g in sections["updates"].groups for ln in g.lines}
    assert changed["Set up SSO for HubSpot"] == "done"
    done = next(ln for g in sections["updates"].groups for ln in g.lines if ln.tag == "done")
    assert f"/app/meetings/{ids['Weekly sync 13 Oct']}#t" in done.link
    text = liaison.digests.render(recap, "text")
    assert "THE MEETING" in text and "right after the meeting" in text


def test_recap_from_the_cli_and_the_api(liaison, extractor, settings):
    from typer.testing import CliRunner

    from assistant.cli.common import app as cli
    from tests.conftest import api_client

    ids = digest_samples.build(liaison, extractor)
    meeting_id = ids["Weekly sync 13 Oct"]
    result = CliRunner().invoke(cli, ["digest", "recap", str(meeting_id), "--for", "cio"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Recap of Weekly sync 13 Oct, Tue 13 Oct, for the CIO")
    client = api_client(settings, liaison)
    body = client.get(f"/digests/recap/{meeting_id}", params={"for": "cmo"}).json()
    assert body["week"] == f"recap-{meeting_id}" and "Go with mParticle" in body["markdown"]
    assert client.get("/digests/recap/999999").status_code == 404
    # No attendee of the meeting is a recipient yet: nothing is sent.
    assert client.post(f"/digests/recap/{meeting_id}/send").json() == []
