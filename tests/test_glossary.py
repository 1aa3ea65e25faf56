"""The glossary: built-in terms, user terms that override them, and detection in meetings
(word boundaries, case, senses chosen by context). Meetings: assistant/data/samples."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from assistant.errors import InvalidInput, MeetingNotFound, NotFound
from assistant.glossary import Glossary
from tests.ask_script import ingest_samples
from tests.conftest import api_client

REQUIRED = """CDP CRM MQL SQL CAC LTV ROAS attribution SEO SEM CPC CPM CTR UTM API SDK SSO SAML ETL
GDPR consent PII latency SLA uptime CMS DAM headless microservices sprint backlog MVP KPI OKR
churn NPS""".split()


def uses(glossary, text):
    return {(u.term, u.sense): u.count for u in glossary.detect_text(text)}


def test_builtin_terms_are_many_and_explained_both_ways(liaison):
    terms = liaison.glossary.terms()
    assert len(terms) >= 40
    names = {t.term for t in terms}
    assert set(REQUIRED) <= names
    assert {"A/B test", "data warehouse", "data lake", "first-party data", "tag manager",
            "martech", "technical debt", "cookie deprecation"} <= names  # fmt: skip
    for t in terms:
        if t.senses:
            assert all(s.for_it and s.for_marketing and s.context for s in t.senses), t.term
        else:
            assert t.for_it and t.for_marketing, t.term


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We also need SSO before launch", {("SSO", None): 1}),
        ("That was a rapid API rollout; both APIs", {("API", None): 2}),
        ("sso and api in lower case are just letters", {}),
        ("Our A/B tests on the landing page", {("A/B test", None): 1}),
        ("first party data and first-party data", {("first-party data", None): 2}),
        ("the nightly data pipeline broke", {("ETL", None): 1}),
    ],
)
def test_word_boundaries_and_case(liaison, text, expected):
    assert uses(liaison.glossary, text) == expected


def test_ambiguous_terms_take_the_sense_of_their_context(liaison):
    g = liaison.glossary
    assert uses(g, "MQL to SQL conversion dropped, fewer leads for sales") == {
        ("MQL", None): 1,
        ("SQL", "sales-qualified lead"): 1,
    }
    assert uses(g, "Write a SQL query against the orders table") == {
        ("SQL", "Structured Query Language"): 1
    }
    assert ("SLA", "service level agreement") in uses(g, "Our SLA is 1.2 seconds at p95")
    assert ("SLA", "sales follow-up agreement") in uses(
        g, "Keep the SLA with sales: follow up every MQL within one business day"
    )


def test_detect_in_a_sample_meeting(liaison):
    ids = ingest_samples(liaison)
    found = {u.term: u for u in liaison.glossary.detect(ids[date(2026, 10, 6)])}
    assert found["CDP"].first_turn == 0 and found["CDP"].count >= 5
    assert found["SQL"].sense == "sales-qualified lead" and found["SQL"].first_turn == 28
    assert found["SSO"].explanation_for_marketing.startswith("Single sign-on")
    assert "SQL conversion" in found["SQL"].example
    with pytest.raises(MeetingNotFound):
        liaison.glossary.detect(999)


def test_user_terms_override_builtins_and_persist(liaison):
    liaison.glossary.add(
        {"term": "CDP", "for_it": "Our mParticle.", "for_marketing": "Our mParticle, for you."}
    )
    liaison.glossary.add(
        {"term": "Brightline", "aliases": ["BL"], "for_it": "Us.", "for_marketing": "Us too."}
    )
    fresh = Glossary(liaison)  # a new instance reads the database
    cdp = fresh.term("customer data platform")
    assert cdp.for_it == "Our mParticle." and cdp.source == "user"
    assert [t.term for t in fresh.terms()].count("CDP") == 1
    assert uses(fresh, "BL picked a CDP") == {("Brightline", None): 1, ("CDP", None): 1}
    fresh.remove("CDP")
    assert Glossary(liaison).term("CDP").source == "builtin"
    with pytest.raises(NotFound):
        fresh.remove("SSO")  # built-ins cannot be removed
    with pytest.raises(InvalidInput):
        fresh.add({"term": "XYZ", "for_it": "only one side"})


def test_api_and_cli(liaison, settings):
    from assistant.cli.common import app

    ids = ingest_samples(liaison)
    client = api_client(settings, liaison)
    assert len(client.get("/glossary").json()["terms"]) >= 40
    meeting = ids[date(2026, 10, 20)]
    body = client.get(f"/glossary?meeting={meeting}").json()
    assert body["meeting_id"] == meeting and {"latency", "SLA"} <= {u["term"] for u in body["uses"]}
    assert client.get("/glossary?meeting=999").status_code == 404
    created = client.post(
        "/glossary", json={"term": "QBR", "for_it": "Quarterly review.", "for_marketing": "Same."}
    )
    assert created.status_code == 201 and created.json()["source"] == "user"
    assert client.post("/glossary", json={"term": "X"}).status_code == 422

    runner = CliRunner()
    result = runner.invoke(app, ["glossary", "add", "ICP", "--it", "Ideal customer profile.",
                                 "--marketing", "The customers we aim for."])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["glossary", "--json"])
    assert '"ICP"' in result.output
