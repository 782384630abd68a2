"""The head of the giving-back report, for the page: the same rules as giving.py, without listing every item.

`giving()` lists every help item of everyone, sorted. The page shows how many people have any help, the first
rows (the people helped or helping most recently) with their latest item, and who I owe back. So
`giving_top` looks at items only where those come from:

* the most recent days of help, until they name enough people (the first rows: nobody else can rank higher);
* the interactions naming those people (their counts and latest item);
* the last OWE_BACK_DAYS days (owing back depends on nothing older);
* for the count, only who is named where (no items).

Its rows are the first rows of `giving()`'s lists, cut to the same length (tests hold the two to the same
answers).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from vaultkit.insights.acquainted import INTRO_KIND
from vaultkit.insights.giving import OWE_BACK_DAYS, Help, OweBack, ResourceShare, resources_to_share
from vaultkit.insights.shared import Insights
from vaultkit.model import Interaction, Person, Vault

_DATE = attrgetter("date")
_PEOPLE = attrgetter("people")


@dataclass(frozen=True, slots=True)
class HelpTotals:
    """A `Reciprocity` row in short: the counts both ways and the latest item (`items[0]`)."""

    person: str
    given: int
    received: int
    latest: Help


@dataclass(frozen=True, slots=True)
class GivingTop:
    today: dt.date
    reciprocity: tuple[HelpTotals, ...]  # the first rows of `Giving.reciprocity`
    reciprocity_count: int  # all rows
    owe_back: tuple[OweBack, ...]  # the first rows of `Giving.owe_back`
    owe_back_count: int
    resources: tuple[ResourceShare, ...]


def giving_top(
    vault: Vault, today: dt.date, reciprocity_top: int, owe_back_top: int, shared: Insights | None = None
) -> GivingTop:
    """`giving()`, its lists cut to `reciprocity_top` and `owe_back_top` rows, with their full lengths."""
    everyone = vault.people
    helping = [
        i
        for i in vault.interactions
        if (i.gave or i.received or i.kind == INTRO_KIND) and i.date is not None and i.date <= today
    ]
    helping.sort(key=_DATE)  # the vault keeps them by date already: this only checks
    owed = _owe_back(everyone, helping, today)
    return GivingTop(
        today,
        tuple(_first_rows(everyone, helping, reciprocity_top)),
        len(_helped(everyone, helping)),
        tuple(owed[:owe_back_top]),
        len(owed),
        tuple(resources_to_share(vault, today, shared=shared)),
    )


def _present(everyone: dict[str, Person], i: Interaction) -> list[str]:
    return [p for p in dict.fromkeys(i.people) if p in everyone]


def _items(everyone: dict[str, Person], i: Interaction, person: str, present: list[str]) -> list[Help]:
    """`person`'s help items from interaction `i` (as giving.py lists them); `present`: `_present(i)`."""
    assert i.date is not None
    found = [Help(i.date, "gave", what, i.path) for what in i.gave]
    found += [Help(i.date, "received", what, i.path) for what in i.received]
    if i.kind == INTRO_KIND and len(present) > 1 and not i.gave:
        others = ", ".join(everyone[o].name for o in present if o != person)
        found.append(Help(i.date, "intro", f"intro to {others}", i.path))
    return found


def _helped(everyone: dict[str, Person], helping: list[Interaction]) -> set[str]:
    """Everyone with at least one help item."""
    given_or_received = [i for i in helping if i.gave or i.received]  # every person named has items
    found = set(chain.from_iterable(map(_PEOPLE, given_or_received)))
    found.intersection_update(everyone.keys())
    for i in helping:
        if not (i.gave or i.received):  # an intro alone: items when it names two people of the vault
            present = _present(everyone, i)
            if len(present) > 1:
                found.update(present)
    return found


def _first_rows(everyone: dict[str, Person], helping: list[Interaction], limit: int) -> list[HelpTotals]:
    """The first `limit` reciprocity rows: most recent help first, then by name and path."""
    if limit <= 0:
        return []
    last: dict[str, dt.date] = {}  # person -> their latest day of help
    end = len(helping)
    while end > 0 and len(last) < limit:  # one day at a time, newest first
        day = helping[end - 1].date
        assert day is not None
        start = bisect.bisect_left(helping, day, 0, end, key=_DATE)
        for i in helping[start:end]:
            present = _present(everyone, i)
            for p in present:
                if p not in last and _items(everyone, i, p, present):
                    last[p] = day
        end = start
    # everyone else's latest help is older than every day looked at: they rank after all of these
    ranked = sorted(last, key=lambda p: (-last[p].toordinal(), everyone[p].name.casefold(), p))[:limit]
    return _totals(everyone, helping, ranked)


def _totals(everyone: dict[str, Person], helping: list[Interaction], people: list[str]) -> list[HelpTotals]:
    """Counts and latest item of each of `people` (in that order), from every interaction naming them."""
    wanted = set(people)
    items: dict[str, list[Help]] = {p: [] for p in people}
    for i in helping:
        if wanted.isdisjoint(i.people):
            continue
        present = _present(everyone, i)
        for p in present:
            if p in wanted:
                items[p] += _items(everyone, i, p, present)
    rows = []
    for p in people:
        received = sum(1 for h in items[p] if h.direction == "received")
        latest = min(items[p], key=lambda h: (-h.date.toordinal(), h.source, h.direction, h.what))
        rows.append(HelpTotals(p, len(items[p]) - received, received, latest))
    return rows


def _owe_back(everyone: dict[str, Person], helping: list[Interaction], today: dt.date) -> list[OweBack]:
    """All of `giving()`'s owe-back rows: only the last OWE_BACK_DAYS days can make or undo one."""
    start = today - dt.timedelta(days=OWE_BACK_DAYS)
    recent = helping[bisect.bisect_left(helping, start, key=_DATE) :]
    items: dict[str, list[Help]] = {}
    for i in recent:
        present = _present(everyone, i)
        for p in present:
            items.setdefault(p, []).extend(_items(everyone, i, p, present))
    found = []
    for person, helps in items.items():
        got = _latest(h for h in helps if h.direction == "received")
        if got is None or any(h.direction != "received" and h.date >= got.date for h in helps):
            continue
        found.append(OweBack(person, got, (today - got.date).days))
    return sorted(found, key=lambda o: (o.days_ago, everyone[o.person].name.casefold(), o.person))


def _latest(helps: Iterable[Help]) -> Help | None:
    """The first of `helps` in a reciprocity row's order (newest first), or None."""
    return min(helps, key=lambda h: (-h.date.toordinal(), h.source, h.direction, h.what), default=None)
