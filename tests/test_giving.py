"""Giving back: reciprocity, help I owe back, resources to share."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TODAY, VaultFactory, person
from vaultkit.insights.giving import giving, giving_json, owe_back, reciprocity, resources_to_share
from vaultkit.load import load_vault
from vaultkit.model import Vault
from vaultkit.pages import Linker
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.render import render_page


def interaction(date: str, *people: str, kind: str = "coffee", extra: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n{extra}---\n"


def load(root: Path) -> Vault:
    return load_vault(root).vault


def resource(*topics: str) -> str:
    return f"---\ntype: resource\ntopics: [{', '.join(topics)}]\n---\n"


def test_reciprocity_counts_and_newest_first(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "people/Bob.md": person(),
                "interactions/1.md": interaction("2026-03-01", "Ann", extra="gave: [CV review]\n"),
                "interactions/2.md": interaction(
                    "2026-04-01", "Ann", extra="received: [intro to Acme, a book]\n"
                ),
                "interactions/3.md": interaction("2026-05-01", "Bob", extra="gave: [feedback]\n"),
                "interactions/4.md": interaction("2026-06-01", "Bob"),
            }
        )
    )
    rows = giving_json(vault, giving(vault, TODAY))["reciprocity"]
    assert [(r["person"], r["given"], r["received"]) for r in rows] == [("Bob", 1, 0), ("Ann", 1, 2)]
    assert [h.what for h in reciprocity(vault, TODAY)[1].items] == ["a book", "intro to Acme", "CV review"]


def test_future_help_is_not_counted(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "interactions/f.md": interaction("2026-12-01", "Ann", extra="gave: [x]\n"),
            }
        )
    )
    assert reciprocity(vault, TODAY) == []


def test_an_intro_i_made_counts_for_both(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "people/Bob.md": person(),
                "interactions/i.md": interaction("2026-11-01", "Ann", "Bob", kind="intro"),
            }
        )
    )
    rows = {vault.people[r.person].name: r for r in reciprocity(vault, TODAY)}
    assert rows["Ann"].items[0].what == "intro to Bob" and rows["Ann"].items[0].direction == "intro"
    assert rows["Bob"].items[0].what == "intro to Ann" and rows["Bob"].given == 1


def test_owe_back_someone_who_helped_recently(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "interactions/r.md": interaction("2026-10-01", "Ann", extra="received: [pitch feedback]\n"),
            }
        )
    )
    [o] = owe_back(vault, TODAY)
    assert (vault.people[o.person].name, o.received.what, o.days_ago) == ("Ann", "pitch feedback", 55)


def test_helping_back_since_clears_it(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "interactions/r.md": interaction("2026-10-01", "Ann", extra="received: [pitch feedback]\n"),
                "interactions/g.md": interaction("2026-10-20", "Ann", extra="gave: [intro to a designer]\n"),
            }
        )
    )
    assert owe_back(vault, TODAY) == []


def test_help_before_they_helped_does_not_count(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "interactions/g.md": interaction("2026-09-01", "Ann", extra="gave: [code review]\n"),
                "interactions/r.md": interaction("2026-10-01", "Ann", extra="received: [pitch feedback]\n"),
            }
        )
    )
    assert len(owe_back(vault, TODAY)) == 1


def test_old_help_is_not_owed(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(),
                "interactions/r.md": interaction(
                    "2026-08-26", "Ann", extra="received: [feedback]\n"
                ),  # 91 days
            }
        )
    )
    assert owe_back(vault, TODAY) == []


def test_resource_goes_to_people_whose_tags_or_needs_match(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "resources/Climate Report.md": resource("climate", "fundraising"),
                "people/Ann.md": person(tags=["Climate"]),
                "people/Bob.md": person(needs=["fundraising help"]),
                "people/Cy.md": person(tags=["rust"]),
            }
        )
    )
    [share] = resources_to_share(vault, TODAY)
    assert share.resource == "resources/Climate Report.md"
    assert [(vault.people[w.person].name, w.topic, w.why) for w in share.people] == [
        ("Ann", "climate", "climate"),
        ("Bob", "fundraising", "fundraising help"),
    ]


def test_resource_already_sent_is_not_sent_again(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "resources/Climate Report.md": resource("climate"),
                "people/Ann.md": person(tags=["climate"]),
                "people/Bob.md": person(tags=["climate"]),
                "interactions/s.md": interaction(
                    "2026-01-01", "Ann", extra='shared: ["[[Climate Report]]"]\n'
                ),
            }
        )
    )
    [share] = resources_to_share(vault, TODAY)
    assert [vault.people[w.person].name for w in share.people] == ["Bob"]


def test_a_few_warmest_per_resource(make_vault: VaultFactory) -> None:
    files = {"resources/R.md": resource("python")}
    files.update({f"people/P{k}.md": person(tags=["python"]) for k in range(5)})
    files["interactions/a.md"] = interaction("2026-11-20", "P4")
    files["interactions/b.md"] = interaction("2026-06-20", "P3")
    vault = load(make_vault(files))
    [share] = resources_to_share(vault, TODAY)
    assert [vault.people[w.person].name for w in share.people] == ["P4", "P3", "P0"]


def test_giving_back_page(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": person(tags=["climate"]),
            "resources/Climate Report.md": resource("climate"),
            "interactions/2026-10-01 Call.md": interaction(
                "2026-10-01", "Ann", extra="received: [pitch feedback]\n"
            ),
        }
    )
    loaded = load_vault(root)
    template, builder = GIVING_PAGES["Giving back.md"]
    text = render_page(template, builder(loaded.vault, TODAY, Linker([n.path for n in loaded.notes])), None)
    assert "As of 2026-11-25." in text
    assert (
        "- [[Ann]]: pitch feedback (2026-10-01, 55 days ago, [[2026-10-01 Call]]); nothing back since" in text
    )
    assert "- [[Climate Report]] (climate): [[Ann]] (climate, cooling)" in text
    assert "- [[Ann]]: given 0, received 1; latest 2026-10-01: they gave me pitch feedback" in text
    assert "- [ ]" not in text


def test_giving_command_json_and_text(make_vault: VaultFactory) -> None:
    import json

    from click.testing import CliRunner

    from vaultkit.cli import cli

    root = make_vault(
        {
            "people/Ann.md": "---\ntags: [climate]\n---\n",
            "resources/Report.md": "---\ntopics: [climate]\n---\n",
            "interactions/a.md": '---\ndate: 2026-11-01\nwith: ["[[Ann]]"]\nreceived: [an intro to Acme]\n---\n',
        }
    )
    result = CliRunner().invoke(cli, ["giving", str(root), "--today", "2026-11-25", "--json"])
    data = json.loads(result.output)
    assert list(data) == ["reciprocity", "owe_back", "resources"]
    assert data["owe_back"][0]["person"] == "Ann"
    assert data["resources"][0]["people"][0]["person"] == "Ann"
    text = CliRunner().invoke(cli, ["giving", str(root), "--today", "2026-11-25"])
    assert "Ann: an intro to Acme (24 days ago)" in text.output
