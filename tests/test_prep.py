"""Briefings: finding the person, and what the briefing holds; the `prep` command."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import TODAY, VaultFactory, person
from vaultkit.cli_giving import register
from vaultkit.insights.prep import PersonNotFound, find_person, prep, prep_json
from vaultkit.load import load_vault
from vaultkit.model import Vault


def interaction(date: str, *people: str, kind: str = "coffee", extra: str = "", body: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n{extra}---\n{body}\n"


PEOPLE = {
    "people/Jane Doe.md": person(aliases=["JD", "Janie"]),
    "people/Jon Smith.md": person(),
    "people/Omar Ali.md": person(),
}


def load(root: Path) -> Vault:
    return load_vault(root).vault


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("Jane Doe", "people/Jane Doe.md"),
        ("jane doe", "people/Jane Doe.md"),
        ("jd", "people/Jane Doe.md"),
        ("JANIE", "people/Jane Doe.md"),
        ("jan", "people/Jane Doe.md"),
        ("Om", "people/Omar Ali.md"),
        ("people/Jon Smith", "people/Jon Smith.md"),
    ],
    ids=["name", "any case", "alias", "alias any case", "unique prefix", "short prefix", "path"],
)
def test_find_person(make_vault: VaultFactory, query: str, path: str) -> None:
    assert find_person(load(make_vault(PEOPLE)), query) == path


def test_ambiguous_prefix_names_the_candidates(make_vault: VaultFactory) -> None:
    with pytest.raises(PersonNotFound) as err:
        find_person(load(make_vault(PEOPLE)), "j")
    assert err.value.ambiguous
    assert err.value.matches == ("Jane Doe", "Jon Smith")
    assert str(err.value) == "'j' could be Jane Doe or Jon Smith; say which"


def test_unknown_name_gives_close_matches(make_vault: VaultFactory) -> None:
    with pytest.raises(PersonNotFound) as err:
        find_person(load(make_vault(PEOPLE)), "Jane Dough")
    assert err.value.matches == ("Jane Doe",)
    assert not err.value.ambiguous
    assert str(err.value) == "no person named 'Jane Dough'; did you mean Jane Doe?"


def test_unknown_name_without_close_matches(make_vault: VaultFactory) -> None:
    with pytest.raises(PersonNotFound) as err:
        find_person(load(make_vault(PEOPLE)), "Zebedee")
    assert err.value.matches == ()
    assert str(err.value) == "no person named 'Zebedee'"


BRIEF = {
    "vaultkit.toml": '[me]\nname = "Sam"\n',
    "people/Sam.md": person(),
    "people/Jane Doe.md": person(
        aliases=["Jane"],
        org='"[[Acme]]"',
        role="VP Engineering",
        how_met='"[[PyCon]]"',
        met_on="2026-06-02",
        needs=["senior product designer"],
        offers=["hiring advice"],
        tags=["climate"],
        milestones=[
            {"date": "2026-11-15", "what": "Promoted to CTO"},
            {"date": "2024-01-01", "what": "Old news"},
        ],
    ),
    "people/Jon.md": person(offers=["product designer"]),
    "people/Omar.md": person(),
    "orgs/Acme.md": "---\ntype: org\n---\n",
    "events/PyCon.md": '---\ndate: 2026-06-02\nattendees: ["[[Jane Doe]]", "[[Omar]]", "[[Sam]]"]\n---\n',
    "interactions/2026-10-01 Coffee.md": interaction(
        "2026-10-01",
        "Jane Doe",
        extra="gave: [deck feedback]\n",
        body="- [ ] Send Jane the deck 📅 2026-12-01\n",
    ),
    "interactions/2026-11-01 Call.md": interaction(
        "2026-11-01", "Jane", kind="call", body="- [ ] Jane to send me her hiring plan\n- [x] Done thing\n"
    ),
}


def test_briefing(make_vault: VaultFactory) -> None:
    vault = load(make_vault(BRIEF))
    b = prep(vault, "jane", TODAY)
    assert b.person.name == "Jane Doe" and b.person.org == "Acme" and b.person.role == "VP Engineering"
    assert (b.person.how_met, str(b.person.met_on)) == ("PyCon", "2026-06-02")
    assert [i.name for i in b.interactions] == ["2026-11-01 Call", "2026-10-01 Coffee"]
    assert b.interactions[1].gave == ("deck feedback",)
    assert [(p.text, str(p.due)) for p in b.i_owe] == [("Send Jane the deck", "2026-12-01")]
    assert [p.text for p in b.they_owe] == ["Jane to send me her hiring plan"]
    assert [m.what for m in b.milestones] == ["Promoted to CTO"]
    assert b.mutual == ("people/Omar.md",)  # Sam is me
    assert [(s.a, s.b) for s in b.intros] == [("people/Jane Doe.md", "people/Jon.md")]


def test_briefing_json(make_vault: VaultFactory) -> None:
    vault = load(make_vault(BRIEF))
    data = prep_json(vault, prep(vault, "Jane Doe", TODAY))
    assert data["person"] == "Jane Doe"
    assert data["needs"] == ["senior product designer"] and data["offers"] == ["hiring advice"]
    assert data["mutual"] == ["Omar"] and data["mutual_count"] == 1
    assert data["intros"] == [
        {
            "a": "Jane Doe",
            "b": "Jon",
            "score": data["intros"][0]["score"],  # type: ignore[index]
            "reasons": ["Jane Doe needs a senior product designer; Jon offers product designer"],
        }
    ]
    assert data["interaction_count"] == 2


def _cli(args: list[str]) -> tuple[int, str]:
    group = click.Group()
    register(group)
    result = CliRunner().invoke(group, args)
    return result.exit_code, result.output


def test_cli_prep_json_is_stable(make_vault: VaultFactory) -> None:
    root = make_vault(BRIEF)
    code, out = _cli(["prep", "JANE", "--vault", str(root), "--json", "--today", "2026-11-25"])
    assert code == 0
    assert json.loads(out)["person"] == "Jane Doe"
    assert _cli(["prep", "JANE", "--vault", str(root), "--json", "--today", "2026-11-25"])[1] == out


def test_cli_prep_text(make_vault: VaultFactory) -> None:
    code, out = _cli(["prep", "Jane", "--vault", str(make_vault(BRIEF)), "--today", "2026-11-25"])
    assert code == 0
    assert "Jane Doe (as of 2026-11-25)" in out
    assert "Org: Acme" in out and "They promised (1)" in out and "Jane to send me her hiring plan" in out


def test_cli_prep_unknown_person_exits_1_with_close_matches(make_vault: VaultFactory) -> None:
    code, out = _cli(["prep", "Jon Smyth", "--vault", str(make_vault(PEOPLE))])
    assert code == 1
    assert out == "Error: no person named 'Jon Smyth'; did you mean Jon Smith?\n"


def test_briefing_shows_a_line_of_each_interaction(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\n---\n",
            "interactions/a.md": (
                '---\ndate: 2026-11-01\nwith: ["[[Ann]]"]\n---\n# Coffee\n\n```\ncode\n```\n'
                "- [ ] a task\n- She is moving to Berlin in March.\nMore.\n"
            ),
        }
    )
    data = prep_json(load_vault(root).vault, prep(load_vault(root).vault, "Ann", TODAY))
    assert data["interactions"][0]["summary"] == "She is moving to Berlin in March."
