"""The agenda as an iCalendar file: follow-ups, dated promises, birthdays (yearly) and mentorship check-ins.

Every event is an all-day, transparent event. Its UID is a hash of its kind, its note's path and a key, so a
calendar that re-reads the file updates events instead of duplicating them. The bytes depend only on the vault
and ``today`` (DTSTAMP is ``today`` at midnight UTC, never the clock), so an unchanged vault gives an
unchanged file and sync tools stay quiet.

What goes in, as of ``today``:

* keep in touch: each person with a ``cadence`` on the day they are due (last contact + cadence; never
  contacted: today; snoozed: not before ``snooze_until``). Overdue ones are on ``today``, marked overdue.
  People with a mentorship check-in get that instead.
* promises: open tasks with a due date, and interactions' ``follow_up`` dates not yet acted on; overdue ones
  on ``today``.
* birthdays: a yearly event from the birth date (from 2000 when the year is unknown; 29 February falls on
  the last day of February).
* mentorship check-ins: from :mod:`vaultkit.insights.mentorship` (last contact + cadence, monthly by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import icalendar

from vaultkit import __version__
from vaultkit.insights.common import last_touch, touched_since
from vaultkit.insights.mentorship import mentees, mentors
from vaultkit.load import Loaded
from vaultkit.model import Vault
from vaultkit.pages import unlink
from vaultkit.read.types import note_name

PRODID = f"-//vaultkit//vaultkit {__version__}//EN"
Kind = Literal["follow-up", "promise", "birthday", "mentorship"]


@dataclass(frozen=True, slots=True)
class CalendarItem:
    kind: Kind
    date: dt.date  # the (first) day it is on
    summary: str
    source: str  # the note it comes from
    key: str  # unique among this kind and source
    detail: str = ""
    yearly: bool = False

    @property
    def uid(self) -> str:
        digest = hashlib.sha256(f"{self.kind}\0{self.source}\0{self.key}".encode()).hexdigest()
        return f"{digest[:32]}@vaultkit"


def _on(due: dt.date, today: dt.date) -> tuple[dt.date, str]:
    if due < today:
        return today, f" (overdue since {due.isoformat()})"
    return due, ""


def _mentorship_items(vault: Vault, today: dt.date, name: Callable[[str], str]) -> list[CalendarItem]:
    items = []
    for m in [*mentors(vault, today), *mentees(vault, today)]:
        day, late = _on(m.next_due, today)
        who = "my mentor" if m.role == "mentor" else "my mentee"
        goals = f"Goals: {', '.join(m.goals)}. " if m.goals else ""
        detail = f"{goals}Every {m.cadence}; from {m.person}"
        items.append(CalendarItem("mentorship", day, f"Mentorship check-in: {name(m.person)} ({who}){late}",
                                  m.person, m.role, detail))  # fmt: skip
    return items


def _follow_up_items(
    vault: Vault, today: dt.date, name: Callable[[str], str], skip: set[str]
) -> list[CalendarItem]:
    items = []
    for path, person in vault.people.items():
        if person.cadence is None or path in skip:
            continue
        touch = last_touch(vault, path, today)
        due = person.cadence.after(touch.date) if touch else today
        if person.snooze_until is not None and due < person.snooze_until:
            due = person.snooze_until
        day, late = _on(due, today)
        last = f"last contact {touch.date.isoformat()}" if touch else "never contacted"
        detail = f"Keep in touch every {person.cadence}; {last}. From {path}"
        items.append(
            CalendarItem("follow-up", day, f"Get in touch: {name(path)}{late}", path, "cadence", detail)
        )
    return items


def _promise_items(vault: Vault, today: dt.date, name: Callable[[str], str]) -> list[CalendarItem]:
    items = []
    seen: Counter[tuple[str, str]] = Counter()
    for t in vault.tasks:
        if not t.is_open or t.due is None:
            continue
        text = " ".join(unlink(t.text).split())
        seen[(t.path, text)] += 1
        day, late = _on(t.due, today)
        who = f" ({', '.join(name(p) for p in t.people)})" if t.people else ""
        detail = f"Due {t.due.isoformat()}; {t.path} line {t.line}"
        items.append(CalendarItem("promise", day, f"{text}{who}{late}", t.path,
                                  f"{text}\0{seen[(t.path, text)]}", detail))  # fmt: skip
    for i in vault.interactions:
        if i.follow_up is None:
            continue
        since = i.date or i.follow_up
        if i.people and any(touched_since(vault, p, since, today) for p in i.people):
            continue
        day, late = _on(i.follow_up, today)
        who = f" ({', '.join(name(p) for p in i.people)})" if i.people else ""
        detail = f"Due {i.follow_up.isoformat()}; from {i.path}"
        items.append(
            CalendarItem("promise", day, f"Follow up: {i.name}{who}{late}", i.path, "follow_up", detail)
        )
    return items


def _birthday_items(vault: Vault, name: Callable[[str], str]) -> list[CalendarItem]:
    items = []
    for path, person in vault.people.items():
        b = person.birthday
        if b is None:
            continue
        start = dt.date(b.year or 2000, b.month, b.day)  # 2000 is a leap year: 29 February exists
        items.append(CalendarItem("birthday", start, f"Birthday: {name(path)}", path, "birthday",
                                  f"Born {b}; from {path}", yearly=True))  # fmt: skip
    return items


def calendar_items(vault: Vault, today: dt.date, names: dict[str, str] | None = None) -> list[CalendarItem]:
    """Everything the calendar shows, sorted by day, kind and text."""

    def name(path: str) -> str:
        if names and path in names:
            return names[path]
        person = vault.people.get(path)
        return person.name if person else note_name(path)

    mentoring = _mentorship_items(vault, today, name)
    items = [
        *_follow_up_items(vault, today, name, {m.source for m in mentoring}),
        *_promise_items(vault, today, name),
        *_birthday_items(vault, name),
        *mentoring,
    ]
    return sorted(items, key=lambda i: (i.date, i.kind, i.summary, i.uid))


def _event(item: CalendarItem, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.date)
    event.add("dtend", item.date + dt.timedelta(days=1))
    event.add("summary", item.summary)
    event.add("description", item.detail)
    event.add("categories", ["vaultkit", item.kind])
    event.add("transp", "TRANSPARENT")
    if item.yearly:
        if (item.date.month, item.date.day) == (2, 29):
            event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
        else:
            event.add("rrule", {"freq": "yearly"})
    return event


def export_ics(loaded: Loaded, today: dt.date) -> bytes:
    """The iCalendar file's bytes (CRLF line endings, folded at 75 octets, as RFC 5545 asks)."""
    names = {n.path: n.meta["name"] for n in loaded.notes if isinstance(n.meta.get("name"), str)}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "vaultkit")
    cal.add("x-wr-caldesc", "Follow-ups, promises, birthdays and mentorship check-ins from vaultkit")
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    for item in calendar_items(loaded.vault, today, names):
        cal.add_component(_event(item, stamp))
    data: bytes = cal.to_ical()
    return data
