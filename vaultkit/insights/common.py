"""Small helpers shared by the insights."""

from __future__ import annotations

import datetime as dt

from vaultkit.model import Touch, Vault
from vaultkit.read.types import note_name


def last_touch(vault: Vault, person: str, today: dt.date) -> Touch | None:
    """The latest contact on or before `today` (a future-dated note is a plan, not a contact)."""
    for touch in vault.touches.get(person, ()):
        if touch.date <= today:
            return touch
    return None


def touched_since(vault: Vault, person: str, since: dt.date, today: dt.date) -> bool:
    """Whether there is a contact after `since` and on or before `today`."""
    return any(since < t.date <= today for t in vault.touches.get(person, ()))


def name_of(vault: Vault, path: str) -> str:
    person = vault.people.get(path)
    if person is not None:
        return person.name
    return note_name(path)
