"""The follow-up agenda: keep in touch, promises, birthdays, congratulations, after events, drifting."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from vaultkit.insights.common import name_of
from vaultkit.insights.contacts import Contacts, contacts_for
from vaultkit.model import Interaction, Person, Task, Touch, Vault
from vaultkit.model.construct import constructor

if TYPE_CHECKING:  # shared.py computes follow-ups with this module: no import back at runtime
    from vaultkit.insights.shared import Insights

_DATE = attrgetter("date")

PROMISE_HORIZON_DAYS = 7
BIRTHDAY_HORIZON_DAYS = 14
MILESTONE_WINDOW_DAYS = 30
EVENT_WINDOW_DAYS = 14
DRIFT_FACTOR = 2.0
DRIFT_MIN_CONTACTS = 4
DRIFT_MIN_SILENCE_DAYS = 14


@dataclass(frozen=True, slots=True)
class FollowUp:
    person: str  # person note path
    cadence: str
    due: dt.date | None
    last_contact: Touch | None
    days_overdue: int | None

    @property
    def never_contacted(self) -> bool:
        return self.last_contact is None


@dataclass(frozen=True, slots=True)
class Promise:
    text: str
    due: dt.date
    people: tuple[str, ...]
    path: str
    line: int | None
    kind: str  # "task" or "follow_up"


_new_promise = constructor(Promise)  # `Promise(...)`, faster: made for every task due


@dataclass(frozen=True, slots=True)
class BirthdayItem:
    person: str
    date: dt.date
    age: int | None


@dataclass(frozen=True, slots=True)
class Congratulation:
    person: str
    date: dt.date
    what: str


@dataclass(frozen=True, slots=True)
class AfterEvent:
    person: str
    event: str  # event note path
    date: dt.date


@dataclass(frozen=True, slots=True)
class Drifting:
    person: str
    last_contact: Touch
    usual_gap_days: int
    silent_days: int


@dataclass(frozen=True, slots=True)
class Agenda:
    today: dt.date
    follow_ups: tuple[FollowUp, ...]
    tasks: tuple[Promise, ...]
    birthdays: tuple[BirthdayItem, ...]
    congratulate: tuple[Congratulation, ...]
    after_events: tuple[AfterEvent, ...]
    drifting: tuple[Drifting, ...]


def follow_up_of(person: Person, today: dt.date, last: Mapping[str, Touch]) -> FollowUp | None:
    """`person`'s item of `keep_in_touch` (`last`: `Contacts.last`), None when they are not due."""
    cadence = person.cadence
    if cadence is None:
        return None
    until = person.snooze_until
    if until is not None and today < until:
        return None
    touch = last.get(person.path)
    if touch is None:
        return FollowUp(person.path, str(cadence), None, None, None)
    due = cadence.after(touch.date)
    if due <= today:
        return FollowUp(person.path, str(cadence), due, touch, (today - due).days)
    return None


def follow_up_order(vault: Vault) -> Callable[[FollowUp], tuple[bool, int, str, str]]:
    """`keep_in_touch`'s order as one sort key: the overdue, most overdue first, then the never contacted;
    each by name (people sorted by path: ties in the order of `Vault.people`)."""

    def key(f: FollowUp) -> tuple[bool, int, str, str]:
        return (f.days_overdue is None, -(f.days_overdue or 0), name_of(vault, f.person).casefold(), f.person)

    return key


def keep_in_touch(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[FollowUp]:
    """People with a cadence whose last contact + cadence is today or earlier, most overdue first."""
    last = contacts_for(vault, today, contacts).last
    found: list[FollowUp] = []
    for person in vault.people.values():
        if person.cadence is not None:
            item = follow_up_of(person, today, last)
            if item is not None:
                found.append(item)
    never = sorted((f for f in found if f.never_contacted), key=lambda f: name_of(vault, f.person).casefold())
    overdue = sorted(
        (f for f in found if not f.never_contacted),
        key=lambda f: (-(f.days_overdue or 0), name_of(vault, f.person).casefold(), f.person),
    )
    return overdue + never


def promise_order(p: Promise) -> tuple[dt.date, str, int]:
    return (p.due, p.path, p.line or 0)


def task_promises(tasks: Iterable[Task], today: dt.date) -> list[Promise]:
    """Of `tasks`, the open ones due within a week or overdue, as promises, in their order."""
    horizon = today + dt.timedelta(days=PROMISE_HORIZON_DAYS)
    new = _new_promise
    return [
        new(t.text, due, t.people, t.path, t.line, "task")
        for t in tasks
        if (due := t.due) is not None and due <= horizon and t.is_open
    ]


def follow_up_candidates(vault: Vault, today: dt.date) -> list[Interaction]:
    """Interactions whose follow-up date is within a week or past, in the vault's order."""
    horizon = today + dt.timedelta(days=PROMISE_HORIZON_DAYS)
    return [i for i in vault.interactions if i.follow_up is not None and i.follow_up <= horizon]


def follow_up_open(i: Interaction, last: Mapping[str, Touch]) -> bool:
    """Whether nobody in `i` has been contacted since it (`last`: `Contacts.last`)."""
    since = i.date or i.follow_up
    assert since is not None
    for p in i.people:
        touch = last.get(p)
        if touch is not None and touch.date > since:
            return False  # got back to them after this interaction
    return True


def follow_up_promise(i: Interaction) -> Promise:
    assert i.follow_up is not None
    return Promise(f"Follow up: {i.name}", i.follow_up, i.people, i.path, i.follow_up_line, "follow_up")


def promises(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[Promise]:
    """Open tasks due within a week or overdue, and interactions' follow-up dates not yet acted on."""
    last = contacts_for(vault, today, contacts).last
    found = task_promises(vault.tasks, today)
    found += [follow_up_promise(i) for i in follow_up_candidates(vault, today) if follow_up_open(i, last)]
    found.sort(key=promise_order)
    return found


def birthday_of(person: Person, today: dt.date) -> BirthdayItem | None:
    """`person`'s item of `birthdays`, None when their birthday is not within two weeks."""
    birthday = person.birthday
    if birthday is None:
        return None
    day = birthday.next_on_or_after(today)
    if day > today + dt.timedelta(days=BIRTHDAY_HORIZON_DAYS):
        return None
    return BirthdayItem(person.path, day, day.year - birthday.year if birthday.year else None)


def birthday_order(vault: Vault) -> Callable[[BirthdayItem], tuple[dt.date, str, str]]:
    """`birthdays`' order as one sort key (people sorted by path: ties in the order of `Vault.people`)."""
    return lambda b: (b.date, name_of(vault, b.person).casefold(), b.person)


def birthdays(vault: Vault, today: dt.date) -> list[BirthdayItem]:
    found = []
    for person in vault.people.values():
        if person.birthday is not None:
            item = birthday_of(person, today)
            if item is not None:
                found.append(item)
    return sorted(found, key=lambda b: (b.date, name_of(vault, b.person).casefold()))


def congratulate(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[Congratulation]:
    """Milestones in the last 30 days with no contact since (a contact on the day counts)."""
    touched_since = contacts_for(vault, today, contacts).touched_since
    start = today - dt.timedelta(days=MILESTONE_WINDOW_DAYS)
    found = []
    for path, person in vault.people.items():
        for m in person.milestones:
            if start <= m.date <= today and not touched_since(path, m.date - dt.timedelta(days=1)):
                found.append(Congratulation(path, m.date, m.what))
    return sorted(found, key=lambda c: (c.date, name_of(vault, c.person).casefold()), reverse=True)


def after_events(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[AfterEvent]:
    """People I met at an event in the last 14 days (`how_met` or `attendees`) with no contact since."""
    touched_since = contacts_for(vault, today, contacts).touched_since
    start = today - dt.timedelta(days=EVENT_WINDOW_DAYS)
    found: dict[tuple[str, str], AfterEvent] = {}
    met_at: dict[str, list[str]] | None = None  # event path -> people whose `how_met` links to it
    for event in vault.events.values():
        ended = event.end or event.date
        if ended is None or not (start <= ended <= today):
            continue
        if met_at is None:
            met_at = {}
            for p in vault.people.values():
                if p.how_met_path is not None:
                    met_at.setdefault(p.how_met_path, []).append(p.path)
        met = set(event.attendees)
        met.update(met_at.get(event.path, ()))
        for person in met:
            if not touched_since(person, ended):
                found[(person, event.path)] = AfterEvent(person, event.path, ended)
    return sorted(found.values(), key=lambda a: (-a.date.toordinal(), name_of(vault, a.person).casefold()))


def _median(values: list[int]) -> float:
    """`statistics.median`, without its overhead (it is called for most people)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def drift_of(known: Contacts, person: Person, today: dt.date) -> Drifting | None:
    """`person`'s item of `drifting` (were they not skipped), None when they are not drifting away."""
    path = person.path
    touch = known.last.get(path)
    if touch is None:
        return None
    silent = (today - touch.date).days  # the last contact is the latest day of contact
    if silent < DRIFT_MIN_SILENCE_DAYS:
        return None
    until = person.snooze_until
    if until is not None and today < until:
        return None
    touches = known.touches[path]
    start = known.first_past[path]
    if len(touches) - start < DRIFT_MIN_CONTACTS:  # fewer touches than the days needed
        return None
    days = list(dict.fromkeys(map(_DATE, touches[start:])))  # distinct, newest first (touches are)
    if len(days) < DRIFT_MIN_CONTACTS:
        return None
    usual = _median([(a - b).days for a, b in itertools.pairwise(days)])
    if silent > DRIFT_FACTOR * usual:
        return Drifting(path, touch, round(usual), silent)
    return None


def drift_order(vault: Vault) -> Callable[[Drifting], tuple[float, str, str]]:
    """`drifting`'s order as one sort key (people sorted by path: ties in the order of `Vault.people`)."""
    return lambda d: (-d.silent_days / max(d.usual_gap_days, 1), name_of(vault, d.person), d.person)


def drifting(
    vault: Vault, today: dt.date, skip: set[str], contacts: Contacts | None = None
) -> list[Drifting]:
    """People contacted regularly whose silence is now more than twice their usual (median) gap."""
    known = contacts_for(vault, today, contacts)
    last = known.last
    found = []
    for path, person in vault.people.items():
        if path in last and path not in skip:
            item = drift_of(known, person, today)
            if item is not None:
                found.append(item)
    return sorted(found, key=lambda d: (-d.silent_days / max(d.usual_gap_days, 1), name_of(vault, d.person)))


def compute_agenda(vault: Vault, today: dt.date, shared: Insights | None = None) -> Agenda:
    """The whole agenda (`shared`: what other insights of this build already computed, if any)."""
    if shared is not None and shared.vault is vault and shared.today == today:
        known = shared.contacts
        follow, drift = shared.follow_ups, shared.drifting
        tasks, born = shared.promised.all, shared.birthdays
    else:
        known = contacts_for(vault, today, None)
        follow = tuple(keep_in_touch(vault, today, known))
        drift = tuple(drifting(vault, today, {f.person for f in follow}, known))
        tasks, born = tuple(promises(vault, today, known)), tuple(birthdays(vault, today))
    return Agenda(
        today=today,
        follow_ups=follow,
        tasks=tasks,
        birthdays=born,
        congratulate=tuple(congratulate(vault, today, known)),
        after_events=tuple(after_events(vault, today, known)),
        drifting=drift,
    )


def agenda_json(vault: Vault, agenda: Agenda) -> dict[str, list[dict[str, object]]]:
    """The agenda as JSON-ready data; people are named by their note names."""

    def name(path: str) -> str:
        return name_of(vault, path)

    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "follow_ups": [
            {
                "person": name(f.person),
                "due": iso(f.due),
                "last_contact": iso(f.last_contact.date) if f.last_contact else None,
                "days_overdue": f.days_overdue,
                "never_contacted": f.never_contacted,
                "cadence": f.cadence,
                "last_contact_note": f.last_contact.source if f.last_contact else None,
            }
            for f in agenda.follow_ups
        ],
        "tasks": [
            {
                "text": p.text,
                "due": iso(p.due),
                "people": [name(x) for x in p.people],
                "path": p.path,
                "line": p.line,
                "kind": p.kind,
            }
            for p in agenda.tasks
        ],
        "birthdays": [
            {"person": name(b.person), "date": iso(b.date), "age": b.age} for b in agenda.birthdays
        ],
        "congratulate": [
            {"person": name(c.person), "date": iso(c.date), "what": c.what} for c in agenda.congratulate
        ],
        "after_events": [
            {"person": name(a.person), "event": name_of(vault, a.event), "date": iso(a.date)}
            for a in agenda.after_events
        ],
        "drifting": [
            {
                "person": name(d.person),
                "last_contact": iso(d.last_contact.date),
                "usual_gap_days": d.usual_gap_days,
                "silent_days": d.silent_days,
            }
            for d in agenda.drifting
        ],
    }
