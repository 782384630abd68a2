"""The agenda's lists, carried over from the previous build of the same day where their inputs are the same.

`Insights` (shared.py) computes these through the functions here: with no previous answers they compute as
followups.py does; with the previous build's answers and the people who changed since (`changed_people`)
they patch those answers. The tests hold both to the answers of followups.py.

Promises are carried over by followups_promised.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import attrgetter

from vaultkit.insights.carry_people import patch_sorted
from vaultkit.insights.contacts import Contacts
from vaultkit.insights.followups import (
    BirthdayItem,
    Drifting,
    FollowUp,
    birthday_of,
    birthday_order,
    birthdays,
    drift_of,
    drift_order,
    drifting,
    follow_up_of,
    follow_up_order,
    keep_in_touch,
)
from vaultkit.model import Vault

__all__ = ["Carried", "carried_birthdays", "carried_drifting", "carried_follow_ups"]

_person = attrgetter("person")


@dataclass(frozen=True, slots=True)
class Carried:
    """What the previous build of the same day had: its vault and the people changed since."""

    vault: Vault
    changed: AbstractSet[str]
    window: Callable[
        [str], tuple[int, int, int]
    ]  # `changed_window` of a sorted tuple of both vaults, by name


def carried_follow_ups(
    old: Sequence[FollowUp] | None, vault: Vault, today: dt.date, known: Contacts, carried: Carried | None
) -> tuple[FollowUp, ...]:
    """`keep_in_touch`: `old` (the previous build's) patched when `carried`."""
    if old is None or carried is None:
        return tuple(keep_in_touch(vault, today, known))
    people, changed = vault.people, carried.changed
    added = [
        f for p in changed if p in people and (f := follow_up_of(people[p], today, known.last)) is not None
    ]
    return tuple(patch_sorted(old, changed, added, _person, follow_up_order(vault)))


def carried_drifting(
    old: Sequence[Drifting] | None,
    vault: Vault,
    today: dt.date,
    known: Contacts,
    skip: AbstractSet[str],
    carried: Carried | None,
) -> tuple[Drifting, ...]:
    """`drifting` leaving out `skip` (who is due: for the unchanged people, as the previous build's)."""
    if old is None or carried is None:
        return tuple(drifting(vault, today, set(skip), known))
    people, changed, last = vault.people, carried.changed, known.last
    added = [
        d
        for p in changed
        if p in people
        and p in last
        and p not in skip
        and (d := drift_of(known, people[p], today)) is not None
    ]
    return tuple(patch_sorted(old, changed, added, _person, drift_order(vault)))


def carried_birthdays(
    old: Sequence[BirthdayItem] | None, vault: Vault, today: dt.date, carried: Carried | None
) -> tuple[BirthdayItem, ...]:
    if old is None or carried is None:
        return tuple(birthdays(vault, today))
    people, changed = vault.people, carried.changed
    added = [b for p in changed if p in people and (b := birthday_of(people[p], today)) is not None]
    return tuple(patch_sorted(old, changed, added, _person, birthday_order(vault)))
