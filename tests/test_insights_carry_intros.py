"""The watch carries the Introductions page's inputs from build to build: who knows whom, the people's index,
the intros made and the suggestions. After every kind of edit the answers are what a fresh build gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, person, write_vault
from vaultkit.build import BuildResult, build
from vaultkit.insights.acquainted import (
    acquaintance,
    carried_acquaintance,
)
from vaultkit.insights.intro_people import intro_people
from vaultkit.insights.intros import Intros, Suggestion, _introduced, intros, suggest_intros
from vaultkit.insights.shared import Insights
from vaultkit.live import LiveVault
from vaultkit.model import Event, Interaction, Org, Person, Vault
from vaultkit.values import Cadence

# --- a small vault, and edits to each input --------------------------------------------------------------


def meeting(date: str, *people: str, kind: str = "coffee", body: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n---\n{body}\n"


def event(*attendees: str) -> str:
    listed = ", ".join(f'"[[{p}]]"' for p in attendees)
    return f"---\ntype: event\ndate: 2026-10-01\nattendees: [{listed}]\n---\n"


ACME = '"[[Acme]]"'
FILES: dict[str, str] = {
    "vaultkit.toml": '[me]\nname = "Sam"\n',
    "people/Ann.md": person(
        needs=["python mentoring"], tags=["climate"], location="Lisbon", cadence="4w", org=ACME
    ),
    "people/Bob.md": person(
        offers=["python mentoring", "hiring advice"], tags=["climate", "design"], location="Lisbon"
    ),
    "people/Cy.md": person(needs=["hiring advice"], tags=["design"], location="Porto"),
    "people/Dee.md": person(
        offers=["pitch deck feedback"], needs=["seed round advice"], tags=["climate"], location="Porto"
    ),
    "people/Eve.md": person(offers=["seed round advice"], tags=["design"], location="Porto"),
    "people/Fay.md": person(needs=["pitch deck feedback"], tags=["climate"], org=ACME),
    "people/Gus.md": person(offers=["pitch deck feedback", "python mentoring"], location="Lisbon"),
    "people/Sam.md": person(offers=["hiring advice"], needs=["python mentoring"], tags=["climate"]),
    "orgs/Acme.md": "---\ntype: org\n---\n",
    "events/Meetup.md": event("Dee", "Fay"),
    "interactions/2026-11-20 Coffee.md": meeting("2026-11-20", "Ann", body="Talked about climate."),
    "interactions/2026-11-10 Lunch.md": meeting("2026-11-10", "Bob", "Gus"),
    "interactions/2026-11-05 Intro.md": meeting("2026-11-05", "Cy", "Eve", kind="intro"),
    "interactions/2026-10-01 Call.md": meeting("2026-10-01", "Dee"),
}

Edit = Callable[[Path], set[str]]


def rewrite(root: Path, rel: str, text: str) -> set[str]:
    (root / rel).write_text(text, encoding="utf-8")
    return {rel}


def edit_cadence(root: Path) -> set[str]:
    text = FILES["people/Ann.md"].replace("cadence: 4w", "cadence: 6w")
    return rewrite(root, "people/Ann.md", text)


def edit_needs(root: Path) -> set[str]:
    return rewrite(
        root, "people/Cy.md", person(needs=["pitch deck feedback"], tags=["design"], location="Porto")
    )


def edit_offers(root: Path) -> set[str]:
    text = person(offers=["seed round advice", "hiring advice"], tags=["design"], location="Porto")
    return rewrite(root, "people/Eve.md", text)


def edit_tags(root: Path) -> set[str]:
    text = person(offers=["python mentoring", "hiring advice"], tags=["Design"], location="Lisbon")
    return rewrite(root, "people/Bob.md", text)


def edit_location(root: Path) -> set[str]:
    return rewrite(root, "people/Cy.md", person(needs=["hiring advice"], tags=["design"], location="Lisbon"))


def edit_links(root: Path) -> set[str]:
    return rewrite(root, "people/Ann.md", FILES["people/Ann.md"] + "Knows [[Bob]] from school.\n")


def edit_org(root: Path) -> set[str]:
    return rewrite(
        root, "people/Fay.md", person(needs=["pitch deck feedback"], tags=["climate"], org="Other Co")
    )


def edit_how_met(root: Path) -> set[str]:
    text = person(offers=["seed round advice"], tags=["design"], location="Porto", how_met='"[[Dee]]"')
    return rewrite(root, "people/Eve.md", text)


def edit_with(root: Path) -> set[str]:
    return rewrite(root, "interactions/2026-11-20 Coffee.md", meeting("2026-11-20", "Ann", "Bob"))


def edit_summary(root: Path) -> set[str]:
    text = meeting("2026-11-20", "Ann", body="Talked about python.")
    return rewrite(root, "interactions/2026-11-20 Coffee.md", text)


def edit_contact_date(root: Path) -> set[str]:
    return rewrite(root, "interactions/2026-10-01 Call.md", meeting("2026-11-24", "Dee"))


def edit_attendees(root: Path) -> set[str]:
    return rewrite(root, "events/Meetup.md", event("Dee", "Fay", "Bob"))


def edit_intro(root: Path) -> set[str]:
    return rewrite(root, "interactions/2026-11-05 Intro.md", meeting("2026-11-05", "Cy", "Bob", kind="intro"))


def add_intro(root: Path) -> set[str]:
    return rewrite(
        root, "interactions/2026-11-12 Intro.md", meeting("2026-11-12", "Ann", "Gus", kind="intro")
    )


def add_person(root: Path) -> set[str]:
    return rewrite(root, "people/Hal.md", person(offers=["hiring advice"], tags=["design"], location="Porto"))


def edit_me(root: Path) -> set[str]:
    return rewrite(root, "vaultkit.toml", '[me]\nname = "Bob"\n')


def edit_me_by_alias(root: Path) -> set[str]:
    text = person(aliases=["Sam"], offers=["python mentoring", "hiring advice"], tags=["climate", "design"])
    return rewrite(root, "people/Bob.md", text)


def rename_person(root: Path) -> set[str]:
    (root / "people/Gus.md").rename(root / "people/Gustav.md")
    return {"people/Gus.md", "people/Gustav.md"}


EDITS: list[Edit] = [
    edit_cadence,
    edit_needs,
    edit_offers,
    edit_tags,
    edit_location,
    edit_links,
    edit_org,
    edit_how_met,
    edit_with,
    edit_summary,
    edit_contact_date,
    edit_attendees,
    edit_intro,
    add_intro,
    add_person,
    edit_me,
    edit_me_by_alias,
    rename_person,
]
UNCHANGED_FOR_INTROS = {edit_cadence, edit_summary}  # nothing the suggestions read changes
# what each edit changes of the inputs carried (a model built again gives records equal to the old ones)
PEOPLE_CHANGED = {
    edit_needs,
    edit_offers,
    edit_tags,
    edit_location,
    add_person,
    edit_me,
    edit_me_by_alias,
    rename_person,
}
INTROS_CHANGED = {edit_intro, add_intro}
KNOWN_CHANGED = {
    edit_links,
    edit_org,
    edit_how_met,
    edit_with,
    edit_contact_date,  # the interaction moves in the sorted order: not looked into further
    edit_attendees,
    edit_intro,
    add_intro,
    add_person,
    rename_person,
}


# --- what to compare ----------------------------------------------------------------------------------------


def pages(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "Agenda").glob("*.md"))}


def same_as_full(root: Path, live: BuildResult, today: dt.date = TODAY) -> None:
    """A whole build right after writes nothing: the live build's pages are byte for byte the same."""
    got = pages(root)
    assert "Introductions.md" in got
    full = build(root, today, use_stamp=False)
    assert full.written == (), f"the live build left {full.written} stale"
    assert pages(root) == got


Reports = tuple[Intros, dict[tuple[str | None, int | None], list[Suggestion]]]


def reports(vault: Vault, shared: Insights | None) -> Reports:
    """The page's report, and suggestions for each person and with a limit (each once per Insights)."""
    today = shared.today if shared is not None else TODAY
    page = intros(vault, today, shared=shared)
    found = {
        (who, limit): suggest_intros(vault, today, for_person=who, limit=limit, shared=shared)
        for who in [None, *vault.people]
        for limit in (None, 1)
    }
    return page, found


def live_vault(tmp_path: Path) -> tuple[Path, LiveVault, BuildResult]:
    root = write_vault(tmp_path / "vault", FILES)
    live = LiveVault(root)
    return root, live, live.build(TODAY)


def vault_of(result: BuildResult) -> Vault:
    assert result.loaded is not None
    return result.loaded.vault


# --- each edit: what a fresh build gives ----------------------------------------------------------------


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_each_edit_gives_what_a_fresh_build_gives(tmp_path: Path, edit: Edit) -> None:
    root, live, first = live_vault(tmp_path)
    before = Insights(vault_of(first), TODAY)
    reports(vault_of(first), before)
    after = live.build(TODAY, edit(root))
    same_as_full(root, after)
    vault = vault_of(after)
    fresh = reports(vault, Insights(vault, TODAY))
    assert fresh == reports(vault, None)
    assert reports(vault, Insights(vault, TODAY, before)) == fresh
    assert reports(vault, Insights(vault, TODAY, after.insights)) == fresh  # the build's own answers


def test_a_sequence_of_edits_and_days(tmp_path: Path) -> None:
    root, live, result = live_vault(tmp_path)
    day = TODAY
    for n, edit in enumerate([*EDITS, *EDITS[:4]]):
        previous = result.insights
        if n % 5 == 4:
            day += dt.timedelta(days=9)
            result = live.build(day, set())
        else:
            result = live.build(day, edit(root))
        same_as_full(root, result, day)
        vault = vault_of(result)
        assert reports(vault, Insights(vault, day, previous)) == reports(vault, Insights(vault, day))


# --- what is carried ------------------------------------------------------------------------------------


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_only_unchanged_inputs_are_carried(tmp_path: Path, edit: Edit) -> None:
    root, live, first = live_vault(tmp_path)
    after = live.build(TODAY, edit(root))
    old, new = first.insights, after.insights
    assert old is not None and new is not None
    assert (intro_people(new) is intro_people(old)) == (edit not in PEOPLE_CHANGED)
    assert (_introduced(new) is _introduced(old)) == (edit not in INTROS_CHANGED)
    assert (new.known is old.known) == (edit not in KNOWN_CHANGED)
    chosen_old = suggest_intros(vault_of(first), TODAY, shared=old)
    chosen_new = suggest_intros(vault_of(after), TODAY, shared=Insights(vault_of(after), TODAY, old))
    carried = bool(chosen_new) and all(a is b for a, b in zip(chosen_old, chosen_new, strict=False))
    assert carried == (edit in UNCHANGED_FOR_INTROS)


def test_a_new_day_carries_the_index_but_not_the_suggestions(tmp_path: Path) -> None:
    root, live, first = live_vault(tmp_path)
    later = TODAY + dt.timedelta(days=40)
    after = live.build(later, set())
    same_as_full(root, after, later)
    assert first.insights is not None and after.insights is not None
    assert intro_people(after.insights) is intro_people(first.insights)
    vault = vault_of(after)
    assert suggest_intros(vault, later, shared=Insights(vault, later, first.insights)) == suggest_intros(
        vault, later
    )


# --- carried_acquaintance, on the model -------------------------------------------------


def _model() -> Vault:
    people = {
        f"people/{n}.md": Person(f"people/{n}.md", n) for n in ("Ann", "Bob", "Cy", "Dee", "Eve", "Fay")
    }
    people["people/Ann.md"] = dataclasses.replace(people["people/Ann.md"], links_to=("people/Bob.md",))
    people["people/Cy.md"] = dataclasses.replace(people["people/Cy.md"], how_met_path="people/Dee.md")
    people["people/Eve.md"] = dataclasses.replace(
        people["people/Eve.md"], org="Acme", org_path="orgs/Acme.md"
    )
    people["people/Fay.md"] = dataclasses.replace(people["people/Fay.md"], org="Acme", aliases=("Sam",))
    interactions = (
        Interaction("i/1.md", "1", dt.date(2026, 1, 1), ("people/Ann.md",)),
        Interaction("i/2.md", "2", dt.date(2026, 2, 1), ("people/Bob.md", "people/Cy.md")),
    )
    events = {"e/1.md": Event("e/1.md", "1", attendees=("people/Dee.md", "people/Eve.md"))}
    return Vault(people=people, interactions=interactions, events=events)


def _person(vault: Vault, path: str, **changes: Any) -> Vault:
    people = dict(vault.people)
    people[path] = dataclasses.replace(people[path], **changes)
    return dataclasses.replace(vault, people=people)


def _interaction(vault: Vault, n: int, **changes: Any) -> Vault:
    made = list(vault.interactions)
    made[n] = dataclasses.replace(made[n], **changes)
    return dataclasses.replace(vault, interactions=tuple(made))


def _event(vault: Vault, **changes: Any) -> Vault:
    return dataclasses.replace(
        vault, events={"e/1.md": dataclasses.replace(vault.events["e/1.md"], **changes)}
    )


SAME: dict[str, Callable[[Vault], Vault]] = {
    "same vault": lambda v: v,
    "copied collections": lambda v: dataclasses.replace(
        v, people=dict(v.people), interactions=tuple(v.interactions), events=dict(v.events)
    ),
    "cadence": lambda v: _person(v, "people/Ann.md", cadence=Cadence(days=28, label="4w")),
    "needs": lambda v: _person(v, "people/Bob.md", needs=("advice",)),
    "equal links, new tuple": lambda v: _person(v, "people/Ann.md", links_to=("people/Bob.md",)),
    "interaction summary": lambda v: _interaction(v, 1, summary="hello"),
    "event name": lambda v: _event(v, name="renamed"),
    "an org note": lambda v: dataclasses.replace(v, orgs={"orgs/Acme.md": Org("orgs/Acme.md", "Acme")}),
}
CHANGED: dict[str, Callable[[Vault], Vault]] = {
    "links": lambda v: _person(v, "people/Ann.md", links_to=("people/Cy.md",)),
    "how_met": lambda v: _person(v, "people/Cy.md", how_met_path="people/Eve.md"),
    "org": lambda v: _person(v, "people/Fay.md", org="Other"),
    "org_path": lambda v: _person(v, "people/Eve.md", org_path=None),
    "with": lambda v: _interaction(v, 0, people=("people/Ann.md", "people/Fay.md")),
    "with, one person": lambda v: _interaction(v, 0, people=("people/Fay.md",)),
    "interaction added": lambda v: dataclasses.replace(
        v,
        interactions=(*v.interactions, Interaction("i/3.md", "3", None, ("people/Ann.md", "people/Eve.md"))),
    ),
    "attendees": lambda v: _event(v, attendees=("people/Dee.md",)),
    "event added": lambda v: dataclasses.replace(v, events={**v.events, "e/2.md": Event("e/2.md", "2")}),
    "person added": lambda v: dataclasses.replace(
        v, people={**v.people, "people/Gus.md": Person("people/Gus.md", "Gus")}
    ),
    "person removed": lambda v: dataclasses.replace(
        v, people={p: r for p, r in v.people.items() if p != "people/Dee.md"}
    ),
    "people reordered": lambda v: dataclasses.replace(v, people=dict(reversed(list(v.people.items())))),
}


@pytest.mark.parametrize("name", SAME)
def test_carried_acquaintance_when_nothing_it_reads_changed(name: str) -> None:
    old = _model()
    known = acquaintance(old)
    new = SAME[name](old)
    assert carried_acquaintance(old, known, new) is known
    assert known == acquaintance(new)


@pytest.mark.parametrize("name", CHANGED)
def test_no_carried_acquaintance_when_what_it_reads_changed(name: str) -> None:
    old = _model()
    assert carried_acquaintance(old, acquaintance(old), CHANGED[name](old)) is None
