"""Mentorship: mentors and mentees, check-ins due, updates owed, potential mentors, people I could help."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from tests.conftest import TODAY, VaultFactory, person
from vaultkit.cli_giving import register
from vaultkit.insights.mentorship import (
    could_help,
    mentees,
    mentors,
    mentorship,
    mentorship_json,
    potential_mentors,
)
from vaultkit.load import load_vault
from vaultkit.model import Vault
from vaultkit.pages import Linker
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.render import render_page

ME = '[me]\nname = "Sam"\ngoals = ["become an engineering manager", "raise a seed round"]\noffers = ["python mentoring"]\n'


def interaction(date: str, *people: str, kind: str = "call") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n---\n"


def load(root: Path) -> Vault:
    return load_vault(root).vault


def names(vault: Vault, rows: list) -> list[str]:  # type: ignore[type-arg]
    return [vault.people[r.person].name for r in rows]


def test_mentors_overdue_first_with_their_cadence(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Amara.md": person(relationship=["mentor"], cadence="6w"),
                "people/Ingrid.md": person(relationship="mentor"),
                "interactions/a.md": interaction("2026-10-08", "Amara"),
                "interactions/i.md": interaction("2026-10-29", "Ingrid"),
            }
        )
    )
    found = mentors(vault, TODAY)
    assert names(vault, found) == ["Amara", "Ingrid"]
    amara, ingrid = found
    assert (amara.next_due.isoformat(), amara.days_overdue, amara.cadence) == ("2026-11-19", 6, "6w")
    assert (ingrid.next_due.isoformat(), ingrid.days_overdue, ingrid.cadence) == ("2026-11-29", -4, "monthly")
    assert amara.overdue and not ingrid.overdue


def test_mentorship_goals_and_since(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Bea.md": "---\nrelationship: [mentee]\nmentorship:\n  since: 2025-09-15\n"
                "  goals: [learn system design]\n---\n"
            }
        )
    )
    [bea] = mentees(vault, TODAY)
    assert bea.role == "mentee"
    assert bea.since is not None and bea.since.isoformat() == "2025-09-15"
    assert bea.goals == ("learn system design",)
    assert bea.last_check_in is None
    assert bea.next_due.isoformat() == "2025-10-15"  # never met: due a cadence after `since`


def test_never_contacted_without_since_is_due_today(make_vault: VaultFactory) -> None:
    vault = load(make_vault({"people/New.md": person(relationship=["mentor"])}))
    [m] = mentors(vault, TODAY)
    assert m.next_due == TODAY and m.days_overdue == 0


def test_mentee_is_not_a_mentor(make_vault: VaultFactory) -> None:
    vault = load(make_vault({"people/Bea.md": person(relationship=["mentee"])}))
    assert mentors(vault, TODAY) == []
    assert names(vault, mentees(vault, TODAY)) == ["Bea"]


def test_updates_owed_only_to_mentors_due(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Late.md": person(relationship=["mentor"]),
                "people/Fine.md": person(relationship=["mentor"]),
                "people/Mentee.md": person(relationship=["mentee"]),
                "interactions/l.md": interaction("2026-09-01", "Late"),
                "interactions/f.md": interaction("2026-11-20", "Fine"),
                "interactions/m.md": interaction("2026-01-01", "Mentee"),
            }
        )
    )
    report = mentorship(vault, TODAY)
    assert names(vault, list(report.updates_owed)) == ["Late"]


def test_potential_mentors_match_my_goals(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "vaultkit.toml": ME,
                "people/Jonas.md": person(offers=["seed round advice"]),
                "people/Helena.md": person(offers=["Engineering manager coaching"]),
                "people/Nope.md": person(offers=["rust mentoring"]),
                "interactions/h.md": interaction("2026-11-20", "Helena"),
            }
        )
    )
    found = potential_mentors(vault, TODAY)
    assert names(vault, found) == ["Helena", "Jonas"]  # warmest first
    helena, jonas = found
    assert (helena.mine, helena.theirs, helena.words) == (
        "become an engineering manager",
        "Engineering manager coaching",
        ("engineering", "manager"),
    )
    assert helena.warmth > 0 and helena.warmth_label == "warm"
    assert (jonas.mine, jonas.words, jonas.warmth) == ("raise a seed round", ("seed", "round"), 0.0)


def test_current_mentors_are_not_potential_mentors(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "vaultkit.toml": ME,
                "people/Jonas.md": person(offers=["seed round advice"], relationship="mentor"),
            }
        )
    )
    assert potential_mentors(vault, TODAY) == []


def test_no_goals_no_potential_mentors(make_vault: VaultFactory) -> None:
    vault = load(make_vault({"people/Jonas.md": person(offers=["seed round advice"])}))
    assert potential_mentors(vault, TODAY) == []


def test_people_i_could_help(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "vaultkit.toml": ME,
                "people/Bea.md": person(needs=["Python mentoring", "talk feedback"]),
                "people/Cy.md": person(needs=["rust mentoring"]),
            }
        )
    )
    [bea] = could_help(vault, TODAY)
    assert (vault.people[bea.person].name, bea.mine, bea.theirs) == (
        "Bea",
        "python mentoring",
        "Python mentoring",
    )


def test_json_names_people(make_vault: VaultFactory) -> None:
    vault = load(make_vault({"vaultkit.toml": ME, "people/Amara.md": person(relationship=["mentor"])}))
    data = mentorship_json(vault, mentorship(vault, TODAY))
    assert list(data) == ["mentors", "mentees", "updates_owed", "potential_mentors", "could_help"]
    assert data["mentors"][0]["person"] == "Amara"
    assert data["mentors"][0]["next_due"] == "2026-11-25"


def test_mentorship_page(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "vaultkit.toml": ME,
            "people/Amara.md": person(relationship=["mentor"], cadence="6w"),
            "people/Jonas.md": person(offers=["seed round advice"]),
            "interactions/a.md": interaction("2026-10-08", "Amara"),
        }
    )
    loaded = load_vault(root)
    template, builder = GIVING_PAGES["Mentorship.md"]
    text = render_page(template, builder(loaded.vault, TODAY, Linker([n.path for n in loaded.notes])), None)
    assert "As of 2026-11-25." in text
    assert "## Progress updates I owe (1)\n- [[Amara]]: update 6 days overdue (last 2026-10-08)" in text
    assert "## Potential mentors for my goals (1)\n- [[Jonas]] offers seed round advice" in text
    assert "- [ ]" not in text


def test_cli_mentors_json(make_vault: VaultFactory) -> None:
    root = make_vault({"people/Amara.md": person(relationship=["mentor"])})
    group = click.Group()
    register(group)
    result = CliRunner().invoke(group, ["mentors", str(root), "--json", "--today", "2026-11-25"])
    assert result.exit_code == 0
    assert json.loads(result.output)["mentors"][0]["days_overdue"] == 0
    text = CliRunner().invoke(group, ["mentors", str(root), "--today", "2026-11-25"])
    assert "Amara: due today (no check-in yet, cadence monthly)" in text.output
