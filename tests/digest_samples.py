"""Realistic digest content fast: the four sample meetings (assistant/data/samples/, fictional)
ingested with scripted items quoting their real turns, and a known cross-meeting state.

The tracker's matches depend on the embedder; with the hashing stand-in they are arbitrary, so
`build` resets item statuses and then applies the state the meetings actually describe.
"""

from __future__ import annotations

from datetime import date

from assistant.models import DraftItem, Evidence, ItemKind, Team
from assistant.store import items as item_store
from tests.conftest import SAMPLES

FILES = {
    "Weekly sync 6 Oct": ("2026-10-06-weekly-sync.vtt", date(2026, 10, 6)),
    "Weekly sync 13 Oct": ("2026-10-13-weekly-sync.txt", date(2026, 10, 13)),
    "Monthly 1:1": ("2026-10-20-monthly-1on1.json", date(2026, 10, 20)),
    "Q4 QBR": ("2026-10-27-qbr.docx", date(2026, 10, 27)),
}


def _d(kind, text, turn, speaker, quote, owner=None, team=Team.joint, due=None, goal=None):
    return DraftItem(
        kind=ItemKind(kind),
        text=text,
        owner=owner,
        team=team,
        due=date.fromisoformat(due) if due else None,
        goal_id=goal,
        confidence=0.9,
        evidence=[Evidence(turn_index=turn, speaker=speaker, quote=quote)],
    )


DANA, MARCUS, SAM, PRIYA = "Dana Whitfield", "Marcus Lee", "Sam Ortiz", "Priya Shah"
IT, MKT = Team.it, Team.marketing

SCRIPT = {
    "Weekly sync 6 Oct": [
        _d(
            "decision",
            "Segment is the CDP",
            7,
            DANA,
            "We'll go with Segment as the CDP.",
            goal="cdp-live",
        ),
        _d(
            "decision",
            "An MQL needs a lead score of 60",
            32,
            MARCUS,
            "Let's agree that an MQL needs a score of 60.",
            team=MKT,
            goal="mql-sql-conversion",
        ),
        _d(
            "action",
            "Send the CDP contract to procurement",
            10,
            SAM,
            "I'll get the contract to procurement by Thursday.",
            SAM,
            IT,
            "2026-10-08",
            "cdp-live",
        ),
        _d(
            "action",
            "Send the data-retention policy to legal",
            13,
            DANA,
            "I'll send the data-retention policy to legal by next Wednesday.",
            DANA,
            IT,
            "2026-10-14",
            "cdp-live",
        ),
        _d(
            "action",
            "Inventory of marketing tools that touch customer data",
            17,
            PRIYA,
            "Yes, I can do the inventory by end of next week.",
            PRIYA,
            MKT,
            "2026-10-16",
        ),
        _d(
            "action",
            "Set up SSO for HubSpot",
            22,
            DANA,
            "Sam, can you set up the SSO integration for HubSpot by Friday?",
            SAM,
            IT,
            "2026-10-09",
            "cdp-live",
        ),
        _d(
            "parking",
            "Attribution model (ROAS by channel)",
            37,
            DANA,
            "Then let's park the attribution model question for now.",
            goal="mql-sql-conversion",
        ),
        _d(
            "parking",
            "Data warehouse migration",
            40,
            DANA,
            "Let's put the data warehouse migration in the parking lot until the CDP is done.",
            team=IT,
            goal="cdp-live",
        ),
    ],
    "Weekly sync 13 Oct": [
        _d(
            "decision",
            "Go with mParticle instead of Segment",
            13,
            DANA,
            "Instead of Segment we'll go with mParticle after all.",
            goal="cdp-live",
        ),
        _d(
            "action",
            "Ask procurement for the mParticle contract",
            14,
            SAM,
            "I'll tell procurement today and ask for the mParticle contract by Friday.",
            SAM,
            IT,
            "2026-10-16",
            "cdp-live",
        ),
        _d(
            "action",
            "Talk to the content team about the tool request process",
            26,
            MARCUS,
            "I'll talk to the content team about the tool request process.",
            MARCUS,
            MKT,
        ),
        _d(
            "action",
            "Draft MQL scoring rules for product-interest signals",
            30,
            MARCUS,
            "Priya, can you draft the MQL scoring rules for the product-interest signals by "
            "October 20?",
            PRIYA,
            MKT,
            "2026-10-20",
            "mql-sql-conversion",
        ),
        _d(
            "action",
            "Write up the mParticle integration plan with the consent migration",
            32,
            DANA,
            "Sam, please write up the mParticle integration plan, with the consent "
            "migration, by next Monday.",
            SAM,
            IT,
            "2026-10-19",
            "cdp-live",
        ),
    ],
    "Monthly 1:1": [
        _d(
            "decision",
            "mParticle licence split sixty-forty, marketing sixty",
            5,
            MARCUS,
            "So we'll split the mParticle licence sixty-forty, marketing sixty, including run "
            "cost.",
        ),
        _d(
            "decision",
            "Position-based attribution model, forty-twenty-forty",
            22,
            DANA,
            "We'll use a position-based attribution model, forty-twenty-forty",
            goal="mql-sql-conversion",
        ),
        _d(
            "action",
            "Send the revised budget to finance",
            9,
            MARCUS,
            "And I'll send the revised budget to finance by the end of the month.",
            MARCUS,
            MKT,
            "2026-10-31",
        ),
        _d(
            "action",
            "Attribution dashboard prototype",
            26,
            MARCUS,
            "Sam, can you have the attribution dashboard prototype ready by the end of the month?",
            SAM,
            IT,
            "2026-10-31",
            "mql-sql-conversion",
        ),
        _d(
            "action",
            "Share the campaign calendar with IT every Monday",
            41,
            DANA,
            "Priya, share the campaign calendar with Sam's team every Monday.",
            PRIYA,
            MKT,
            "2026-10-26",
            "page-latency-sla",
        ),
    ],
    "Q4 QBR": [
        _d(
            "decision",
            "Marketing engineer role approved as a joint role",
            34,
            DANA,
            "the marketing engineer role is approved as a joint role, funded from the martech "
            "line.",
            goal="campaign-launch-time",
        ),
        _d(
            "action",
            "Send the revised CDP timeline to the steering committee",
            36,
            DANA,
            "Sam, can you send the revised CDP timeline to the steering committee by Friday?",
            SAM,
            IT,
            "2026-10-30",
            "cdp-live",
        ),
        _d(
            "action",
            "Product-interest signals in the lead score",
            38,
            MARCUS,
            "Priya, please have the product-interest signals in the lead score by November 30.",
            PRIYA,
            MKT,
            "2026-11-30",
            "mql-sql-conversion",
        ),
        _d(
            "action",
            "Send Elena the signed licence split",
            40,
            DANA,
            "I'll send Elena the signed licence split by next Tuesday.",
            DANA,
            IT,
            "2026-11-03",
        ),
    ],
}

# (item text, status, related item text, meeting title, turn, quote): what later meetings said.
STATE = [
    (
        "Segment is the CDP",
        "superseded",
        "Go with mParticle instead of Segment",
        "Weekly sync 13 Oct",
        13,
        "Instead of Segment we'll go with mParticle after all.",
    ),
    (
        "Set up SSO for HubSpot",
        "done",
        None,
        "Weekly sync 13 Oct",
        1,
        "The SSO integration for HubSpot is finished.",
    ),
    (
        "Send the data-retention policy to legal",
        "done",
        None,
        "Weekly sync 13 Oct",
        3,
        "I sent the data-retention policy to legal on Tuesday.",
    ),
    (
        "Inventory of marketing tools that touch customer data",
        "done",
        None,
        "Weekly sync 13 Oct",
        5,
        "Done on Friday.",
    ),
    (
        "Attribution model (ROAS by channel)",
        "resolved",
        "Position-based attribution model, forty-twenty-forty",
        "Monthly 1:1",
        22,
        "We'll use a position-based attribution model, forty-twenty-forty",
    ),
    (
        "Attribution dashboard prototype",
        "done",
        None,
        "Q4 QBR",
        29,
        "The dashboard prototype is live, by the way.",
    ),
    ("Data warehouse migration", "revisited", None, "Q4 QBR", 43, "It's still in the parking lot."),
]


def build(liaison, extractor) -> dict[str, int]:
    """Ingest the samples with scripted items; return meeting ids by title."""
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    extractor.by_title.update(SCRIPT)
    ids = {}
    for title, (name, day) in FILES.items():
        outcome = liaison.ingest_path(SAMPLES / name, title=title, day=day)
        assert outcome.ok, outcome.error
        ids[title] = outcome.meeting.id
    with liaison.db.transaction() as tx:
        tx.execute(
            "UPDATE items SET status = CASE kind WHEN 'action' THEN 'open'"
            " WHEN 'parking' THEN 'parked' ELSE 'standing' END,"
            " related_item_id = NULL, status_evidence = '[]'"
        )
        tx.execute("DELETE FROM item_edits")
        by_text = {r["text"]: r["id"] for r in tx.execute("SELECT id, text FROM items")}
        for text, status, related, meeting, turn, quote in STATE:
            ev = Evidence(meeting_id=ids[meeting], turn_index=turn, quote=quote)
            item_store.link(
                tx,
                by_text[text],
                status=status,
                related_item_id=by_text[related] if related else None,
                evidence=[ev],
            )
    return ids
