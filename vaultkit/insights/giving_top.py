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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from operator import attrgetter, not_

from vaultkit.insights.acquainted import INTRO_KIND
from vaultkit.insights.carry_people import FEW_WINDOW
from vaultkit.insights.giving import OWE_BACK_DAYS, Help, OweBack, ResourceShare, resources_to_share
from vaultkit.insights.shared import Insights
from vaultkit.model import Interaction, Person, Vault
from vaultkit.model.assemble import interaction_order

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
    head = None
    if shared is not None and shared.vault is vault and shared.today == today:
        head = _carried_head(shared, reciprocity_top, owe_back_top)
    if head is None:
        head = _head(vault, today, reciprocity_top, owe_back_top)
    if shared is not None and shared.vault is vault and shared.today == today:
        shared.__dict__[_HEAD] = head
    return GivingTop(
        today,
        head.reciprocity,
        head.reciprocity_count,
        head.owe_back,
        head.owe_back_count,
        tuple(resources_to_share(vault, today, shared=shared)),
    )


@dataclass(frozen=True, slots=True)
class _Head:
    """`GivingTop` but its resources: what only the interactions, who is a person (and their names) and
    today decide; with what the next build needs to patch it."""

    reciprocity_top: int
    owe_back_top: int
    reciprocity: tuple[HelpTotals, ...]
    reciprocity_count: int
    owe_back: tuple[OweBack, ...]
    owe_back_count: int
    helping: list[Interaction]  # the interactions with help items up to today, in the vault's order
    helped: Counter[str]  # person -> how many of `helping` give them items (`_helped`: those above 0)


_HEAD = "carry_giving_top"  # where an Insights keeps its `_Head`


def _is_helping(i: Interaction, today: dt.date) -> bool:
    return bool(i.gave or i.received or i.kind == INTRO_KIND) and i.date is not None and i.date <= today


def _head(vault: Vault, today: dt.date, reciprocity_top: int, owe_back_top: int) -> _Head:
    everyone = vault.people
    helping, helped = _helping(vault, today)
    helping.sort(key=_DATE)  # the vault keeps them by date already: this only checks
    owed = _owe_back(everyone, helping, today)
    return _Head(
        reciprocity_top,
        owe_back_top,
        tuple(_first_rows(everyone, helping, reciprocity_top)),
        sum(1 for p in helped if p in everyone),
        tuple(owed[:owe_back_top]),
        len(owed),
        helping,
        helped,
    )


def _carried_head(shared: Insights, reciprocity_top: int, owe_back_top: int) -> _Head | None:
    """The previous build's `_Head`, patched for the interactions that changed, when the day is the same and
    the people are the same paths with the same names."""
    carried = shared.carried(_HEAD)
    if carried is None:
        return None
    assert shared.previous is not None
    old = shared.previous.__dict__[_HEAD]
    if not isinstance(old, _Head) or (old.reciprocity_top, old.owe_back_top) != (
        reciprocity_top,
        owe_back_top,
    ):
        return None
    before, now = carried.vault.people, shared.vault.people
    if any(before[p].name != now[p].name for p in carried.changed if p in now):
        return None
    if carried.vault.interactions is shared.vault.interactions:
        return old
    return _patched_head(old, shared, carried.vault.interactions)


def _patched_head(old: _Head, shared: Insights, before: Sequence[Interaction]) -> _Head | None:
    """`_head` of `shared`'s vault from `old` (that of the previous build's vault, interactions `before`) when
    few interactions differ; else None."""
    lo, old_hi, new_hi = shared.window("interactions")
    if (old_hi - lo) + (new_hi - lo) > FEW_WINDOW:
        return None
    everyone, today, helping = shared.vault.people, shared.today, old.helping
    # the stretch of `helping` from before[lo:old_hi] (ordered as the vault: by date, then path)
    start = (
        bisect.bisect_left(helping, interaction_order(before[lo]), key=interaction_order)
        if lo < len(before)
        else len(helping)
    )
    end = (
        bisect.bisect_left(helping, interaction_order(before[old_hi]), key=interaction_order)
        if old_hi < len(before)
        else len(helping)
    )
    middle = [i for i in shared.vault.interactions[lo:new_hi] if _is_helping(i, today)]
    was = helping[start:end]
    if not was and not middle:
        return old
    helping = [*helping[:start], *middle, *helping[end:]]
    helped = Counter(old.helped)
    touched: set[str] = set()
    for sign, items in ((-1, was), (1, middle)):
        for i in items:
            for p in _helped_by(everyone, i):
                helped[p] += sign
                touched.add(p)
    count = old.reciprocity_count
    count += sum((helped[p] > 0) - (old.helped[p] > 0) for p in touched if p in everyone)
    first = today - dt.timedelta(days=OWE_BACK_DAYS)
    if all(i.date is not None and i.date < first for i in (*was, *middle)):
        owe_back, owe_back_count = old.owe_back, old.owe_back_count  # owing back looks at later days only
    else:
        owed = _owe_back(everyone, helping, today)
        owe_back, owe_back_count = tuple(owed[: old.owe_back_top]), len(owed)
    return _Head(
        old.reciprocity_top,
        old.owe_back_top,
        tuple(_first_rows(everyone, helping, old.reciprocity_top)),
        count,
        owe_back,
        owe_back_count,
        helping,
        helped,
    )


def _present(everyone: dict[str, Person], i: Interaction) -> list[str]:
    people = i.people
    if len(people) == 1:
        return [people[0]] if people[0] in everyone else []
    return [p for p in dict.fromkeys(people) if p in everyone]


def _has_items(i: Interaction, present: list[str]) -> bool:
    """Whether `_items` gives the people `present` in `i` any help items (it does them all alike)."""
    return bool(i.gave or i.received) or (i.kind == INTRO_KIND and len(present) > 1)


def _items(everyone: dict[str, Person], i: Interaction, person: str, present: list[str]) -> list[Help]:
    """`person`'s help items from interaction `i` (as giving.py lists them); `present`: `_present(i)`."""
    assert i.date is not None
    found = [Help(i.date, "gave", what, i.path) for what in i.gave]
    found += [Help(i.date, "received", what, i.path) for what in i.received]
    if i.kind == INTRO_KIND and len(present) > 1 and not i.gave:
        others = ", ".join(everyone[o].name for o in present if o != person)
        found.append(Help(i.date, "intro", f"intro to {others}", i.path))
    return found


def _helped_by(everyone: dict[str, Person], i: Interaction) -> Iterable[str]:
    """Who `i` (one of `helping`) gives help items, as `_helping` counts them."""
    if i.gave or i.received:
        return i.people  # everyone named has items (only people of the vault are counted)
    present = _present(everyone, i)
    return present if len(present) > 1 else ()  # an intro alone: items when it names two people of the vault


def _helping(vault: Vault, today: dt.date) -> tuple[list[Interaction], Counter[str]]:
    """The interactions with help items up to today (`_is_helping`), in the vault's order; and per person
    named, how many of them give them help items (`_helped_by`: everyone of the vault counted has at least
    one). One pass: there are many interactions."""
    everyone = vault.people
    helping: list[Interaction] = []
    named: list[tuple[str, ...]] = []  # the `with:` of those with gave or received items
    introduced: list[str] = []  # the people of the others (intros) that name two people of the vault
    for i in vault.interactions:
        if i.gave or i.received:
            if (day := i.date) is not None and day <= today:
                helping.append(i)
                named.append(i.people)
        elif i.kind == INTRO_KIND and (day := i.date) is not None and day <= today:
            helping.append(i)
            people = i.people
            if len(people) == 2:  # the common case, as `_present` would make it
                a, b = people
                if a != b and a in everyone and b in everyone:
                    introduced += people
            elif len(people) > 2:
                present = _present(everyone, i)
                if len(present) > 1:
                    introduced += present
    helped = Counter(chain.from_iterable(named))
    helped.update(introduced)
    return helping, helped


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
            if _has_items(i, present):
                for p in present:
                    if p not in last:
                        last[p] = day
        end = start
    # everyone else's latest help is older than every day looked at: they rank after all of these
    ranked = sorted(last, key=lambda p: (-last[p].toordinal(), everyone[p].name.casefold(), p))[:limit]
    return _totals(everyone, helping, ranked)


def _totals(everyone: dict[str, Person], helping: list[Interaction], people: list[str]) -> list[HelpTotals]:
    """Counts and latest item of each of `people` (in that order), from every interaction naming them."""
    wanted = set(people)
    items: dict[str, list[Help]] = {p: [] for p in people}
    for i in compress(helping, map(not_, map(wanted.isdisjoint, map(_PEOPLE, helping)))):
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
