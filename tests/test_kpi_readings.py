"""KPI values said in meetings: a turn that states a goal's KPI value is a reading of that KPI,
with the number the sentence says the KPI is at; targets, plans, past values, changes,
hypotheticals, dates, money and other goals' KPIs are not."""

from __future__ import annotations

import pytest

from assistant.kpi_numbers import numbers, tokens
from assistant.kpi_readings import find_readings
from assistant.models import Goal, Turn

GOALS = [
    Goal(
        id="cdp-live",
        title="Customer data platform live",
        kpis=[
            {"name": "Households matched across web and stores", "unit": "%", "target": 80},
            {"name": "Snowflake migration", "unit": "%", "target": 100, "current": 70},
        ],
    ),
    Goal(
        id="consent-banner",
        title="Compliant consent banner",
        kpis=[{"name": "Tags gated by consent category", "unit": "%", "target": 100}],
    ),
    Goal(
        id="site-speed",
        title="Fast pages",
        kpis=[
            {"name": "Article page load p95 (mobile)", "unit": "s", "target": 1.2},
            {"name": "Cost per switch", "unit": "GBP", "target": 45},
            {"name": "Summit tickets sold", "unit": "tickets", "target": 1500},
        ],
    ),
    Goal(
        id="consent",
        title="Consent coverage",
        kpis=[
            {"name": "Active customers with email marketing consent", "unit": "%", "target": 65},
            {"name": "Active customers with SMS consent", "unit": "%", "target": 30},
        ],
    ),
]


def said(*texts: str) -> list[tuple[str, str, float]]:
    turns = [Turn(index=n, speaker="Kenji", text=t) for n, t in enumerate(texts)]
    return [(s.goal_id, s.kpi, s.value) for s in find_readings(turns, GOALS)]


@pytest.mark.parametrize(
    "text, kpi, value",
    [
        ("Households matched is at 62 percent.", "Households matched across web and stores", 62),
        ("We're at forty percent of tags gated.", "Tags gated by consent category", 40),
        ("Page load is down to 1.8 seconds.", "Article page load p95 (mobile)", 1.8),
        (
            "Households matched is at sixty-two percent now.",
            "Households matched across web and stores",
            62,
        ),
        ("The Snowflake migration is at about eighty-five percent.", "Snowflake migration", 85),
        (
            "Cost per switch so far is thirty-six pounds, against a target of forty-five.",
            "Cost per switch",
            36,
        ),
        (
            "As of this morning we've sold one thousand one hundred and forty tickets against"
            " a target of fifteen hundred.",
            "Summit tickets sold",
            1140,
        ),
        (
            "The card is finished, thirty-four of the forty-one tags are gated.",
            "Tags gated by consent category",
            82.9,
        ),
        (
            "Households matched went from thirty-one percent to forty-four.",
            "Households matched across web and stores",
            44,
        ),
    ],
)
def test_a_stated_value_is_a_reading_of_its_kpi(text, kpi, value):
    assert [(k, v) for _, k, v in said(text)] == [(kpi, value)]


@pytest.mark.parametrize(
    "text",
    [
        "The target for households matched is 80 percent.",
        "Households matched should be at 80 percent by the end of the quarter.",
        "If households matched gets to seventy percent we celebrate.",
        "We'll have households matched at 70 percent by Christmas.",
        "Households matched would be at 70 percent with Amperity.",
        "Last week you were at eighty-five percent on the Snowflake migration.",
        "Households matched went up two points.",
        "Households matched is twelve percent higher than in the test.",
        "Where is households matched, at 60 percent?",
        "Page load: we paid $40,000 on October 20 for the CDN.",  # money and a date, no seconds
        "The Tealium quote for the Snowflake migration is two hundred and ten thousand a year.",
    ],
)
def test_targets_plans_past_changes_and_hypotheticals_are_not_readings(text):
    assert said(text) == []


def test_the_number_the_kpi_is_at_beside_dates_and_money():
    got = said("On October 20 we paid $40,000 and households matched is at 55 percent.")
    assert got == [("cdp-live", "Households matched across web and stores", 55)]


def test_each_kpi_takes_its_own_number_and_another_goals_kpi_is_not_matched():
    text = (
        "We're at sixty-one percent of active customers with a valid email marketing consent,"
        " and nineteen percent with SMS consent, which is new, so that number will climb."
    )
    assert said(text) == [
        ("consent", "Active customers with email marketing consent", 61),
        ("consent", "Active customers with SMS consent", 19),
    ]
    assert said("And the SMS consent base is nineteen percent.") == [
        ("consent", "Active customers with SMS consent", 19)
    ]
    # The banner's own progress is not its goal's KPI (tags gated by consent category).
    assert said("The consent banner is about eighty percent done.") == []


def test_an_answer_takes_the_kpi_the_question_named():
    got = said(
        "The Snowflake migration matters here. Kenji, where is it?", "About seventy percent done."
    )
    assert got == [("cdp-live", "Snowflake migration", 70)]
    # …but a turn about something else later is not read as that KPI.
    assert (
        said("Snowflake migration, yes.", "Lunch was fine.", "About seventy percent of us came.")
        == []
    )


def test_spoken_numbers_dates_and_names():
    def values(text):
        return [(n.value, n.unit) for n in numbers(tokens(text))]

    assert values("sixty-two percent") == [(62, "percent")]
    assert values("ninety-eight point six percent") == [(98.6, "percent")]
    assert values("two hundred and fifty-five thousand pounds") == [(255_000, "GBP")]
    assert values("on October 20, 2026 at 9:30, the twenty-third, Q3 and p95") == []
