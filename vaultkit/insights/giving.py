"""Giving back: help given and received per person, help I owe back, and resources worth sharing.

Rules:

* Help comes from interactions on or before today: `gave` (I helped everyone in its `with:`), `received`
  (they helped me) and intro interactions (I introduced each person to the others; counted once: an intro
  with `gave:` counts as that help).
* Reciprocity lists everyone with any help, the most recent help first.
* Owe back: someone who helped me in the last 90 days whom I have not helped (gave or intro) since that day.
* Resources: for each resource, people whose tags or needs match one of its topics and who have not been sent
  it (an interaction's `shared:` naming it, with them in `with:`), the 3 warmest per resource.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from vaultkit.insights.acquainted import INTRO_KIND
from vaultkit.insights.common import name_of
from vaultkit.insights.matching import PhraseIndex, match, phrase
from vaultkit.insights.shared import Insights
from vaultkit.model import Resource, Vault
from vaultkit.model.people import name_key

OWE_BACK_DAYS = 90
PER_RESOURCE = 3

Direction = Literal["gave", "received", "intro"]


@dataclass(frozen=True, slots=True)
class Help:
    date: dt.date
    direction: Direction
    what: str  # for intros: "intro to <names>"
    source: str  # the interaction's path


@dataclass(frozen=True, slots=True)
class Reciprocity:
    person: str
    given: int  # `gave` items and intros
    received: int
    items: tuple[Help, ...]  # newest first

    @property
    def last(self) -> dt.date:
        return self.items[0].date


@dataclass(frozen=True, slots=True)
class OweBack:
    person: str
    received: Help  # the latest help they gave me
    days_ago: int


@dataclass(frozen=True, slots=True)
class ShareWith:
    person: str
    topic: str  # the resource topic that matched
    why: str  # their tag or need that matched it
    words: tuple[str, ...]
    warmth: float


@dataclass(frozen=True, slots=True)
class ResourceShare:
    resource: str  # path
    people: tuple[ShareWith, ...]


@dataclass(frozen=True, slots=True)
class Giving:
    today: dt.date
    reciprocity: tuple[Reciprocity, ...]
    owe_back: tuple[OweBack, ...]
    resources: tuple[ResourceShare, ...]


def _help_by_person(vault: Vault, today: dt.date) -> dict[str, list[Help]]:
    """Per person with any help, their help items (in no particular order)."""
    everyone = vault.people
    found: dict[str, list[Help]] = defaultdict(list)
    for i in vault.interactions:
        gave, received = i.gave, i.received
        intro = i.kind == INTRO_KIND and not gave  # `gave:` already says what I did
        if not (gave or received or intro) or i.date is None or i.date > today:
            continue
        people = [p for p in dict.fromkeys(i.people) if p in everyone]
        if not people:
            continue
        date, path = i.date, i.path
        helps = [Help(date, "gave", what, path) for what in gave]
        helps += [Help(date, "received", what, path) for what in received]
        for p in people:
            items = found[p]
            items += helps
            if intro and len(people) > 1:
                others = ", ".join(everyone[o].name for o in people if o != p)
                items.append(Help(date, "intro", f"intro to {others}", path))
    return {p: items for p, items in found.items() if items}


def _newest_first(h: Help) -> tuple[int, str, str, str]:
    return (-h.date.toordinal(), h.source, h.direction, h.what)


def reciprocity(vault: Vault, today: dt.date) -> list[Reciprocity]:
    """Per person, help given and received, the person with the most recent help first."""
    found = []
    for person, items in _help_by_person(vault, today).items():
        ordered = tuple(sorted(items, key=_newest_first))
        received = [h.direction for h in ordered].count("received")
        found.append(Reciprocity(person, len(ordered) - received, received, ordered))
    return sorted(found, key=lambda r: (-r.last.toordinal(), name_of(vault, r.person).casefold(), r.person))


def owe_back(vault: Vault, today: dt.date, rows: list[Reciprocity] | None = None) -> list[OweBack]:
    """People who helped me in the last 90 days and whom I have not helped since, most recent first."""
    start = today - dt.timedelta(days=OWE_BACK_DAYS)
    found = []
    for r in rows if rows is not None else reciprocity(vault, today):
        if r.last < start:  # their latest help of any kind is older than 90 days
            continue
        got = next((h for h in r.items if h.direction == "received"), None)
        if got is None or got.date < start:
            continue
        if any(h.direction != "received" and h.date >= got.date for h in r.items):
            continue
        found.append(OweBack(r.person, got, (today - got.date).days))
    return sorted(found, key=lambda o: (o.days_ago, name_of(vault, o.person).casefold(), o.person))


def _sent(vault: Vault) -> dict[str, set[str]]:
    """Person -> keys of what was shared with them (resource paths and names, normalised)."""
    names = {name_key(r.name): r.path for r in vault.resources.values()}
    sent: dict[str, set[str]] = defaultdict(set)
    for i in vault.interactions:
        for entry in i.shared:
            key = entry if entry in vault.resources else names.get(name_key(entry.rsplit("/", 1)[-1]), entry)
            for p in i.people:
                sent[p].add(key)
    return sent


def resources_to_share(
    vault: Vault, today: dt.date, per_resource: int = PER_RESOURCE, shared: Insights | None = None
) -> list[ResourceShare]:
    """Per resource (by name): the warmest people whose tags or needs match its topics, not sent it yet."""
    if not vault.resources:
        return []
    shared = Insights.reuse(shared, vault, today)
    me = shared.me
    index = PhraseIndex()
    for path, person in vault.people.items():
        if path != me:
            index.add_all(path, person.tags)
            index.add_all(path, person.needs)
    warm = shared.warmth
    sent = _sent(vault)
    found = []
    for resource in sorted(vault.resources.values(), key=lambda r: (r.name.casefold(), r.path)):
        people = _share_with(vault, resource, index, warm, sent, per_resource)
        if people:
            found.append(ResourceShare(resource.path, tuple(people)))
    return found


def _share_with(
    vault: Vault,
    resource: Resource,
    index: PhraseIndex,
    warm: dict[str, float],
    sent: dict[str, set[str]],
    limit: int,
) -> list[ShareWith]:
    candidates = {path for topic in resource.topics for path in index.keys(topic)}
    candidates = {path for path in candidates if resource.path not in sent.get(path, ())}
    chosen = sorted(candidates, key=lambda p: (-warm[p], name_of(vault, p).casefold(), p))[:limit]
    found = []
    for path in chosen:
        person = vault.people[path]
        best: ShareWith | None = None
        for topic in resource.topics:
            for theirs in (*person.tags, *person.needs):
                m = match(phrase(topic), phrase(theirs))
                if m is not None and (best is None or len(m.words) > len(best.words)):
                    best = ShareWith(path, topic, theirs, m.words, warm[path])
        if best is not None:
            found.append(best)
    return found


def giving(vault: Vault, today: dt.date, shared: Insights | None = None) -> Giving:
    rows = reciprocity(vault, today)
    resources = resources_to_share(vault, today, shared=shared)
    return Giving(today, tuple(rows), tuple(owe_back(vault, today, rows)), tuple(resources))


def _help_json(h: Help) -> dict[str, object]:
    return {"date": h.date.isoformat(), "direction": h.direction, "what": h.what, "source": h.source}


def giving_json(vault: Vault, report: Giving) -> dict[str, list[dict[str, object]]]:
    """The report as JSON-ready data; people and resources by note name."""
    return {
        "reciprocity": [
            {
                "person": name_of(vault, r.person),
                "given": r.given,
                "received": r.received,
                "items": [_help_json(h) for h in r.items],
            }
            for r in report.reciprocity
        ],
        "owe_back": [
            {"person": name_of(vault, o.person), "received": _help_json(o.received), "days_ago": o.days_ago}
            for o in report.owe_back
        ],
        "resources": [
            {
                "resource": name_of(vault, s.resource),
                "people": [
                    {"person": name_of(vault, w.person), "topic": w.topic, "why": w.why, "warmth": w.warmth}
                    for w in s.people
                ],
            }
            for s in report.resources
        ],
    }
