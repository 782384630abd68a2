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
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import chain, combinations, repeat
from operator import attrgetter

from vaultkit.insights.carry import same_records, same_sequence
from vaultkit.model import Interaction, Vault
from vaultkit.model.people import name_key

INTRO_KIND = "intro"
# what `acquaintance` reads of each record (besides the paths and their order)
ACQUAINTANCE_PEOPLE_FIELDS = ("links_to", "how_met_path", "org", "org_path")
ACQUAINTANCE_INTERACTION_FIELDS = ("people",)
ACQUAINTANCE_EVENT_FIELDS = ("attendees",)
_PEOPLE = attrgetter("people")


@dataclass(frozen=True, slots=True)
class IntroMade:
    """An introduction I made: an interaction with `kind: intro` between the people in its `with:`."""

    path: str
    date: dt.date | None
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Acquaintance:
    """Who knows whom (read only: one is shared by the insights of a build).

    Pairs are kept as they are met (`pairs`): each interaction's `with:` as written, every two people of a
    longer `with:`, and (person, linked) for links and `how_met`; two people are named together when either
    order is there and both are `people` of the vault. `direct` spells that out per person, on first use."""

    people: AbstractSet[str]  # the vault's people paths
    pairs: AbstractSet[tuple[str, ...]]  # see above: only pairs of two different `people` count
    events: Mapping[str, AbstractSet[str]]  # person -> events attended (and orgs: "org:<name>")
    attendees: Mapping[str, tuple[str, ...]]  # event (or org) -> people who attended (or work there)
    _direct: list[dict[str, set[str]]] = field(default_factory=list, compare=False, repr=False)

    @property
    def direct(self) -> Mapping[str, AbstractSet[str]]:
        """Person -> people met together, introduced, or linked (both ways)."""
        if not self._direct:
            people = self.people
            direct: dict[str, set[str]] = defaultdict(set)
            for pair in self.pairs:
                if len(pair) == 2:
                    a, b = pair
                    if a != b and a in people and b in people:
                        direct[a].add(b)
                        direct[b].add(a)
            self._direct.append(dict(direct))
        return self._direct[0]

    def knows(self, a: str, b: str) -> bool:
        if a == b:
            return True
        pairs, people = self.pairs, self.people
        if ((a, b) in pairs or (b, a) in pairs) and a in people and b in people:
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
    everyone = vault.people
    pairs = set(map(_PEOPLE, vault.interactions))  # most `with:` lists are one or two people
    pairs.update(chain.from_iterable(map(combinations, [p for p in pairs if len(p) > 2], repeat(2))))
    for path, person in everyone.items():
        if person.links_to:
            pairs.update(zip(repeat(path), person.links_to))
        if person.how_met_path:
            pairs.add((path, person.how_met_path))
    events: dict[str, set[str]] = defaultdict(set)
    attendees: dict[str, tuple[str, ...]] = {}
    groups: dict[str, set[str]] = {e.path: set(e.attendees) for e in vault.events.values()}
    keys: dict[str, str] = {}  # org (path, else name) -> its group: many people share an org
    for path, person in everyone.items():
        if person.org:
            org = person.org_path or person.org
            key = keys.get(org)
            if key is None:
                key = keys[org] = f"org:{name_key(org)}"
            groups.setdefault(key, set()).add(path)
    for group, members in groups.items():
        present = tuple(sorted(p for p in members if p in everyone))
        if len(present) < 2:
            continue
        attendees[group] = present
        for p in present:
            events[p].add(group)
    return Acquaintance(frozenset(everyone), pairs, dict(events), attendees)


def carried_acquaintance(previous_vault: Vault, previous: Acquaintance, vault: Vault) -> Acquaintance | None:
    """`previous` (the `acquaintance` of `previous_vault`) when `vault` gives the same: the same people paths
    in the same order, with the same links, `how_met` and org, the same interactions' `with:` and the same
    events' attendees. None when any of these changed (then compute it again)."""
    if not same_records(previous_vault.people, vault.people, ACQUAINTANCE_PEOPLE_FIELDS):
        return None
    if not same_records(previous_vault.events, vault.events, ACQUAINTANCE_EVENT_FIELDS):
        return None
    if not same_sequence(previous_vault.interactions, vault.interactions, ACQUAINTANCE_INTERACTION_FIELDS):
        return None
    return previous


def acquainted_pairs(vault: Vault) -> set[frozenset[str]]:
    """Every acquainted pair, spelled out (for small vaults and tests; big events make this large)."""
    known = acquaintance(vault)
    pairs = {frozenset((a, b)) for a, others in known.direct.items() for b in others}
    for people in known.attendees.values():
        pairs.update(frozenset(p) for p in combinations(people, 2))
    return pairs


def intro_interactions(vault: Vault) -> list[Interaction]:
    """The intro interactions (`kind: intro`), in the vault's order."""
    return [i for i in vault.interactions if i.kind == INTRO_KIND]


def intros_made(
    vault: Vault,
    since: dt.date | None = None,
    until: dt.date | None = None,
    intros: Iterable[Interaction] | None = None,
) -> list[IntroMade]:
    """Every intro interaction with at least two people, newest first (undated last). With `since` or
    `until`: only those dated from `since` to `until` (inclusive). `intros`: `intro_interactions(vault)`."""
    found = []
    for i in intro_interactions(vault) if intros is None else intros:
        if (since is not None or until is not None) and (
            i.date is None or (since is not None and i.date < since) or (until is not None and i.date > until)
        ):
            continue
        people = set(i.people)
        if len(people) >= 2:
            found.append(IntroMade(i.path, i.date, tuple(sorted(people))))
    return sorted(found, key=lambda m: (-(m.date or dt.date.min).toordinal(), m.path))


def introduced_pairs(vault: Vault, intros: Iterable[Interaction] | None = None) -> set[frozenset[str]]:
    """Pairs an intro interaction has already named together. `intros`: `intro_interactions(vault)`."""
    return {
        frozenset(pair)
        for i in (intro_interactions(vault) if intros is None else intros)
        for pair in combinations(set(i.people), 2)
    }


def my_note(vault: Vault) -> str | None:
    """The person note that is me (`[me] name` in vaultkit.toml, by note name or alias), if there is one."""
    if not vault.me.name:
        return None
    key = name_key(vault.me.name)
    for path, person in vault.people.items():
        name = person.name
        # name_key, without Unicode normalisation for ASCII names (NFC leaves them as they are)
        if (name.strip().casefold() if name.isascii() else name_key(name)) == key:
            return path
        if person.aliases and any(name_key(a) == key for a in person.aliases):
            return path
    return None
