"""How warm my contact with someone is: recent and frequent touches make it warm (0.0 cold ... 1.0 warm)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from vaultkit.insights.contacts import Contacts, contacts_for
from vaultkit.model import Vault

HALF_LIFE_DAYS = 60  # recency halves every 60 days of silence
FREQUENCY_WINDOW_DAYS = 365
FREQUENT_CONTACTS = 6  # distinct contact days in a year that count as "frequent"
RECENCY_WEIGHT = 0.6
WARM = 0.5
COOL = 0.2


def warmth(vault: Vault, person: str, today: dt.date) -> float:
    """0.6 x recency (halving every 60 days since the last contact) + 0.4 x frequency (contact days in the
    last year, 6 or more counting fully). No contact on or before `today`: 0.0."""
    days: set[dt.date] = set()
    last: dt.date | None = None
    start = today - dt.timedelta(days=FREQUENCY_WINDOW_DAYS)
    for touch in vault.touches.get(person, ()):
        if touch.date > today:
            continue
        if last is None or touch.date > last:
            last = touch.date
        if touch.date > start:
            days.add(touch.date)
    if last is None:
        return 0.0
    return _score((today - last).days, len(days))


def _score(silent_days: int, contact_days: int) -> float:
    recency = math.pow(0.5, silent_days / HALF_LIFE_DAYS)
    frequency = min(1.0, contact_days / FREQUENT_CONTACTS)
    return round(RECENCY_WEIGHT * recency + (1 - RECENCY_WEIGHT) * frequency, 3)


def warmth_map(vault: Vault, today: dt.date, contacts: Contacts | None = None) -> dict[str, float]:
    """Warmth of every person, by path (`contacts`: the contacts as of `today`, when already summarised)."""
    known = contacts_for(vault, today, contacts)
    start = today - dt.timedelta(days=FREQUENCY_WINDOW_DAYS)
    last = known.last
    scores: dict[tuple[int, int], float] = {}  # many people share (silence, contact days)
    found: dict[str, float] = {}
    for path in vault.people:
        touch = last.get(path)
        if touch is None:
            found[path] = 0.0
            continue
        key = ((today - touch.date).days, known.recent_days(path, start))
        score = scores.get(key)
        if score is None:
            score = scores[key] = _score(*key)
        found[path] = score
    return found


def warmth_patched(
    old: dict[str, float], vault: Vault, today: dt.date, known: Contacts, changed: Iterable[str]
) -> dict[str, float]:
    """`warmth_map(vault, today, known)`, when `old` is it for the same people paths and day, and only the
    touches of `changed` people differ."""
    found = dict(old)
    start = today - dt.timedelta(days=FREQUENCY_WINDOW_DAYS)
    for path in changed:
        if path in found:
            touch = known.last.get(path)
            found[path] = (
                0.0 if touch is None else _score((today - touch.date).days, known.recent_days(path, start))
            )
    return found


def warmth_label(value: float) -> str:
    """A word for explanations: "warm", "cooling", "cold" or "no contact yet"."""
    if value >= WARM:
        return "warm"
    if value >= COOL:
        return "cooling"
    if value > 0:
        return "cold"
    return "no contact yet"
