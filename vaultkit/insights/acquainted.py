"""Who already knows whom (vault-format "Acquainted"), and the introductions I have made.

Two people are acquainted when they are named together in one interaction's `with:`, when an intro interaction
names both (a case of the first), when either's note links to the other (in its text, or `how_met` naming the
other), or when both attended the same event. vaultkit adds one rule of its own: people whose `org` is the
same organisation are colleagues, and colleagues know each other. Event attendance and org membership are
kept per person rather than expanded into pairs: 500 attendees would otherwise make 125,000 pairs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from vaultkit.model import Vault
from vaultkit.model.people import name_key

INTRO_KIND = "intro"


@dataclass(frozen=True, slots=True)
class IntroMade:
    """An introduction I made: an interaction with `kind: intro` between the people in its `with:`."""

    path: str
    date: dt.date | None
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Acquaintance:
    direct: dict[str, frozenset[str]]  # person -> people met together, introduced, or linked (both ways)
    events: dict[str, frozenset[str]]  # person -> events attended
    attendees: dict[str, tuple[str, ...]]  # event -> people who attended

    def knows(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if b in self.direct.get(a, ()):
            return True
        ea, eb = self.events.get(a), self.events.get(b)
        return bool(ea and eb and not ea.isdisjoint(eb))

    def of(self, person: str) -> tuple[str, ...]:
        """Everyone `person` knows, sorted by path."""
        found = set(self.direct.get(person, ()))
        for event in self.events.get(person, ()):
            found.update(self.attendees.get(event, ()))
        found.discard(person)
        return tuple(sorted(found))


def acquaintance(vault: Vault) -> Acquaintance:
    direct: dict[str, set[str]] = defaultdict(set)
    for i in vault.interactions:
        if len(i.people) < 2:
            continue
        people = [p for p in dict.fromkeys(i.people) if p in vault.people]
        for a, b in combinations(people, 2):
            direct[a].add(b)
            direct[b].add(a)
    for path, person in vault.people.items():
        linked = (*person.links_to, person.how_met_path) if person.how_met_path else person.links_to
        for other in linked:
            if other != path and other in vault.people:
                direct[path].add(other)
                direct[other].add(path)
    events: dict[str, set[str]] = defaultdict(set)
    attendees: dict[str, tuple[str, ...]] = {}
    groups: dict[str, set[str]] = {e.path: set(e.attendees) for e in vault.events.values()}
    for path, person in vault.people.items():
        if person.org:
            groups.setdefault(f"org:{name_key(person.org_path or person.org)}", set()).add(path)
    for group, members in groups.items():
        present = tuple(sorted(p for p in members if p in vault.people))
        if len(present) < 2:
            continue
        attendees[group] = present
        for p in present:
            events[p].add(group)
    return Acquaintance(
        {p: frozenset(s) for p, s in sorted(direct.items())},
        {p: frozenset(s) for p, s in sorted(events.items())},
        attendees,
    )


def acquainted_pairs(vault: Vault) -> set[frozenset[str]]:
    """Every acquainted pair, spelled out (for small vaults and tests; big events make this large)."""
    known = acquaintance(vault)
    pairs = {frozenset((a, b)) for a, others in known.direct.items() for b in others}
    for people in known.attendees.values():
        pairs.update(frozenset(p) for p in combinations(people, 2))
    return pairs


def intros_made(vault: Vault) -> list[IntroMade]:
    """Every intro interaction with at least two people, newest first (undated last)."""
    found = [
        IntroMade(i.path, i.date, tuple(sorted(set(i.people))))
        for i in vault.interactions
        if i.kind == INTRO_KIND and len(set(i.people)) >= 2
    ]
    return sorted(found, key=lambda m: (-(m.date or dt.date.min).toordinal(), m.path))


def introduced_pairs(vault: Vault) -> set[frozenset[str]]:
    """Pairs an intro interaction has already named together."""
    return {frozenset(p) for m in intros_made(vault) for p in combinations(m.people, 2)}


def my_note(vault: Vault) -> str | None:
    """The person note that is me (`[me] name` in vaultkit.toml, by note name or alias), if there is one."""
    if not vault.me.name:
        return None
    key = name_key(vault.me.name)
    for path, person in vault.people.items():
        if name_key(person.name) == key or any(name_key(a) == key for a in person.aliases):
            return path
    return None
