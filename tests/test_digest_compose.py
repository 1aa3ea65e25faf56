"""Composing weekly digests from the four sample meetings (scripted items, known state)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from assistant.digest.types import Digest, RecipientIn
from assistant.digest.weeks import last_complete_week, week_bounds
from assistant.errors import InvalidInput
from assistant.goals import kpi_percent
from tests import digest_samples

CIO = RecipientIn(
    name="Dana Whitfield", email="dana@brightline.example", role="cio", timezone="Europe/Paris"
)
CMO = RecipientIn(
    name="Marcus Lee", email="marcus@brightline.example", role="cmo", timezone="America/New_York"
)


@pytest.fixture
def sample(liaison, extractor):
    ids = digest_samples.build(liaison, extractor)
    liaison.digests.add_recipient(CIO)
    liaison.digests.add_recipient(CMO)
    return liaison, ids


def section(digest: Digest, key: str):
    return next(s for s in digest.sections if s.key == key)


def lines(digest: Digest, key: str, group: str | None = None):
    found = section(digest, key)
    return [ln for g in found.groups if group is None or g.title == group for ln in g.lines]


def texts(digest: Digest, key: str, group: str | None = None) -> list[str]:
    return [ln.text for ln in lines(digest, key, group)]


def test_each_reader_gets_their_own_lead_section(sample):
    service = sample[0].digests
    cio = service.compose("2026-W44", "cio")
    cmo = service.compose("2026-W44", "cmo")
    assert cio.sections[0].title == "What marketing needs from IT"
    assert cmo.sections[0].title == "Delivery status of the tech work campaigns depend on"
    assert "tech_delivery" not in [s.key for s in cio.sections]
    assert "needs_from_it" not in [s.key for s in cmo.sections]
    common = ["decisions", "actions", "parking", "goals", "agenda", "terms"]
    assert [s.key for s in cio.sections[1:]] == common == [s.key for s in cmo.sections[1:]]


def test_cio_sees_what_marketing_asked_of_it_and_data_implications(sample):
    service = sample[0].digests
    w44 = service.compose("2026-W44", "cio")
    asked = lines(w44, "needs_from_it", "Asked of IT by marketing")
    # Marcus (marketing) asked Sam (IT) for the dashboard; it was reported done this week.
    assert [(ln.text, ln.tag) for ln in asked] == [("Attribution dashboard prototype", "done")]
    assert asked[0].quote.startswith("The dashboard prototype is live")
    assert asked[0].link.endswith(f"/meetings/{sample[1]['Q4 QBR']}#t29")

    w41 = service.compose("2026-W41", "cio")
    sensitive = {
        ln.text: ln.detail
        for ln in lines(w41, "needs_from_it", "Data, privacy and security implications")
    }
    assert "data" in sensitive["Send the data-retention policy to legal"]
    assert "sso" in sensitive["Set up SSO for HubSpot"]
    assert "An MQL needs a lead score of 60" not in sensitive


def test_cmo_sees_it_work_with_status_and_due(sample):
    digest = sample[0].digests.compose("2026-W44", "cmo")
    work = {ln.text: ln for ln in lines(digest, "tech_delivery", "IT actions")}
    timeline = work["Send the revised CDP timeline to the steering committee"]
    assert timeline.tag == "overdue 3 d" and "due Fri 30 Oct" in timeline.detail
    assert work["Send Elena the signed licence split"].tag == "due soon"
    assert work["Attribution dashboard prototype"].tag == "done"
    assert "Set up SSO for HubSpot" not in work  # done in an earlier week
    assert all(ln.tag != "new" or "(IT)" in ln.detail for ln in work.values())


def test_decisions_show_what_they_superseded(sample):
    digest = sample[0].digests.compose("2026-W42", "cmo")
    found = lines(digest, "decisions")
    assert [(ln.tag, ln.text) for ln in found] == [
        ("changed", "Go with mParticle instead of Segment"),
        ("replaced", "Segment is the CDP"),
    ]
    # The reversal says what it switched from, and when that had been decided.
    assert "switched from “Segment is the CDP” (Tue 6 Oct)" in found[0].detail
    assert found[1].quote == "We'll go with Segment as the CDP."
    assert found[1].link.endswith(f"/meetings/{sample[1]['Weekly sync 6 Oct']}#t7")
    earlier = sample[0].digests.compose("2026-W41", "cmo")
    segment = next(ln for ln in lines(earlier, "decisions") if ln.text == "Segment is the CDP")
    assert "superseded later" in segment.detail


def test_actions_by_side_with_state(sample):
    digest = sample[0].digests.compose("2026-W44", "cio")
    it_owes = {ln.text: ln.tag for ln in lines(digest, "actions", "What IT owes marketing")}
    mkt_owes = {ln.text: ln.tag for ln in lines(digest, "actions", "What marketing owes IT")}
    assert it_owes["Send the revised CDP timeline to the steering committee"] == "overdue 3 d"
    assert it_owes["Send Elena the signed licence split"] == "due soon"
    assert it_owes["Attribution dashboard prototype"] == "done"
    assert mkt_owes["Product-interest signals in the lead score"] == "new"
    assert mkt_owes["Send the revised budget to finance"] == "overdue 2 d"
    assert set(it_owes).isdisjoint(mkt_owes)
    # Done in week 42, so not repeated in week 44; an open action without a due date from an
    # earlier week is not news either.
    assert "Set up SSO for HubSpot" not in it_owes
    assert "Talk to the content team about the tool request process" not in mkt_owes
    tags = list(it_owes.values())
    assert tags.index("overdue 3 d") < tags.index("due soon") < tags.index("done")


def test_parking_lot_ages_goals_and_agenda(sample):
    digest = sample[0].digests.compose("2026-W44", "cio")
    parked = lines(digest, "parking")
    assert [(ln.text, ln.tag) for ln in parked] == [("Data warehouse migration", "27 days")]
    assert "goal: Customer data platform live" in parked[0].detail
    agenda = section(digest, "agenda")
    overdue = [ln.tag for ln in agenda.groups[0].lines]
    assert overdue and all(t.startswith("overdue") for t in overdue)
    days = [int(re.search(r"\d+", t).group()) for t in overdue]
    assert days == sorted(days, reverse=True)
    assert [ln.text for ln in agenda.groups[1].lines] == ["Data warehouse migration"]
    goals = {g.title: g.lines for g in section(digest, "goals").groups}
    latency = goals["Fast, reliable product pages (latency SLA) (IT)"]
    assert latency[0].tag == "80%"  # 1.2 s target at 1.5 s: lower is better
    assert goals["Customer data platform live (Joint)"][0].tag == "39%"


def test_milestones_at_risk_within_two_weeks_or_late(sample):
    service = sample[0].digests
    w46 = service.compose("2026-W46", "cmo")  # as of Mon 16 Nov: CDN switch due 20 Nov
    risks = [ln.text for ln in lines(w46, "tech_delivery", "Milestones at risk")]
    assert risks == ["Fast, reliable product pages (latency SLA): CDN switch"]
    w49 = service.compose("2026-W49", "cmo")  # as of Mon 7 Dec: CDN switch is late
    late = {ln.text: ln.tag for ln in lines(w49, "agenda", "Goals at risk")}
    assert late["Fast, reliable product pages (latency SLA): CDN switch"] == "late"
    assert late["Customer data platform live: Profiles live in the CDP"] == "at risk"
    # Marketing-only goals are not IT's delivery: not in the CMO's lead section.
    assert not any("Better leads" in ln.text for ln in lines(w49, "tech_delivery"))


def test_empty_week_says_so_plainly_and_keeps_open_work(sample):
    digest = sample[0].digests.compose("2026-W46", "cio")
    assert digest.empty_week and not digest.meetings
    assert digest.summary[0].startswith("No meetings were recorded in the week of Mon 9 Nov")
    assert lines(digest, "decisions") == []
    assert texts(digest, "parking") == ["Data warehouse migration"]


def test_empty_database_still_composes(liaison):
    digest = liaison.digests.compose("2026-W44", "cmo")
    assert digest.empty_week
    assert all(s.is_empty for s in digest.sections)
    assert "No meetings" in liaison.digests.render(digest, "text")


def test_every_quoted_line_links_to_its_moment(sample):
    liaison, ids = sample
    for week in ("2026-W41", "2026-W42", "2026-W43", "2026-W44"):
        for role in ("cio", "cmo"):
            digest = liaison.digests.compose(week, role)
            for s in digest.sections:
                for g in s.groups:
                    for ln in g.lines:
                        assert ln.link.startswith("http://127.0.0.1:8000/"), ln
                        if ln.quote:
                            m = re.fullmatch(r".*/meetings/(\d+)#t(\d+)", ln.link)
                            assert m, ln.link
                            turns = liaison.meeting(int(m.group(1))).turns
                            said = " ".join(turns[int(m.group(2))].text.split())
                            assert ln.quote.strip("“”") in said


def test_public_url_setting_is_used(liaison, extractor, settings):
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison

    digest_samples.build(liaison, extractor)
    other = Liaison(
        settings.model_copy(update={"public_url": "https://liaison.example.com/"}),
        embedder=HashingEmbedder(),
        extractor=extractor,
    )
    digest = other.digests.compose("2026-W44", "cio")
    assert lines(digest, "decisions")[0].link.startswith(
        "https://liaison.example.com/app/meetings/"
    )
    other.db.close()


def test_terms_explained_for_each_side_and_tools_adopted_outside_it(sample):
    liaison, ids = sample
    cio = liaison.digests.compose("2026-W41", "cio")
    cmo = liaison.digests.compose("2026-W41", "cmo")
    uses = {u.term: u for u in liaison.glossary.detect(ids["Weekly sync 6 Oct"])}
    cio_terms = {ln.text.split(" (")[0]: ln for ln in lines(cio, "terms")}
    cmo_terms = {ln.text.split(" (")[0]: ln for ln in lines(cmo, "terms")}
    assert "MQL" in cio_terms and set(cio_terms) == set(cmo_terms) <= set(uses)
    assert cio_terms["MQL"].detail == uses["MQL"].explanation_for_it
    assert cmo_terms["MQL"].detail == uses["MQL"].explanation_for_marketing
    assert cio_terms["MQL"].link.endswith(f"#t{uses['MQL'].first_turn}")
    tools = lines(cio, "needs_from_it", "Tools adopted outside IT")
    hotjar = next(t for t in tools if t.text == "Hotjar")
    assert hotjar.tag == "adopted" and "started using Hotjar" in hotjar.quote
    assert hotjar.link.endswith(f"/meetings/{ids['Weekly sync 6 Oct']}#t14")
    assert "Segment" not in [t.text for t in tools]  # compared, not adopted


def test_weeks():
    assert [d.isoformat() for d in week_bounds("2026-W44")] == ["2026-10-26", "2026-11-01"]
    with pytest.raises(InvalidInput):
        week_bounds("2026-44")
    with pytest.raises(InvalidInput):
        week_bounds("2026-W54")
    sunday_night_utc = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    assert last_complete_week(sunday_night_utc, "Europe/Paris") == "2026-W44"  # Monday there
    assert last_complete_week(sunday_night_utc, "America/New_York") == "2026-W43"
    assert kpi_percent(18, 25, "%") == 72 and kpi_percent(1.5, 1.2, "s") == 80
    assert kpi_percent(None, 25) is None


def test_past_week_shows_items_as_they_stood_then(sample):
    """Found in QA: the W43 digest called the dashboard prototype done (it was reported done on
    27 Oct, in W44) and the W42 digest left out a snag that was only resolved on 20 Oct."""
    service = sample[0].digests
    w43 = service.compose("2026-W43", "cio")
    it_owes = {ln.text: ln for ln in lines(w43, "actions", "What IT owes marketing")}
    prototype = it_owes["Attribution dashboard prototype"]
    assert prototype.tag == "due soon"
    assert "done" not in prototype.detail and "/meetings/" in prototype.link
    assert "is live" not in prototype.quote  # the words of 27 Oct are not quoted yet
    w42 = service.compose("2026-W42", "cmo")
    parked = {ln.text: ln.tag for ln in lines(w42, "parking")}
    assert parked["Attribution model (ROAS by channel)"] == "13 days"
    assert "2 items open in the parking lot" in w42.summary[1]
    # The week it was reported done, it is done.
    w44 = service.compose("2026-W44", "cio")
    done = {ln.text: ln.tag for ln in lines(w44, "actions", "What IT owes marketing")}
    assert done["Attribution dashboard prototype"] == "done"


def test_goal_lines_link_to_a_web_page(sample):
    """Found in QA: goal lines linked to /goals/ID, the JSON API, not a page a reader can open."""
    digest = sample[0].digests.compose("2026-W44", "cmo")
    links = {ln.link for ln in lines(digest, "goals")}
    assert "http://127.0.0.1:8000/app/goals/cdp-live" in links
    assert not any(link.startswith("http://127.0.0.1:8000/goals/") for link in links)


def test_parking_lot_shows_each_snags_history_and_what_the_week_settled(sample):
    liaison, ids = sample
    w44 = lines(liaison.digests.compose("2026-W44", "cio"), "parking")
    assert "parked Tue 6 Oct · revisited Tue 27 Oct" in w44[0].detail
    w43 = liaison.digests.compose("2026-W43", "cio")
    settled = lines(w43, "parking", "Settled this week")
    assert [(ln.text, ln.tag) for ln in settled] == [
        ("Attribution model (ROAS by channel)", "settled")
    ]
    assert settled[0].quote.startswith("We'll use a position-based attribution model")
    assert settled[0].link.endswith(f"/meetings/{ids['Monthly 1:1']}#t22")


def test_a_snag_raised_twice_or_accepted_in_the_next_turn_is_listed_once():
    from assistant.digest.tracked import once
    from assistant.models import Evidence, Item, ItemKind

    def snag(i, text, turn, meeting=1):
        ev = Evidence(meeting_id=meeting, turn_index=turn, quote=text)
        return Item(
            id=i,
            meeting_id=meeting,
            kind=ItemKind.parking,
            text=text,
            status="parked",
            extractor="x",
            evidence=[ev],
        )

    parked = [
        (snag(1, "The smart meter question", 45), 30),
        (snag(2, "Agreed, it goes.", 46), 30),  # "Agreed, it goes in the parking lot."
        (snag(3, "The smart meter question.", 12, meeting=2), 20),  # parked again, same words
        (snag(4, "The dashboard refresh", 47), 30),  # a different snag, a turn later
    ]
    assert [i.id for i, _ in once(parked)] == [1, 4]


def test_a_date_moved_this_week_is_tagged_and_on_the_agenda(sample):
    from assistant.models import Evidence
    from assistant.store import items as item_store

    liaison, ids = sample
    item = next(
        i for i in liaison.items(limit=100)[0] if i.text == "Send Elena the signed licence split"
    )
    qbr = liaison.meeting(ids["Q4 QBR"])
    ev = Evidence(meeting_id=qbr.meeting.id, turn_index=2, quote=qbr.turns[2].text)
    with liaison.db.transaction() as tx:  # what the tracker writes when a meeting moves a date
        item_store.set_fields(
            tx,
            item.id,
            {"due": datetime(2026, 11, 13).date()},
            author=None,
            source="tracker",
            meeting_id=qbr.meeting.id,
            evidence=[ev],
        )
    digest = liaison.digests.compose("2026-W44", "cio")
    tags = {ln.text: ln.tag for ln in lines(digest, "actions")}
    assert tags[item.text] == "moved to Fri 13 Nov"
    assert item.text in texts(digest, "agenda", "Due in the coming week")
