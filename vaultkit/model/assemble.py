"""The Vault's aggregates from the notes' records: touches per person, and keeping sorted tuples sorted when
a few records change."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TypeVar

from vaultkit.model.construct import constructor
from vaultkit.model.types import DailyNote, Interaction, Person, Task, Touch

T = TypeVar("T", Interaction, DailyNote)

_MIN = dt.date.min
_touch_order = attrgetter("date", "source")
_task_path = attrgetter("path")
new_touch = constructor(Touch)
_FEW = 64  # up to this many changed records, tuples are patched in place; beyond, filtered and sorted again


def interaction_order(i: Interaction) -> tuple[dt.date, str]:
    return (i.date or _MIN, i.path)


def daily_order(d: DailyNote) -> tuple[dt.date, str]:
    return (d.date, d.path)


def note_touches(record: object) -> list[tuple[str, Touch]]:
    """The contacts one note's record writes down: (person path, touch)."""
    found: list[tuple[str, Touch]] = []
    if isinstance(record, Interaction):
        if record.date is not None:
            touch = Touch(record.date, record.path, "interaction")
            found.extend((p, touch) for p in record.people)
            mention = Touch(record.date, record.path, "interaction note")
            found.extend((p, mention) for p in record.mentions if p not in record.people)
    elif isinstance(record, DailyNote):
        touch = Touch(record.date, record.path, "daily note")
        found.extend((p, touch) for p in record.mentions)
    elif isinstance(record, Person) and record.last_contact is not None:
        found.append((record.path, Touch(record.last_contact, record.path, "last_contact")))
    return found


def newest_first(touches: list[Touch]) -> tuple[Touch, ...]:
    if len(touches) > 1:
        touches.sort(key=_touch_order, reverse=True)
    return tuple(touches)


def all_touches(
    people: Iterable[Person], interactions: Sequence[Interaction], daily: Sequence[DailyNote]
) -> dict[str, tuple[Touch, ...]]:
    """Every person's touches, newest first; people sorted by path (only those with a touch).
    `interactions` and `daily` are in their Vault order."""
    found: defaultdict[str, list[Touch]] = defaultdict(list)
    # Newest interaction first: a person only interactions touch needs no sorting.
    for i in reversed(interactions):
        date = i.date
        if date is None:
            continue
        with_ = i.people
        if with_:
            touch = new_touch(date, i.path, "interaction")
            if len(with_) == 1:
                found[with_[0]].append(touch)
            else:
                for p in with_:
                    found[p].append(touch)
        mentions = i.mentions
        if mentions and mentions != with_:  # most notes link to the people they were with, if anyone
            mention = None
            for p in mentions:
                if p not in with_:
                    if mention is None:
                        mention = new_touch(date, i.path, "interaction note")
                    found[p].append(mention)
    unsorted: set[str] = set()
    for d in daily:
        if d.mentions:
            touch = new_touch(d.date, d.path, "daily note")
            for p in d.mentions:
                found[p].append(touch)
            unsorted.update(d.mentions)
    for person in people:
        if person.last_contact is not None:
            found[person.path].append(new_touch(person.last_contact, person.path, "last_contact"))
            unsorted.add(person.path)
    return {p: newest_first(found[p]) if p in unsorted else tuple(found[p]) for p in sorted(found)}


def update_touches(
    touches: Mapping[str, tuple[Touch, ...]], sources: set[str], old: Iterable[object], new: Iterable[object]
) -> dict[str, tuple[Touch, ...]]:
    """`touches` after the notes at `sources` changed from records `old` to records `new`: only the people
    either version touches are sorted again."""
    added: dict[str, list[Touch]] = {}
    affected: set[str] = set()
    for record in old:
        affected.update(p for p, _ in note_touches(record))
    for record in new:
        for p, touch in note_touches(record):
            added.setdefault(p, []).append(touch)
    affected.update(added)
    if not affected:
        return dict(touches)
    result = dict(touches)
    keys_changed = False
    for p in affected:
        kept = [t for t in touches.get(p, ()) if t.source not in sources]
        kept += added.get(p, ())
        if kept:
            keys_changed = keys_changed or p not in result
            result[p] = newest_first(kept)
        elif p in result:
            del result[p]
    if keys_changed:
        result = {p: result[p] for p in sorted(result)}
    return result


def replace_sorted(
    items: tuple[T, ...], order: Callable[[T], tuple[dt.date, str]], old: list[T], new: list[T]
) -> tuple[T, ...]:
    """`items` (sorted by `order`, one per path) without the records `old`, with the records `new`."""
    if not old and not new:
        return items
    if len(old) + len(new) <= _FEW:
        patched = list(items)
        for record in old:
            at = bisect_left(patched, order(record), key=order)
            if at == len(patched) or patched[at].path != record.path:
                raise AssertionError(f"{record.path} is not where its order puts it")
            del patched[at]
        for record in new:
            insort(patched, record, key=order)
        return tuple(patched)
    gone = {record.path for record in old}
    kept = [record for record in items if record.path not in gone]
    kept += new
    kept.sort(key=order)
    return tuple(kept)


def replace_tasks(tasks: tuple[Task, ...], changed: Mapping[str, tuple[Task, ...]]) -> tuple[Task, ...]:
    """`tasks` (in note path order) with the tasks of each note in `changed` replaced."""
    if len(changed) <= _FEW:
        patched = list(tasks)
        for path in sorted(changed):
            lo = bisect_left(patched, path, key=_task_path)
            hi = bisect_right(patched, path, lo=lo, key=_task_path)
            patched[lo:hi] = changed[path]
        return tuple(patched)
    kept = [t for t in tasks if t.path not in changed]
    for new in changed.values():
        kept += new
    kept.sort(key=_task_path)  # stable: each note's tasks stay in their order
    return tuple(kept)
