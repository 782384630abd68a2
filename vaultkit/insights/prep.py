"""A briefing before meeting someone: who they are, our last interactions, promises both ways, needs and
offers, things to talk about, mutual connections and intros I could make for them.

People are found by note name, alias or a unique prefix of either (case-insensitive). Promises are open tasks
that name them; a task that starts with their name ("Jane to send the deck") is theirs, the rest are mine.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from vaultkit.insights.common import name_of, touched_since
from vaultkit.insights.intros import Suggestion, intros_json, suggest_intros
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import warmth_label
from vaultkit.model import Milestone, Person, Touch, Vault
from vaultkit.model.people import name_key

RECENT_INTERACTIONS = 5
MILESTONE_DAYS = 365
MAX_MUTUAL = 10
MAX_INTROS = 5
CLOSE_MATCHES = 5


class PersonNotFound(Exception):
    """No person, or several, go by this name; `matches` are the closest names (or the ones it could mean)."""

    def __init__(self, query: str, matches: tuple[str, ...], ambiguous: bool = False) -> None:
        super().__init__(query, matches, ambiguous)
        self.query = query
        self.matches = matches
        self.ambiguous = ambiguous

    def __str__(self) -> str:
        if self.ambiguous:
            return f"{self.query!r} could be {_or(self.matches)}; say which"
        if self.matches:
            return f"no person named {self.query!r}; did you mean {_or(self.matches)}?"
        return f"no person named {self.query!r}"


def _or(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def find_person(vault: Vault, query: str) -> str:
    """The path of the person called `query`: path, name, alias, then a unique prefix of a name or alias.

    Raises PersonNotFound with close matches (unknown) or the candidates (an ambiguous prefix)."""
    key = name_key(query)
    people = sorted(vault.people.values(), key=lambda p: (p.name.casefold(), p.path))
    if not key:
        raise PersonNotFound(query, ())
    for path in vault.people:  # a path settles two people with the same name
        if name_key(path) in (key, key + ".md"):
            return path
    for exact in (
        [p for p in people if name_key(p.name) == key],
        [p for p in people if any(name_key(a) == key for a in p.aliases)],
        [p for p in people if any(name_key(n).startswith(key) for n in (p.name, *p.aliases))],
    ):
        if len(exact) == 1:
            return exact[0].path
        if len(exact) > 1:
            raise PersonNotFound(query, tuple(p.name for p in exact), ambiguous=True)
    names: dict[str, str] = {}
    for p in people:
        for n in (p.name, *p.aliases):
            names.setdefault(name_key(n), p.name)
    close = difflib.get_close_matches(key, list(names), n=CLOSE_MATCHES, cutoff=0.6)
    raise PersonNotFound(query, tuple(dict.fromkeys(names[c] for c in close)))


@dataclass(frozen=True, slots=True)
class InteractionLine:
    path: str
    name: str
    date: dt.date | None
    kind: str | None
    gave: tuple[str, ...]
    received: tuple[str, ...]
    summary: str = ""  # the first line of its notes


@dataclass(frozen=True, slots=True)
class PromiseLine:
    text: str
    due: dt.date | None
    path: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Briefing:
    today: dt.date
    person: Person
    last_contact: Touch | None
    warmth: float
    interactions: tuple[InteractionLine, ...]  # newest first
    interaction_count: int
    i_owe: tuple[PromiseLine, ...]
    they_owe: tuple[PromiseLine, ...]
    milestones: tuple[Milestone, ...]  # recent, newest first
    mutual: tuple[str, ...]  # people they know, warmest first
    mutual_count: int
    intros: tuple[Suggestion, ...]

    @property
    def warmth_label(self) -> str:
        return warmth_label(self.warmth)


def _theirs(person: Person, text: str) -> bool:
    words = text.casefold().split()
    names = {name_key(n) for n in (person.name, *person.aliases)} | {name_key(person.name).split(" ")[0]}
    return any(" ".join(words[: len(n.split())]) == n for n in names if n)


def _promises(vault: Vault, person: Person, today: dt.date) -> tuple[list[PromiseLine], list[PromiseLine]]:
    mine: list[PromiseLine] = []
    theirs: list[PromiseLine] = []
    for t in vault.tasks:
        if t.is_open and person.path in t.people:
            (theirs if _theirs(person, t.text) else mine).append(PromiseLine(t.text, t.due, t.path, t.line))
    for i in vault.interactions:
        if i.follow_up is None or person.path not in i.people:
            continue
        if not touched_since(vault, person.path, i.date or i.follow_up, today):
            mine.append(PromiseLine(f"Follow up: {i.name}", i.follow_up, i.path, i.follow_up_line))

    def order(p: PromiseLine) -> tuple[dt.date, str, int]:
        return (p.due or dt.date.max, p.path, p.line or 0)

    return sorted(mine, key=order), sorted(theirs, key=order)


def prep(vault: Vault, query: str, today: dt.date) -> Briefing:
    """Everything worth knowing before meeting `query` (a name, alias or unique prefix)."""
    path = find_person(vault, query)
    person = vault.people[path]
    seen = [
        i
        for i in vault.interactions
        if (path in i.people or path in i.mentions) and (i.date or today) <= today
    ]
    seen.sort(key=lambda i: ((i.date or dt.date.min), i.path), reverse=True)
    lines = [InteractionLine(i.path, i.name, i.date, i.kind, i.gave, i.received, i.summary) for i in seen]
    mine, theirs = _promises(vault, person, today)
    start = today - dt.timedelta(days=MILESTONE_DAYS)
    milestones = sorted((m for m in person.milestones if start <= m.date <= today), key=lambda m: m.date)
    shared = Insights(vault, today)  # warmth, me and who knows whom, also for the intros below
    warm = shared.warmth
    me = shared.me
    known = [p for p in shared.known.of(path) if p != me]
    known.sort(key=lambda p: (-warm[p], name_of(vault, p).casefold(), p))
    return Briefing(
        today=today,
        person=person,
        last_contact=shared.contacts.last_touch(path),
        warmth=warm[path],
        interactions=tuple(lines[:RECENT_INTERACTIONS]),
        interaction_count=len(lines),
        i_owe=tuple(mine),
        they_owe=tuple(theirs),
        milestones=tuple(reversed(milestones)),
        mutual=tuple(known[:MAX_MUTUAL]),
        mutual_count=len(known),
        intros=tuple(suggest_intros(vault, today, for_person=path, limit=MAX_INTROS, shared=shared)),
    )


def prep_json(vault: Vault, b: Briefing) -> dict[str, object]:
    """The briefing as JSON-ready data; people by note name."""
    p = b.person

    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    def promise(x: PromiseLine) -> dict[str, object]:
        return {"text": x.text, "due": iso(x.due), "path": x.path, "line": x.line}

    return {
        "person": p.name,
        "aliases": list(p.aliases),
        "org": p.org,
        "role": p.role,
        "location": p.location,
        "how_met": p.how_met,
        "met_on": iso(p.met_on),
        "relationship": list(p.relationship),
        "last_contact": iso(b.last_contact.date) if b.last_contact else None,
        "warmth": b.warmth,
        "warmth_label": b.warmth_label,
        "interactions": [
            {
                "name": i.name,
                "date": iso(i.date),
                "kind": i.kind,
                "gave": list(i.gave),
                "received": list(i.received),
                "summary": i.summary,
                "path": i.path,
            }
            for i in b.interactions
        ],
        "interaction_count": b.interaction_count,
        "i_owe": [promise(x) for x in b.i_owe],
        "they_owe": [promise(x) for x in b.they_owe],
        "needs": list(p.needs),
        "offers": list(p.offers),
        "tags": list(p.tags),
        "milestones": [{"date": iso(m.date), "what": m.what} for m in b.milestones],
        "mutual": [name_of(vault, x) for x in b.mutual],
        "mutual_count": b.mutual_count,
        "intros": intros_json(vault, b.intros),
    }
