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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from vaultkit.insights.common import name_of
from vaultkit.insights.contacts import Contacts, contacts_for
from vaultkit.insights.matching import PhraseIndex, match, phrase
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import warmth_label
from vaultkit.model import Person, Touch, Vault
from vaultkit.values import Cadence

DEFAULT_CADENCE = Cadence(months=1, label="monthly")
MAX_MATCHES = 20

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
    return Mentoring(person.path, role, since, goals, str(cadence), touch, due, (today - due).days)


def _by_urgency(vault: Vault, items: Iterable[Mentoring]) -> list[Mentoring]:
    return sorted(items, key=lambda m: (-m.days_overdue, name_of(vault, m.person).casefold(), m.person))


def mentors(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[Mentoring]:
    """People who mentor me, overdue first."""
    known = contacts_for(vault, today, contacts)
    found = [_mentoring(p, "mentor", today, known) for p in vault.people.values() if _is_mentor(p)]
    return _by_urgency(vault, found)


def mentees(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[Mentoring]:
    """People I mentor, overdue first."""
    known = contacts_for(vault, today, contacts)
    found = [_mentoring(p, "mentee", today, known) for p in vault.people.values() if _has(p, "mentee")]
    return _by_urgency(vault, found)


def _matches(
    vault: Vault,
    mine: Iterable[str],
    theirs: dict[str, tuple[str, ...]],
    skip: set[str],
    limit: int,
    warm: dict[str, float],
) -> list[GoalMatch]:
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
    return found[:limit]


def potential_mentors(
    vault: Vault, today: dt.date, limit: int = MAX_MATCHES, shared: Insights | None = None
) -> list[GoalMatch]:
    """People whose offers match my goals and who do not mentor me yet, warmest first."""
    mine = {p.path for p in vault.people.values() if _is_mentor(p)}
    return _potential_mentors(vault, Insights.reuse(shared, vault, today), mine, limit)


def _potential_mentors(vault: Vault, shared: Insights, mine: set[str], limit: int) -> list[GoalMatch]:
    skip = mine if shared.me is None else {*mine, shared.me}
    offers = {path: p.offers for path, p in vault.people.items() if p.offers}
    return _matches(vault, vault.me.goals, offers, skip, limit, shared.warmth)


def could_help(
    vault: Vault, today: dt.date, limit: int = MAX_MATCHES, shared: Insights | None = None
) -> list[GoalMatch]:
    """People whose needs match what I offer, warmest first."""
    shared = Insights.reuse(shared, vault, today)
    me = shared.me
    needs = {path: p.needs for path, p in vault.people.items() if p.needs}
    return _matches(vault, vault.me.offers, needs, {me} if me else set(), limit, shared.warmth)


def mentorship(vault: Vault, today: dt.date, shared: Insights | None = None) -> MentorshipReport:
    shared = Insights.reuse(shared, vault, today)
    mine = mentors(vault, today, shared.contacts)
    return MentorshipReport(
        today=today,
        mentors=tuple(mine),
        mentees=tuple(mentees(vault, today, shared.contacts)),
        updates_owed=tuple(m for m in mine if m.days_overdue >= 0),
        potential_mentors=tuple(_potential_mentors(vault, shared, {m.person for m in mine}, MAX_MATCHES)),
        could_help=tuple(could_help(vault, today, shared=shared)),
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
