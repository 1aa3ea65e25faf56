"""Scripted extraction results for the four sample meetings (assistant/data/samples), shared by
the ask, glossary and tools tests. Every quote is verbatim from the sample transcript."""

from __future__ import annotations

from datetime import date

from assistant.models import (
    DraftItem,
    Evidence,
    ExtractionResult,
    Goal,
    ItemKind,
    Meeting,
    Team,
    Turn,
)
from tests.conftest import SAMPLES


class DatedExtractor:
    """A real extractor returning the drafts scripted for a meeting's date (the two weekly
    syncs share a title, so the title cannot tell them apart)."""

    name = "scripted:dated"

    def __init__(self, by_date: dict[date, list[DraftItem]]):
        self.by_date = by_date

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        return ExtractionResult(items=self.by_date.get(meeting.date, []), extractor=self.name)


W1, W2, M1, QBR = date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 20), date(2026, 10, 27)
SAMPLE_FILES = [
    "2026-10-06-weekly-sync.vtt",
    "2026-10-13-weekly-sync.txt",
    "2026-10-20-monthly-1on1.json",
    "2026-10-27-qbr.docx",
]


def draft(kind, text, turn, speaker, quote, *, owner=None, team=Team.unknown, due=None, goal=None):
    return DraftItem(
        kind=ItemKind(kind),
        text=text,
        owner=owner,
        team=team,
        due=due,
        goal_id=goal,
        confidence=0.9,
        evidence=[Evidence(turn_index=turn, speaker=speaker, quote=quote)],
    )


DANA, MARCUS, SAM, PRIYA = "Dana Whitfield", "Marcus Lee", "Sam Ortiz", "Priya Shah"
IT, MKT, JOINT = Team.it, Team.marketing, Team.joint

SCRIPT = {
    W1: [
        draft(
            "decision",
            "Use Segment as the CDP",
            7,
            DANA,
            "We'll go with Segment as the CDP.",
            team=JOINT,
            goal="cdp-live",
        ),
        draft(
            "decision",
            "An MQL needs a lead score of 60",
            32,
            MARCUS,
            "Let's agree that an MQL needs a score of 60.",
            team=MKT,
        ),
        draft(
            "action",
            "Set up the SSO integration for HubSpot",
            22,
            DANA,
            "Sam, can you set up the SSO integration for HubSpot by Friday?",
            owner=SAM,
            team=IT,
            due=date(2026, 10, 9),
        ),
        draft(
            "action",
            "Send the data-retention policy to legal",
            13,
            DANA,
            "I'll send the data-retention policy to legal by next Wednesday.",
            owner=DANA,
            team=IT,
            due=date(2026, 10, 14),
        ),
        draft(
            "action",
            "List every marketing tool that touches customer data",
            17,
            PRIYA,
            "Yes, I can do the inventory by end of next week.",
            owner=PRIYA,
            team=MKT,
            due=date(2026, 10, 16),
        ),
        draft(
            "parking",
            "Multi-touch attribution model",
            37,
            DANA,
            "Then let's park the attribution model question for now.",
        ),
        draft(
            "parking",
            "Data warehouse migration",
            40,
            DANA,
            "Let's put the data warehouse migration in the parking lot until the CDP is done.",
        ),
    ],
    W2: [
        draft(
            "decision",
            "Use mParticle as the CDP",
            13,
            DANA,
            "Instead of Segment we'll go with mParticle after all.",
            team=JOINT,
            goal="cdp-live",
        ),
        draft(
            "action",
            "Write up the mParticle integration plan with the consent migration",
            32,
            DANA,
            "Sam, please write up the mParticle integration plan, with the consent "
            "migration, by next Monday.",
            owner=SAM,
            team=IT,
            due=date(2026, 10, 19),
        ),
        draft(
            "action",
            "Draft the MQL scoring rules for the product-interest signals",
            30,
            MARCUS,
            "Priya, can you draft the MQL scoring rules for the product-interest "
            "signals by October 20?",
            owner=PRIYA,
            team=MKT,
            due=date(2026, 10, 20),
        ),
    ],
    M1: [
        draft(
            "decision",
            "Split the mParticle licence sixty-forty, marketing sixty",
            5,
            MARCUS,
            "So we'll split the mParticle licence sixty-forty, marketing sixty, including "
            "run cost.",
            team=JOINT,
        ),
        draft(
            "action",
            "Build the attribution dashboard prototype",
            27,
            SAM,
            "A prototype by the end of the month, yes, with Priya's cost exports.",
            owner=SAM,
            team=IT,
            due=date(2026, 10, 31),
        ),
        draft(
            "action",
            "Send the revised budget to finance",
            9,
            MARCUS,
            "And I'll send the revised budget to finance by the end of the month.",
            owner=MARCUS,
            team=MKT,
            due=date(2026, 10, 31),
        ),
    ],
    QBR: [
        draft(
            "decision",
            "Approve the marketing engineer role as a joint role",
            34,
            DANA,
            "Let's decide: the marketing engineer role is approved as a joint role, funded "
            "from the martech line.",
            team=JOINT,
        ),
        draft(
            "action",
            "Send the revised CDP timeline to the steering committee",
            36,
            DANA,
            "Sam, can you send the revised CDP timeline to the steering committee by Friday?",
            owner=SAM,
            team=IT,
            due=date(2026, 10, 30),
        ),
    ],
}


def ingest_samples(liaison) -> dict[date, int]:
    """Import the sample goals, ingest the four sample meetings; return date -> meeting id."""
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    ids = {}
    for name in SAMPLE_FILES:
        outcome = liaison.ingest_path(SAMPLES / name)
        assert outcome.ok, outcome.error
        ids[outcome.meeting.date] = outcome.meeting.id
    return ids
