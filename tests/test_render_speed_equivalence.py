"""The faster ways some insights are worked out give what the plain ways give.

Each test holds a fast path to a straightforward reference (the code it replaced, kept here) on random
records, including the rare cases the fast path hands back to a slower one: orgs whose key looks like a tag,
tags written alike, people named twice in a `with:`, ties in warmth. And `render_pages` freezes what the
insights make (no collection walks it again), which is only right while they make no reference cycles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import random
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from tests.conftest import TODAY
from vaultkit.insights import mentorship as mentorship_module
from vaultkit.insights.acquainted import acquaintance
from vaultkit.insights.common import name_of
from vaultkit.insights.intro_people import IntroPeople
from vaultkit.insights.matching import PhraseIndex, match, phrase
from vaultkit.insights.mentorship import GoalMatch
from vaultkit.insights.network import _label_counts, _label_counts_in_order, _nearest, _warmest
from vaultkit.insights.shared import Insights
from vaultkit.load import load_vault
from vaultkit.model import Event, Interaction, Person, Vault
from vaultkit.model.people import name_key
from vaultkit.pages import PAGES, Linker

EXAMPLE = Path(__file__).resolve().parents[1] / "example-vault"
SEEDS = range(12)
TAGS = ["python", "Python", "designer", "designers", "ai", "a.i.", "the", "climate", "#x", "x", ""]
TEXTS = ["python mentoring", "seed round advice", "senior product designer", "hiring", "a", "hiring advice"]


def _vault(seed: int, people: int = 40) -> Vault:
    rng = random.Random(seed)
    paths = [f"people/P{n:02d}.md" for n in range(people)]

    def some(items: list[str], most: int) -> tuple[str, ...]:
        return tuple(rng.choice(items) for _ in range(rng.randint(0, most)))

    made = {}
    for path in paths:
        org = rng.choice([None, "Acme", "acme ", "#Hash", "Beta", ""])
        made[path] = Person(
            path,
            rng.choice(["Ann", "ann", "Bob", "Émile", path[7:10]]),
            org=org,
            org_path=rng.choice([None, "orgs/Acme.md", "#orgs/odd.md"]) if org else None,
            location=rng.choice([None, "", "Lisbon", "lisbon ", "Porto"]),
            tags=some(TAGS, 5),
            needs=some(TEXTS, 2),
            offers=some(TEXTS, 3),
            relationship=some(["mentor", "mentee", "friend", "co-mentor", "mentor-mentee"], 2),
            links_to=some([*paths, "people/Nobody.md"], 2),
            how_met_path=rng.choice([None, *paths[:5], "events/E1.md"]),
        )
    interactions = tuple(
        Interaction(
            f"i/{n:03d}.md",
            str(n),
            rng.choice([None, dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 400))]),
            some([*paths, "people/Nobody.md"], 4),
        )
        for n in range(3 * people)
    )
    events = {"events/E1.md": Event("events/E1.md", "E1", attendees=some(paths, 4))}
    return Vault(people=made, interactions=interactions, events=events)


# --- who knows whom ----------------------------------------------------------------------------------------


def _direct(vault: Vault) -> dict[str, set[str]]:
    """`acquaintance`'s people named together, as it used to spell them out."""
    everyone = vault.people
    direct: dict[str, set[str]] = defaultdict(set)
    for i in vault.interactions:
        for a, b in combinations([p for p in dict.fromkeys(i.people) if p in everyone], 2):
            direct[a].add(b)
            direct[b].add(a)
    for path, person in everyone.items():
        linked = (*person.links_to, person.how_met_path) if person.how_met_path else person.links_to
        for other in linked:
            if other != path and other in everyone:
                direct[path].add(other)
                direct[other].add(path)
    return dict(direct)


@pytest.mark.parametrize("seed", SEEDS)
def test_who_knows_whom(seed: int) -> None:
    vault = _vault(seed)
    known = acquaintance(vault)
    direct = _direct(vault)
    assert known.direct == direct
    everyone = [*vault.people, "people/Nobody.md", "events/E1.md"]
    for a in everyone:
        for b in everyone:
            events = known.events.get(a, set()) & known.events.get(b, set())
            assert known.knows(a, b) == (a == b or b in direct.get(a, ()) or bool(events))
    assert known == acquaintance(dataclasses.replace(vault, interactions=tuple(vault.interactions)))


# --- intro suggestions: everyone's lists -------------------------------------------------------------------


def _index(people: dict[str, Person], me: str | None) -> dict[str, object]:
    """What `IntroPeople` indexes, as it used to: person by person."""
    tags: dict[str, dict[str, str]] = {}
    tag_owners: dict[str, list[str]] = defaultdict(list)
    place_owners: dict[str, list[str]] = defaultdict(list)
    location = {}
    for path, person in people.items():
        if path == me:
            continue
        keyed: dict[str, str] = {}
        for tag in person.tags:
            key = phrase(tag).key
            if key and key not in keyed:
                keyed[key] = tag
        tags[path] = keyed
        for key in keyed:
            tag_owners[key].append(path)
        if person.location:
            location[path] = name_key(person.location)
            place_owners[location[path]].append(path)
    offer_groups = {
        path: frozenset(p.words for p in map(phrase, person.offers) if p.words)
        for path, person in people.items()
        if path != me
    }
    return {
        "tags": tags,
        "tag_sets": {path: frozenset(keyed) for path, keyed in tags.items()},
        "tag_owners": dict(tag_owners),
        "location": location,
        "place_owners": dict(place_owners),
        "offer_groups": offer_groups,
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_intro_people_index(seed: int) -> None:
    vault = _vault(seed)
    me = list(vault.people)[seed % 5] if seed % 2 else None
    made = IntroPeople(vault.people, me)
    expected = _index(vault.people, me)
    assert dict(made.tags) == expected["tags"]
    assert dict(made.tag_sets) == expected["tag_sets"]
    assert dict(made.tag_owners) == expected["tag_owners"]
    assert made.location == expected["location"]
    assert dict(made.place_owners) == expected["place_owners"]
    assert made.offer_groups == expected["offer_groups"]
    assert list(made.tags) == [p for p in vault.people if p != me]
    assert all(path in made.tags for path in made.needs) and me not in made.tags
    for ps in made.needs.values():
        for p in ps:
            assert made.need_meets[p.text] == frozenset(made.offer_index.groups(p))


# --- mentorship matches ------------------------------------------------------------------------------------


def _ranked(
    vault: Vault,
    mine: tuple[str, ...],
    theirs: dict[str, tuple[str, ...]],
    skip: set[str],
    warm: dict[str, float],
) -> list[GoalMatch]:
    """`mentorship._ranked` as it used to be: everyone indexed by path."""
    index = PhraseIndex()
    for path, texts in theirs.items():
        if path not in skip:
            index.add_all(path, texts)
    best: dict[str, GoalMatch] = {}
    for text in mine:
        for path in index.keys(text):
            for their_text in theirs[path]:
                m = match(phrase(text), phrase(their_text))
                if m is None:
                    continue
                old = best.get(path)
                if old is None or len(m.words) > len(old.words):
                    best[path] = GoalMatch(path, text, their_text, m.words, 0.0)
    found = [GoalMatch(g.person, g.mine, g.theirs, g.words, warm[g.person]) for g in best.values()]
    found.sort(key=lambda g: (-g.warmth, -len(g.words), name_of(vault, g.person).casefold(), g.person))
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_mentorship_matches(seed: int) -> None:
    vault = _vault(seed)
    rng = random.Random(seed)
    warm = {path: rng.choice([0.0, 0.25, 0.5, 0.75]) for path in vault.people}
    skip = set(rng.sample(list(vault.people), 5))
    for mine in [tuple(TEXTS), ("advice", "mentoring python"), ()]:
        for field in ("offers", "needs"):
            theirs = {path: getattr(p, field) for path, p in vault.people.items() if getattr(p, field)}
            made = mentorship_module._ranked(vault, mine, theirs, skip, warm)
            assert made == _ranked(vault, mine, theirs, skip, warm)


# --- network -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_network_labels(seed: int) -> None:
    vault = _vault(seed)
    people = list(vault.people.values())
    plain = [dataclasses.replace(p, org=p.org if p.org != "#Hash" else "Hash", org_path=None) for p in people]
    for some in (people, plain):
        orgs, tags, labels = _label_counts(vault, some)
        expected = _label_counts_in_order(vault, some)
        assert (orgs, tags, labels) == expected  # (in another order: labels are only looked up)
    assert any(k.startswith("#") for k in _label_counts(vault, people)[0])  # the fallback was taken


@pytest.mark.parametrize("seed", SEEDS)
def test_network_warmest(seed: int) -> None:
    vault = _vault(seed)
    rng = random.Random(seed)
    people = list(vault.people.values())
    warm = {path: rng.choice([0.0, 0.0, 0.1, 0.5, 0.5, 0.9]) for path in vault.people}
    for closest in (0, 1, 3, 15, 100):
        expected = _nearest((p for p in people if warm[p.path] > 0), warm, closest)
        assert _warmest(people, warm, closest) == expected


# --- reference cycles --------------------------------------------------------------------------------------


def test_the_insights_make_no_reference_cycles(tmp_path: Path) -> None:
    """`render_pages` freezes what the insights make (`gc.freeze`): a reference cycle there would never be
    collected. Fresh, carried over from a build of the same day (one person changed) and of the next day."""
    loaded = load_vault(EXAMPLE, use_cache=False)
    vault = loaded.vault
    link = Linker([n.path for n in loaded.notes])
    path, person = next((p, r) for p, r in vault.people.items() if r.cadence is not None)
    changed = dataclasses.replace(
        vault, people={**vault.people, path: dataclasses.replace(person, tags=("new",))}
    )
    gc.collect()
    gc.disable()
    try:
        shared = None
        for day, version in [(TODAY, vault), (TODAY, changed), (TODAY + dt.timedelta(days=1), changed)]:
            made = Insights(version, day, shared)
            for _, builder in PAGES.values():
                builder(version, day, link, made)
            made.settle()
            shared = made
        del made, shared
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage = Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not garbage
