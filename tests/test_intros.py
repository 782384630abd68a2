"""Introductions, rule by rule: reasons, acquaintance, intros made, caps, warmth, check-ins, JSON, the page."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import TODAY, VaultFactory, person
from vaultkit.cli_giving import register
from vaultkit.insights.acquainted import acquaintance, acquainted_pairs, intros_made
from vaultkit.insights.intros import intro_check_ins, intros_json, suggest_intros, with_article
from vaultkit.load import load_vault
from vaultkit.model import Vault
from vaultkit.pages import Linker
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.render import render_page


def interaction(date: str, *people: str, kind: str = "coffee", extra: str = "", body: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n{extra}---\n{body}\n"


def load(root: Path) -> Vault:
    return load_vault(root).vault


def pairs(vault: Vault, for_person: str | None = None, limit: int | None = None) -> list[tuple[str, str]]:
    found = suggest_intros(vault, TODAY, for_person=for_person, limit=limit)
    return [(vault.people[s.a].name, vault.people[s.b].name) for s in found]


IVY_JON = {
    "people/Ivy.md": person(needs=["senior product designer"]),
    "people/Jon.md": person(offers=["senior product designer"]),
}


def test_need_meets_offer_with_plain_reason(make_vault: VaultFactory) -> None:
    vault = load(make_vault(IVY_JON))
    rows = intros_json(vault, suggest_intros(vault, TODAY))
    assert rows == [
        {
            "a": "Ivy",
            "b": "Jon",
            "score": rows[0]["score"],
            "reasons": ["Ivy needs a senior product designer; Jon offers senior product designer"],
        }
    ]
    assert isinstance(rows[0]["score"], float) and rows[0]["score"] > 0


def test_need_meets_offer_in_both_directions(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(needs=["Climate Investors"], offers=["hiring advice"]),
                "people/Bob.md": person(needs=["advice on hiring"], offers=["intros to climate investors"]),
            }
        )
    )
    [s] = suggest_intros(vault, TODAY)
    assert s.reasons == (
        "Ann needs Climate Investors; Bob offers intros to climate investors",
        "Bob needs advice on hiring; Ann offers hiring advice",
    )
    assert s.kinds == ("need-offer",)


def test_more_specific_need_meets_shorter_offer_regardless_of_order(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ivy.md": person(needs=["designers, senior product"]),
                "people/Jon.md": person(offers=["Product Designer"]),
            }
        )
    )
    assert pairs(vault) == [("Ivy", "Jon")]


def test_shared_tags_suggest_a_pair(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {"people/Ann.md": person(tags=["climate", "python"]), "people/Bob.md": person(tags="Python")}
        )
    )
    [s] = suggest_intros(vault, TODAY)
    assert s.reasons == ("both are into python",)
    assert s.kinds == ("shared tags",)


def test_same_location_alone_is_the_weakest_reason(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(location="Lisbon"),
                "people/Bob.md": person(location="lisbon"),
                "people/Cy.md": person(tags=["climate"]),
                "people/Dee.md": person(tags=["climate"]),
            }
        )
    )
    found = suggest_intros(vault, TODAY)
    assert [(s.a, s.b, s.kinds) for s in found] == [
        ("people/Cy.md", "people/Dee.md", ("shared tags",)),
        ("people/Ann.md", "people/Bob.md", ("location",)),
    ]
    assert found[1].reasons == ("both in Lisbon",)


def test_colleagues_at_the_same_org_are_acquainted(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "orgs/Acme.md": "",
                "people/Ann.md": '---\norg: "[[Acme]]"\nneeds: [designer]\n---\n',
                "people/Bob.md": '---\norg: "[[acme]]"\noffers: [designer]\n---\n',
            }
        )
    )
    assert suggest_intros(vault, TODAY) == []


def test_stems_ending_in_s_are_not_cut_again(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(needs=["help closing deals"]),
                "people/Bob.md": person(offers=["closing deals"]),
            }
        )
    )
    assert [(s.a, s.b) for s in suggest_intros(vault, TODAY)] == [("people/Ann.md", "people/Bob.md")]


def test_same_location_adds_to_a_suggestion(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(tags=["climate"], location="Lisbon"),
                "people/Bob.md": person(tags=["climate"], location="Lisbon"),
                "people/Cy.md": person(tags=["climate"], location="Porto"),
            }
        )
    )
    found = {(s.a, s.b): s for s in suggest_intros(vault, TODAY)}
    ann_bob = found[("people/Ann.md", "people/Bob.md")]
    assert ann_bob.reasons == ("both are into climate", "both in Lisbon")
    assert ann_bob.score > found[("people/Ann.md", "people/Cy.md")].score


@pytest.mark.parametrize(
    "files",
    [
        {"interactions/dinner.md": interaction("2026-05-01", "Ivy", "Jon")},
        {"interactions/intro.md": interaction("2026-05-01", "Ivy", "Jon", kind="intro")},
        {"people/Ivy.md": person(needs=["senior product designer"], body="Worked with [[Jon]] years ago.")},
        {"people/Jon.md": person(offers=["senior product designer"], body="Knows [[Ivy]].")},
        {"people/Jon.md": person(offers=["senior product designer"], how_met='"[[Ivy]]"')},
        {"events/Meetup.md": '---\ndate: 2026-03-01\nattendees: ["[[Ivy]]", "[[Jon]]"]\n---\n'},
    ],
    ids=[
        "named together",
        "intro interaction",
        "Ivy links to Jon",
        "Jon links to Ivy",
        "met through Ivy",
        "same event",
    ],
)
def test_acquainted_pairs_are_never_suggested(make_vault: VaultFactory, files: dict[str, str]) -> None:
    vault = load(make_vault({**IVY_JON, **files}))
    assert acquainted_pairs(vault) == {frozenset({"people/Ivy.md", "people/Jon.md"})}
    assert suggest_intros(vault, TODAY) == []


def test_a_separate_coffee_with_each_does_not_make_them_acquainted(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                **IVY_JON,
                "interactions/a.md": interaction("2026-11-01", "Ivy"),
                "interactions/b.md": interaction("2026-11-02", "Jon"),
            }
        )
    )
    assert not acquaintance(vault).knows("people/Ivy.md", "people/Jon.md")
    assert pairs(vault) == [("Ivy", "Jon")]


def test_an_intro_made_is_not_suggested_again(make_vault: VaultFactory) -> None:
    root = make_vault(IVY_JON)
    assert pairs(load(root)) == [("Ivy", "Jon")]
    (root / "interactions").mkdir()
    (root / "interactions/intro.md").write_text(interaction("2026-01-05", "Jon", "Ivy", kind="intro"))
    vault = load(root)
    assert [m.people for m in intros_made(vault)] == [("people/Ivy.md", "people/Jon.md")]
    assert pairs(vault) == []


def test_hub_person_is_capped(make_vault: VaultFactory) -> None:
    files = {"people/Hub.md": person(offers=["python mentoring"])}
    files.update({f"people/N{k}.md": person(needs=["Python mentoring"]) for k in range(6)})
    vault = load(make_vault(files))
    found = pairs(vault)
    assert found == [("Hub", "N0"), ("Hub", "N1"), ("Hub", "N2")]
    assert suggest_intros(vault, TODAY, cap=5)[4].b == "people/N4.md"


def test_for_person_lists_only_their_pairs_and_is_not_capped(make_vault: VaultFactory) -> None:
    files = {"people/Hub.md": person(offers=["python mentoring"]), "people/X.md": person(tags=["a"])}
    files.update({f"people/N{k}.md": person(needs=["python mentoring"], tags=["a"]) for k in range(5)})
    vault = load(make_vault(files))
    found = pairs(vault, for_person="people/Hub.md")
    assert found == [("Hub", f"N{k}") for k in range(5)]
    assert pairs(vault, for_person="people/Hub.md", limit=2) == [("Hub", "N0"), ("Hub", "N1")]


def test_limit(make_vault: VaultFactory) -> None:
    files = {f"people/P{k}.md": person(tags=["climate"]) for k in range(4)}
    assert len(suggest_intros(load(make_vault(files)), TODAY, limit=2)) == 2


def test_warm_contacts_rank_first(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "people/Ann.md": person(needs=["designer"]),
                "people/Bob.md": person(offers=["designer"]),
                "people/Cat.md": person(needs=["lawyer"]),
                "people/Dan.md": person(offers=["lawyer"]),
                "interactions/c.md": interaction("2026-11-20", "Cat"),
                "interactions/d.md": interaction("2026-11-21", "Dan"),
            }
        )
    )
    cat_dan, ann_bob = suggest_intros(vault, TODAY)
    assert (cat_dan.a, cat_dan.b, ann_bob.a, ann_bob.b) == (
        "people/Cat.md", "people/Dan.md", "people/Ann.md", "people/Bob.md",
    )  # fmt: skip
    assert cat_dan.score > ann_bob.score
    assert cat_dan.reasons[-1] == "you are in warm contact with both"


def test_me_is_never_suggested(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                "vaultkit.toml": '[me]\nname = "Sam"\n',
                "people/Sam Rivera.md": person(aliases=["Sam"], offers=["designer"]),
                "people/Ivy.md": person(needs=["designer"]),
            }
        )
    )
    assert suggest_intros(vault, TODAY) == []


def test_ties_break_by_name_and_output_is_stable(make_vault: VaultFactory) -> None:
    files = {f"people/{n}.md": person(tags=["climate"]) for n in ("Dee", "ann", "Cy", "Bob")}
    vault = load(make_vault(files))
    first = json.dumps(intros_json(vault, suggest_intros(vault, TODAY)))
    assert [tuple(r.values())[:2] for r in json.loads(first)] == [
        ("ann", "Bob"), ("ann", "Cy"), ("ann", "Dee"), ("Bob", "Cy"), ("Bob", "Dee"), ("Cy", "Dee"),
    ]  # fmt: skip
    assert json.dumps(intros_json(vault, suggest_intros(vault, TODAY))) == first


@pytest.mark.parametrize(("days", "listed"), [(13, False), (14, True), (28, True), (29, False)])
def test_check_in_two_to_four_weeks_after_an_intro(make_vault: VaultFactory, days: int, listed: bool) -> None:
    made = (TODAY - dt.timedelta(days=days)).isoformat()
    vault = load(
        make_vault({**IVY_JON, "interactions/intro.md": interaction(made, "Ivy", "Jon", kind="intro")})
    )
    found = intro_check_ins(vault, TODAY)
    assert bool(found) is listed
    if listed:
        assert found[0].days_ago == days and found[0].people == ("people/Ivy.md", "people/Jon.md")


def test_no_check_in_after_contact_with_either(make_vault: VaultFactory) -> None:
    vault = load(
        make_vault(
            {
                **IVY_JON,
                "interactions/intro.md": interaction("2026-11-05", "Ivy", "Jon", kind="intro"),
                "interactions/later.md": interaction("2026-11-10", "Jon"),
            }
        )
    )
    assert intro_check_ins(vault, TODAY) == []


def test_with_article() -> None:
    assert with_article("senior product designer") == "a senior product designer"
    assert with_article("angel investor") == "an angel investor"
    assert with_article("climate investors") == "climate investors"
    assert with_article("hiring advice") == "hiring advice"
    assert with_article("a lawyer") == "a lawyer"


def _render(root: Path, page: str) -> str:
    loaded = load_vault(root)
    template, builder = GIVING_PAGES[page]
    context = builder(loaded.vault, TODAY, Linker([n.path for n in loaded.notes]))
    return render_page(template, context, None)


def test_introductions_page(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            **IVY_JON,
            "people/Kim.md": person(tags=["x"]),
            "people/Lee.md": person(tags=["x"]),
            "interactions/2026-11-05 Intro.md": interaction("2026-11-05", "Kim", "Lee", kind="intro"),
        }
    )
    text = _render(root, "Introductions.md")
    assert "As of 2026-11-25." in text
    assert "## Suggested introductions (1)" in text
    assert "- [[Ivy]] and [[Jon]] (score" in text
    assert "Ivy needs a senior product designer; Jon offers senior product designer" in text
    assert "## How did the intro go? (1)" in text
    assert "[[Kim]] and [[Lee]]: introduced 20 days ago" in text
    assert "- [ ]" not in text


def _cli(args: list[str]) -> tuple[int, str]:
    group = click.Group()
    register(group)
    result = CliRunner().invoke(group, args, catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_intros_json(make_vault: VaultFactory) -> None:
    root = make_vault(IVY_JON)
    code, out = _cli(["intros", str(root), "--json", "--today", "2026-11-25"])
    assert code == 0
    rows = json.loads(out)
    assert [list(r) for r in rows] == [["a", "b", "score", "reasons"]]
    assert rows[0]["a"] == "Ivy"


def test_cli_intros_for_unknown_person_fails_with_close_matches(make_vault: VaultFactory) -> None:
    code, out = _cli(["intros", str(make_vault(IVY_JON)), "--for", "Jom"])
    assert code == 1
    assert "no person named 'Jom'; did you mean Jon?" in out


def test_cli_intros_text(make_vault: VaultFactory) -> None:
    code, out = _cli(
        ["intros", str(make_vault(IVY_JON)), "--for", "iv", "--limit", "1", "--today", "2026-11-25"]
    )
    assert code == 0
    assert "Suggested introductions (1)" in out and "Ivy + Jon" in out


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.mark.slow
def test_ten_thousand_people_in_well_under_a_second() -> None:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_intros.py"
    spec = importlib.util.spec_from_file_location("bench_intros", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    vault = bench.generate(10_000)
    assert min(_seconds(lambda: suggest_intros(vault, bench.TODAY)) for _ in range(3)) < 1.0
