"""Mentorship: my mentors and mentees, updates I owe, potential mentors for my goals, people I could help.

Rules:

* A mentor has "mentor" in `relationship` (they mentor me); a mentee has "mentee" (I mentor them).
* Next check-in: the last contact plus their `cadence` (monthly when none); never contacted: due from
  `mentorship.since`, else today. Overdue first, then by due date and name.
* An update is owed to a mentor whose next check-in is today or earlier.
* Potential mentors: people whose `offers` match my `[me] goals` and who are not my mentors (nor me).
* People I could help: people whose `needs` match my `[me] offers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from typing import Literal

from vaultkit.insights.carry_people import patch_sorted
from vaultkit.insights.common import name_of
from vaultkit.insights.contacts import Contacts, contacts_for
from vaultkit.insights.matching import PhraseIndex, match, phrase
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import warmth_label
from vaultkit.model import Person, Touch, Vault
from vaultkit.model.construct import constructor
from vaultkit.values import Cadence

DEFAULT_CADENCE = Cadence(months=1, label="monthly")
MAX_MATCHES = 20

_person = attrgetter("person")
_RELATIONSHIP = attrgetter("relationship")

Role = Literal["mentor", "mentee"]


@dataclass(frozen=True, slots=True)
class Mentoring:
    person: str
    role: Role
    since: dt.date | None
    goals: tuple[str, ...]
    cadence: str
    last_check_in: Touch | None
    next_due: dt.date
    days_overdue: int  # > 0 overdue, 0 due today, < 0 days left

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


_new_mentoring = constructor(Mentoring)


@dataclass(frozen=True, slots=True)
class GoalMatch:
    """Someone matching me: `mine` (my goal or offer) meets `theirs` (their offer or need)."""

    person: str
    mine: str
    theirs: str
    words: tuple[str, ...]
    warmth: float

    @property
    def warmth_label(self) -> str:
        return warmth_label(self.warmth)


@dataclass(frozen=True, slots=True)
class MentorshipReport:
    today: dt.date
    mentors: tuple[Mentoring, ...]
    mentees: tuple[Mentoring, ...]
    updates_owed: tuple[Mentoring, ...]
    potential_mentors: tuple[GoalMatch, ...]
    could_help: tuple[GoalMatch, ...]


def _has(person: Person, role: str) -> bool:
    return bool(person.relationship) and any(role in r for r in person.relationship)


def _is_mentor(person: Person) -> bool:
    return bool(person.relationship) and any("mentor" in r and "mentee" not in r for r in person.relationship)


def _roles(people: Iterable[Person]) -> tuple[list[Person], list[Person]]:
    """Of `people`, in their order, those who mentor me (`_is_mentor`) and those I mentor (`_has` "mentee"):
    each distinct `relationship` is looked at once."""
    found_mentors: list[Person] = []
    found_mentees: list[Person] = []
    roles: dict[tuple[str, ...], tuple[bool, bool]] = {}
    for person in people:
        relationship = person.relationship
        if not relationship:
            continue
        role = roles.get(relationship)
        if role is None:
            role = roles[relationship] = (_is_mentor(person), _has(person, "mentee"))
        if role[0]:
            found_mentors.append(person)
        if role[1]:
            found_mentees.append(person)
    return found_mentors, found_mentees


def _mentoring(person: Person, role: Role, today: dt.date, contacts: Contacts) -> Mentoring:
    cadence = person.cadence or DEFAULT_CADENCE
    touch = contacts.last_touch(person.path)
    since = person.mentorship.since if person.mentorship else None
    if touch is not None:
        due = cadence.after(touch.date)
    elif since is not None:
        due = cadence.after(since)
    else:
        due = today
    goals = person.mentorship.goals if person.mentorship else ()
    return _new_mentoring(person.path, role, since, goals, str(cadence), touch, due, (today - due).days)


def _urgency(vault: Vault) -> Callable[[Mentoring], tuple[int, str, str]]:
    return lambda m: (-m.days_overdue, name_of(vault, m.person).casefold(), m.person)


def _by_urgency(vault: Vault, items: Iterable[Mentoring]) -> list[Mentoring]:
    return sorted(items, key=_urgency(vault))


def mentors(
    vault: Vault, today: dt.date, contacts: Contacts | None = None, people: Iterable[Person] | None = None
) -> list[Mentoring]:
    """People who mentor me, overdue first (`people`: who they are, when known: `_roles`)."""
    known = contacts_for(vault, today, contacts)
    if people is None:
        people = _roles(vault.people.values())[0]
    return _by_urgency(vault, [_mentoring(p, "mentor", today, known) for p in people])


def mentees(
    vault: Vault, today: dt.date, contacts: Contacts | None = None, people: Iterable[Person] | None = None
) -> list[Mentoring]:
    """People I mentor, overdue first (`people`: who they are, when known: `_roles`)."""
    known = contacts_for(vault, today, contacts)
    if people is None:
        people = _roles(vault.people.values())[1]
    return _by_urgency(vault, [_mentoring(p, "mentee", today, known) for p in people])


def _match_order(vault: Vault) -> Callable[[GoalMatch], tuple[float, int, str, str]]:
    return lambda g: (-g.warmth, -len(g.words), name_of(vault, g.person).casefold(), g.person)


def _ranked(
    vault: Vault,
    mine: Iterable[str],
    theirs: dict[str, tuple[str, ...]],
    skip: AbstractSet[str],
    warm: dict[str, float],
) -> list[GoalMatch]:
    """Everyone in `theirs` (but `skip`) with a text matching one of `mine`: their best match (the most
    words; the first one on ties), warmest first.

    A best match depends only on the texts: many people have the same ones, so each distinct list of texts
    is indexed (by its number) and matched once."""
    people: dict[tuple[str, ...], list[str]] = {}  # texts -> the people with them
    for path, texts in theirs.items():
        if path not in skip:
            people.setdefault(texts, []).append(path)
    lists = list(people)
    index = PhraseIndex()
    for n, texts in enumerate(lists):
        index.add_all(str(n), texts)
    best: dict[tuple[str, ...], tuple[str, str, tuple[str, ...]]] = {}  # texts -> (mine, theirs, words)
    for text in mine:
        for key in index.keys(text):
            texts = lists[int(key)]
            for their_text in texts:
                m = match(phrase(text), phrase(their_text))
                if m is None:
                    continue
                old = best.get(texts)
                if old is None or len(m.words) > len(old[2]):
                    best[texts] = (text, their_text, m.words)
    found = [
        GoalMatch(path, text, their_text, words, warm[path])
        for texts, (text, their_text, words) in best.items()
        for path in people[texts]
    ]
    found.sort(key=_match_order(vault))
    return found


def _matches(
    vault: Vault,
    mine: Iterable[str],
    theirs: dict[str, tuple[str, ...]],
    skip: AbstractSet[str],
    limit: int,
    warm: dict[str, float],
) -> list[GoalMatch]:
    return _ranked(vault, mine, theirs, skip, warm)[:limit]


def potential_mentors(
    vault: Vault, today: dt.date, limit: int = MAX_MATCHES, shared: Insights | None = None
) -> list[GoalMatch]:
    """People whose offers match my goals and who do not mentor me yet, warmest first."""
    shared = Insights.reuse(shared, vault, today)
    mine = {p.path for p in vault.people.values() if _is_mentor(p)}
    offers = {path: p.offers for path, p in vault.people.items() if p.offers}
    return _matches(vault, vault.me.goals, offers, _skip(mine, shared.me), limit, shared.warmth)


def _skip(mine: set[str], me: str | None) -> set[str]:
    return mine if me is None else {*mine, me}


def could_help(
    vault: Vault, today: dt.date, limit: int = MAX_MATCHES, shared: Insights | None = None
) -> list[GoalMatch]:
    """People whose needs match what I offer, warmest first."""
    shared = Insights.reuse(shared, vault, today)
    me = shared.me
    needs = {path: p.needs for path, p in vault.people.items() if p.needs}
    return _matches(vault, vault.me.offers, needs, {me} if me else set(), limit, shared.warmth)


@dataclass(frozen=True, slots=True)
class _Lists:
    """A build's whole lists (`mentorship` cuts the matches), for the next build to patch."""

    me: str | None
    mentors: Sequence[Mentoring]
    mentees: Sequence[Mentoring]
    potential: Sequence[GoalMatch]  # every potential mentor, in `_match_order`
    could_help: Sequence[GoalMatch]


_LISTS = "carry_mentorship"  # where an Insights keeps its `_Lists`


def _lists(vault: Vault, today: dt.date, shared: Insights) -> _Lists:
    known, me, warm = shared.contacts, shared.me, shared.warmth
    people = list(vault.people.values())
    mentor_people, mentee_people = _roles(compress(people, map(_RELATIONSHIP, people)))
    found = _Lists(
        me,
        mentors(vault, today, known, mentor_people),
        mentees(vault, today, known, mentee_people),
        _ranked(
            vault,
            vault.me.goals,
            {path: p.offers for path, p in vault.people.items() if p.offers},
            _skip({p.path for p in mentor_people}, me),
            warm,
        ),
        _ranked(
            vault,
            vault.me.offers,
            {path: p.needs for path, p in vault.people.items() if p.needs},
            _skip(set(), me),
            warm,
        ),
    )
    return found


def _patched(
    vault: Vault, today: dt.date, shared: Insights, old: _Lists, changed: AbstractSet[str]
) -> _Lists:
    """`_lists`, from the previous build's of the same day, people and `[me]` (only `changed` people
    differ)."""
    known, me, warm = shared.contacts, shared.me, shared.warmth
    people = {p: vault.people[p] for p in sorted(changed) if p in vault.people}
    mine = [_mentoring(p, "mentor", today, known) for p in people.values() if _is_mentor(p)]
    theirs = [_mentoring(p, "mentee", today, known) for p in people.values() if _has(p, "mentee")]
    offers = {path: p.offers for path, p in people.items() if p.offers}
    skip = _skip({p.path for p in people.values() if _is_mentor(p)}, me)
    needs = {path: p.needs for path, p in people.items() if p.needs}
    urgency, order = _urgency(vault), _match_order(vault)
    return _Lists(
        me,
        patch_sorted(old.mentors, changed, mine, _person, urgency),
        patch_sorted(old.mentees, changed, theirs, _person, urgency),
        patch_sorted(
            old.potential, changed, _ranked(vault, vault.me.goals, offers, skip, warm), _person, order
        ),
        patch_sorted(
            old.could_help,
            changed,
            _ranked(vault, vault.me.offers, needs, _skip(set(), me), warm),
            _person,
            order,
        ),
    )


def mentorship(vault: Vault, today: dt.date, shared: Insights | None = None) -> MentorshipReport:
    shared = Insights.reuse(shared, vault, today)
    lists = shared.__dict__.get(_LISTS)
    if not isinstance(lists, _Lists):
        old = shared.previous.__dict__.get(_LISTS) if shared.previous is not None else None
        carried = shared.carried(_LISTS)
        if (
            isinstance(old, _Lists)
            and carried is not None
            and carried.vault.me == vault.me
            and old.me == shared.me
        ):
            lists = _patched(vault, today, shared, old, carried.changed)
        else:
            lists = _lists(vault, today, shared)
        shared.__dict__[_LISTS] = lists
    return MentorshipReport(
        today=today,
        mentors=tuple(lists.mentors),
        mentees=tuple(lists.mentees),
        updates_owed=tuple(m for m in lists.mentors if m.days_overdue >= 0),
        potential_mentors=tuple(lists.potential[:MAX_MATCHES]),
        could_help=tuple(lists.could_help[:MAX_MATCHES]),
    )


def _mentoring_json(vault: Vault, m: Mentoring) -> dict[str, object]:
    return {
        "person": name_of(vault, m.person),
        "since": m.since.isoformat() if m.since else None,
        "goals": list(m.goals),
        "cadence": m.cadence,
        "last_check_in": m.last_check_in.date.isoformat() if m.last_check_in else None,
        "next_due": m.next_due.isoformat(),
        "days_overdue": m.days_overdue,
    }


def _match_json(vault: Vault, g: GoalMatch, mine: str, theirs: str) -> dict[str, object]:
    return {
        "person": name_of(vault, g.person),
        mine: g.mine,
        theirs: g.theirs,
        "words": list(g.words),
        "warmth": g.warmth,
        "warmth_label": g.warmth_label,
    }


def mentorship_json(vault: Vault, report: MentorshipReport) -> dict[str, list[dict[str, object]]]:
    """The report as JSON-ready data; people by note name."""
    return {
        "mentors": [_mentoring_json(vault, m) for m in report.mentors],
        "mentees": [_mentoring_json(vault, m) for m in report.mentees],
        "updates_owed": [_mentoring_json(vault, m) for m in report.updates_owed],
        "potential_mentors": [_match_json(vault, g, "goal", "offer") for g in report.potential_mentors],
        "could_help": [_match_json(vault, g, "offer", "need") for g in report.could_help],
    }
