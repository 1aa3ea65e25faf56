"""The people directory gives items the right team: at extraction, and when someone's side is
set later; a team a person corrected by hand is kept."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidInput
from assistant.models import Team
from assistant.store.items import ItemFilters
from tests.conftest import SAMPLES, api_client, draft

SYNC = SAMPLES / "2026-10-06-weekly-sync.vtt"


def test_owner_in_directory_sets_team_at_extraction(liaison, extractor):
    liaison.import_people((SAMPLES / "people.yaml").read_text())
    extractor.by_title["2026-10-06"] = [
        draft(
            "action",
            "Make the tool inventory.",
            16,
            "Priya, could you make a list",
            owner="Priya",
            team=Team.it,
        ),  # a wrong guess from words; first name only
    ]
    liaison.ingest_path(SYNC)
    [item] = liaison.items(ItemFilters())[0]
    assert item.team == Team.marketing


def test_setting_a_side_later_retags_items_but_not_hand_corrections(liaison, extractor):
    extractor.by_title["2026-10-06"] = [
        draft(
            "action",
            "Set up SSO.",
            22,
            "Sam, can you set up the SSO integration",
            owner="Sam Ortiz",
        ),
        draft(
            "action",
            "Contract to procurement.",
            10,
            "I'll get the contract to procurement",
            owner="Sam Ortiz",
        ),
    ]
    liaison.ingest_path(SYNC)
    first, second = sorted(liaison.items(ItemFilters())[0], key=lambda i: i.id)
    liaison.update_item(second.id, {"team": Team.joint})
    from assistant.models import Person

    assert liaison.save_person(Person(name="Sam Ortiz", team=Team.it)) == 1
    assert liaison.item(first.id).team == Team.it
    assert liaison.item(second.id).team == Team.joint


def test_people_api_and_roles(settings, liaison):
    with api_client(settings, liaison) as admin:
        r = admin.put("/people/Priya Shah", json={"name": "x", "team": "Marketing"})
        assert r.status_code == 200 and r.json()["name"] == "Priya Shah"
        assert admin.get("/people").json()["people"][0]["team"] == "Marketing"
        assert admin.put("/people/Sam", json={"name": "Sam", "team": "Sales"}).status_code == 422
        # The name is the path's: the body need not repeat it (as the README's route suggests).
        r = admin.put("/people/Sam Ortiz", json={"team": "IT"})
        assert r.status_code == 200 and r.json() == {"name": "Sam Ortiz", "team": "IT", "title": ""}
        assert admin.put("/people/%20", json={"team": "IT"}).status_code == 422
        assert admin.delete("/people/Nobody").status_code == 404
    with api_client(settings, liaison, role="viewer") as viewer:
        assert viewer.get("/people").status_code == 200
        assert viewer.delete("/people/Priya Shah").status_code == 403


def test_a_person_needs_a_name_and_it_is_trimmed(liaison):
    from assistant.models import Person

    with pytest.raises(InvalidInput):
        liaison.save_person(Person(name="   ", team=Team.it))
    liaison.save_person(Person(name=" Sam Ortiz ", team=Team.it))
    assert [p.name for p in liaison.people()] == ["Sam Ortiz"]


def test_import_is_all_or_nothing(liaison):
    import pytest

    from assistant.errors import InvalidInput

    text = "people:\n  - {name: Dana Whitfield, team: IT}\n  - {name: '  ', team: Marketing}\n"
    with pytest.raises(InvalidInput):
        liaison.import_people(text)
    assert liaison.people() == []


def test_any_extractor_s_owner_gets_the_full_name_and_side_from_the_directory():
    """The same normalisation for offline and LLM items: 'Raj' said in the meeting is Raj
    Mehta of IT when the directory (or the speakers) know exactly one Raj."""
    from assistant.models import Person
    from assistant.people import apply_directory

    people = [
        Person(name="Raj Mehta", team=Team.it),
        Person(name="Elena Park", team=Team.marketing),
    ]
    items = [
        draft(
            "action", "Raj: SSO integration live — due 2026-11-10", 3, "I can have it", owner="Raj"
        ),
        draft("action", "Sam: the export", 4, "I'll do the export", owner="Sam"),
    ]
    raj, sam = apply_directory(items, people, speakers=["Elena Park", "Sam Ortiz", "Sam Lee"])
    assert (raj.owner, raj.team) == ("Raj Mehta", Team.it)
    assert raj.text == "Raj Mehta: SSO integration live — due 2026-11-10"
    assert sam.owner == "Sam"  # two Sams: not guessed
