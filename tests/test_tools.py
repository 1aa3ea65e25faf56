"""Shadow IT: the approved-tools list, and unapproved tools found in the sample meetings
(assistant/data/samples) with their evidence."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from assistant.errors import NotFound
from assistant.tools import ToolWatch
from tests.ask_script import ingest_samples
from tests.conftest import SAMPLES, api_client

BRIEF_TOOLS = """Hotjar Mailchimp Canva Zapier Airtable Notion Typeform HubSpot Segment mParticle
Semrush Hootsuite Monday.com Asana Trello Calendly Loom Miro Figma ChatGPT Jasper""".split()


def by_tool(flags):
    return {f.tool: f for f in flags}


def test_known_tools_catalogue(liaison):
    known = {t.name for t in liaison.tools.known}
    assert len(known) >= 80
    assert set(BRIEF_TOOLS) | {"Google Analytics", "Looker Studio"} <= known


def test_approved_list_starts_from_defaults_and_is_editable(liaison):
    tools = liaison.tools
    assert {"HubSpot", "Okta"} <= {t.name for t in tools.approved()}
    added = tools.approve("canva", note="design team licence")
    assert added.name == "Canva" and added.note == "design team licence"
    tools.unapprove("okta")
    again = ToolWatch(liaison)  # a new instance reads the database, defaults not re-added
    names = {t.name for t in again.approved()}
    assert "Canva" in names and "Okta" not in names
    with pytest.raises(NotFound):
        again.unapprove("Okta")


def test_flags_unapproved_tools_with_evidence(liaison):
    ids = ingest_samples(liaison)
    flags = by_tool(liaison.tools.flags())
    assert "HubSpot" not in flags and "Okta" not in flags  # approved by default
    hotjar = flags["Hotjar"]
    assert hotjar.signal == "adoption" and hotjar.first_seen == date(2026, 10, 6)
    first = hotjar.evidence[0]
    assert first.adoption and first.speaker == "Marcus Lee" and first.turn_index == 14
    assert first.quote == "The content team started using Hotjar on the landing pages."
    assert first.meeting_id == ids[date(2026, 10, 6)]
    turn = liaison.meeting(first.meeting_id).turns[first.turn_index]
    assert first.quote in turn.text
    # Described, not named: flagged from the adoption verb.
    assert flags["AI writing assistant (unnamed)"].signal == "adoption"
    assert not flags["AI writing assistant (unnamed)"].known
    # A vendor only discussed is a weaker signal, and lower-case "segment" is not the tool.
    assert flags["Segment"].signal == "mention"
    assert all("built the segment" not in e.quote for e in flags["Segment"].evidence)
    order = [f.signal for f in liaison.tools.flags()]
    assert order == sorted(order)  # adoption before mention


def test_a_tool_taken_up_by_it_itself_is_not_adopted_outside_it(liaison):
    ingest_samples(liaison)
    # "We switch to mParticle", said by the CIO: without the directory Liaison cannot tell.
    assert by_tool(liaison.tools.flags())["mParticle"].signal == "adoption"
    liaison.import_people((SAMPLES / "people.yaml").read_text())
    flags = by_tool(liaison.tools.flags())
    assert flags["mParticle"].signal == "mention"
    assert flags["Hotjar"].signal == "adoption"  # the content team, not IT


def test_approving_a_tool_clears_its_flag_and_dates_filter(liaison):
    ingest_samples(liaison)
    liaison.tools.approve("Hotjar")
    assert "Hotjar" not in by_tool(liaison.tools.flags())
    late = by_tool(liaison.tools.flags(since=date(2026, 10, 20), until=date(2026, 10, 27)))
    assert "Segment" not in late  # only discussed in the first two meetings
    assert all(f.first_seen >= date(2026, 10, 20) for f in late.values())


def test_api_and_cli(liaison, settings):
    from assistant.cli.common import app

    ingest_samples(liaison)
    client = api_client(settings, liaison)
    assert "HubSpot" in {t["name"] for t in client.get("/tools/approved").json()["approved"]}
    flags = client.get("/tools/flags?since=2026-10-06&until=2026-10-13").json()["flags"]
    assert flags[0]["signal"] == "adoption" and flags[0]["evidence"][0]["quote"]
    assert client.post("/tools/approved", json={"name": "hotjar"}).json()["name"] == "Hotjar"
    assert "Hotjar" not in {f["tool"] for f in client.get("/tools/flags").json()["flags"]}
    assert client.get("/tools/flags?since=not-a-date").status_code == 422
    viewer = api_client(settings, liaison, role="viewer")
    assert viewer.get("/tools/flags").status_code == 200
    assert viewer.post("/tools/approved", json={"name": "Canva"}).status_code == 403

    runner = CliRunner()
    result = runner.invoke(app, ["tools", "approve", "Segment"])
    assert result.exit_code == 0 and "approved Segment" in result.output
    result = runner.invoke(app, ["tools", "--json"])
    assert result.exit_code == 0 and '"Segment"' not in result.output


SHADOW = b"""Title: Weekly IT-Marketing sync
Date: 2026-11-02

Dana Whitfield: Who put Hotjar on the pricing page?
Marcus Lee: That's on us. The web team added it.
Marcus Lee: My content team wants Jasper for product descriptions. \
A few of them are already using the free version.
Oskar Nowak: There is a card payment I don't recognise. Something called Leadpulse.
Priya Shah: That was a free trial someone forgot to cancel.
Dana Whitfield: We set up Zapier for the IT ticket queue last year.
"""


def test_adoption_said_about_the_tool_just_named_is_flagged(liaison):
    liaison.import_people(
        "people: [{name: Dana Whitfield, team: IT}, {name: Marcus Lee, team: Marketing},"
        " {name: Priya Shah, team: Marketing}, {name: Oskar Nowak, team: Joint}]"
    )
    outcome = liaison.ingest_bytes(SHADOW, "2026-11-02-weekly-sync.txt")
    assert outcome.ok, outcome.error
    flags = by_tool(liaison.tools.flags())
    hotjar = flags["Hotjar"]  # "The web team added it", answering who put Hotjar there
    assert hotjar.signal == "adoption"
    assert [e.quote for e in hotjar.evidence if e.adoption] == ["The web team added it."]
    assert hotjar.evidence[0].speaker == "Marcus Lee"
    jasper = flags["Jasper"]  # the same turn: quoted from the sentence that names it
    assert jasper.signal == "adoption"
    assert jasper.evidence[0].quote == (
        "My content team wants Jasper for product descriptions. A few of them are already"
        " using the free version."
    )
    leadpulse = flags["Leadpulse"]  # not in the catalogue, but named: "something called …"
    assert leadpulse.signal == "adoption" and not leadpulse.known
    assert leadpulse.evidence[0].quote == "That was a free trial someone forgot to cancel."
    # IT setting up a tool for itself is not shadow IT.
    assert flags["Zapier"].signal == "mention"
    digest = liaison.digests.compose("2026-W45", "cio")
    lead = next(s for s in digest.sections if s.key == "needs_from_it")
    adopted = next(g for g in lead.groups if g.title == "Tools adopted outside IT")
    assert {ln.text for ln in adopted.lines} == {"Hotjar", "Jasper", "Leadpulse"}
