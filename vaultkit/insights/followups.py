"""The follow-up agenda: keep in touch, promises, birthdays, congratulations, after events, drifting."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultkit.insights.common import name_of
from vaultkit.insights.contacts import Contacts, contacts_for
from vaultkit.model import Touch, Vault

if TYPE_CHECKING:  # shared.py computes follow-ups with this module: no import back at runtime
    from vaultkit.insights.shared import Insights

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


def _snoozed(vault: Vault, path: str, today: dt.date) -> bool:
    until = vault.people[path].snooze_until
    return until is not None and today < until


def keep_in_touch(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[FollowUp]:
    """People with a cadence whose last contact + cadence is today or earlier, most overdue first."""
    last = contacts_for(vault, today, contacts).last
    found: list[FollowUp] = []
    for path, person in vault.people.items():
        if person.cadence is None or _snoozed(vault, path, today):
            continue
        touch = last.get(path)
        if touch is None:
            found.append(FollowUp(path, str(person.cadence), None, None, None))
            continue
        due = person.cadence.after(touch.date)
        if due <= today:
            found.append(FollowUp(path, str(person.cadence), due, touch, (today - due).days))
    never = sorted((f for f in found if f.never_contacted), key=lambda f: name_of(vault, f.person).casefold())
    overdue = sorted(
        (f for f in found if not f.never_contacted),
        key=lambda f: (-(f.days_overdue or 0), name_of(vault, f.person).casefold(), f.person),
    )
    return overdue + never


def promises(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> list[Promise]:
    """Open tasks due within a week or overdue, and interactions' follow-up dates not yet acted on."""
    last = contacts_for(vault, today, contacts).last
    horizon = today + dt.timedelta(days=PROMISE_HORIZON_DAYS)
    found = [
        Promise(t.text, t.due, t.people, t.path, t.line, "task")
        for t in vault.tasks
        if t.due is not None and t.due <= horizon and t.is_open
    ]
    for i in vault.interactions:
        if i.follow_up is None or i.follow_up > horizon:
            continue
        since = i.date or i.follow_up
        for p in i.people:
            touch = last.get(p)
            if touch is not None and touch.date > since:
                break  # got back to them after this interaction
        else:
            text = f"Follow up: {i.name}"
            found.append(Promise(text, i.follow_up, i.people, i.path, i.follow_up_line, "follow_up"))
    return sorted(found, key=lambda p: (p.due, p.path, p.line or 0))


def birthdays(vault: Vault, today: dt.date) -> list[BirthdayItem]:
    horizon = today + dt.timedelta(days=BIRTHDAY_HORIZON_DAYS)
    found = []
    for path, person in vault.people.items():
        if person.birthday is None:
            continue
        day = person.birthday.next_on_or_after(today)
        if day <= horizon:
            age = day.year - person.birthday.year if person.birthday.year else None
            found.append(BirthdayItem(path, day, age))
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


def drifting(
    vault: Vault, today: dt.date, skip: set[str], contacts: Contacts | None = None
) -> list[Drifting]:
    """People contacted regularly whose silence is now more than twice their usual (median) gap."""
    known = contacts_for(vault, today, contacts)
    last = known.last
    found = []
    for path in vault.people:
        touch = last.get(path)
        if touch is None or path in skip:
            continue
        silent = (today - touch.date).days  # the last contact is the latest day of contact
        if silent < DRIFT_MIN_SILENCE_DAYS or _snoozed(vault, path, today):
            continue
        days = known.days(path)
        if len(days) < DRIFT_MIN_CONTACTS:
            continue
        usual = _median([(b - a).days for a, b in itertools.pairwise(days)])
        if silent > DRIFT_FACTOR * usual:
            found.append(Drifting(path, touch, round(usual), silent))
    return sorted(found, key=lambda d: (-d.silent_days / max(d.usual_gap_days, 1), name_of(vault, d.person)))


def compute_agenda(vault: Vault, today: dt.date, shared: Insights | None = None) -> Agenda:
    """The whole agenda (`shared`: what other insights of this build already computed, if any)."""
    if shared is not None and shared.vault is vault and shared.today == today:
        known = shared.contacts
        follow, drift = shared.follow_ups, shared.drifting
    else:
        known = contacts_for(vault, today, None)
        follow = tuple(keep_in_touch(vault, today, known))
        drift = tuple(drifting(vault, today, {f.person for f in follow}, known))
    return Agenda(
        today=today,
        follow_ups=follow,
        tasks=tuple(promises(vault, today, known)),
        birthdays=tuple(birthdays(vault, today)),
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
