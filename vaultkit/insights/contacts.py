"""Everyone's contacts as of one day, summarised once so the insights need not rescan them per question.

`Vault.touches` lists each person's touches newest first, so the first one on or before `today` is both the
last contact and the latest day of contact: "a contact after X, up to today" is "the last contact is after X".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from vaultkit.model import Touch, Vault

_DATE = attrgetter("date")


@dataclass(frozen=True, slots=True)
class Contacts:
    """Per person: the last touch on or before `today`, and where it is in `Vault.touches[person]`."""

    today: dt.date
    touches: dict[str, tuple[Touch, ...]]  # the vault's, newest first
    last: dict[str, Touch]  # people with a contact on or before today only
    first_past: dict[str, int]  # index of `last` in `touches[person]`

    def last_touch(self, person: str) -> Touch | None:
        """The latest contact on or before `today` (a future-dated note is a plan, not a contact)."""
        return self.last.get(person)

    def touched_since(self, person: str, since: dt.date) -> bool:
        """Whether there is a contact after `since` and on or before `today`."""
        touch = self.last.get(person)
        return touch is not None and touch.date > since

    def days(self, person: str) -> list[dt.date]:
        """The distinct days of contact on or before `today`, oldest first."""
        start = self.first_past.get(person)
        if start is None:
            return []
        return sorted(set(map(_DATE, self.touches[person][start:])))

    def recent_days(self, person: str, after: dt.date) -> int:
        """How many distinct days of contact fall after `after` and on or before `today`."""
        start = self.first_past.get(person)
        if start is None:
            return 0
        found: set[dt.date] = set()
        for touch in self.touches[person][start:]:
            if touch.date <= after:
                break  # newest first: the rest are older still
            found.add(touch.date)
        return len(found)


def _first_past(touches: tuple[Touch, ...], today: dt.date) -> int | None:
    for n, touch in enumerate(touches):
        if touch.date <= today:
            return n
    return None


def contacts_as_of(vault: Vault, today: dt.date) -> Contacts:
    last: dict[str, Touch] = {}
    first_past: dict[str, int] = {}
    for person, touches in vault.touches.items():
        if touches and touches[0].date <= today:  # the common case: no future-dated touch
            last[person] = touches[0]
            first_past[person] = 0
            continue
        n = _first_past(touches, today)
        if n is not None:
            last[person] = touches[n]
            first_past[person] = n
    return Contacts(today, vault.touches, last, first_past)


def contacts_patched(old: Contacts, vault: Vault, changed: Iterable[str]) -> Contacts:
    """`contacts_as_of(vault, old.today)`, when only the touches of `changed` people differ from those `old`
    summarises."""
    last = dict(old.last)
    first_past = dict(old.first_past)
    for person in changed:
        n = _first_past(vault.touches.get(person, ()), old.today)
        if n is None:
            last.pop(person, None)
            first_past.pop(person, None)
        else:
            last[person] = vault.touches[person][n]
            first_past[person] = n
    return Contacts(old.today, vault.touches, last, first_past)


def contacts_for(vault: Vault, today: dt.date, contacts: Contacts | None) -> Contacts:
    """`contacts` when it summarises this vault's contacts as of `today`, else a new summary."""
    if contacts is not None and contacts.today == today and contacts.touches is vault.touches:
        return contacts
    return contacts_as_of(vault, today)
