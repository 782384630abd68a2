"""The agenda's promises, carried over from the previous build of the same day and patched where they changed.

Promises have two parts, computed and kept apart:

* tasks: the open tasks due within a week or overdue, from `Vault.tasks` and today;
* follow-ups: the interactions whose `follow_up` date has come (the candidates, from `Vault.interactions` and
  today), each kept while nobody in it was contacted after it (from the contacts).

The watch's model update keeps unchanged tasks and interactions as the same objects, in place in their
tuples, so `changed_window` finds the stretch that differs. Tasks there are taken out of the previous list
and put in again. Candidates there are dropped or added, and only they and the candidates naming a changed
person (`Carried.changed`: their contacts may differ) are looked at again; the promises of those that opened
or closed are put in or taken out.

Order: promises are sorted by `promise_order` (due, path, line), tasks before follow-ups on ties, each part in
its vault order. A task's key is unique (one task per line of a note) and so is a follow-up's (one interaction
per path); should a patch meet a tie anyway, that part is computed again.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from vaultkit.insights.carry_people import FEW_WINDOW
from vaultkit.insights.followups import (
    PROMISE_HORIZON_DAYS,
    Promise,
    follow_up_candidates,
    follow_up_open,
    follow_up_promise,
    promise_order,
    task_promises,
)
from vaultkit.insights.followups_carry import Carried
from vaultkit.model import Interaction, Task, Touch, Vault

__all__ = ["FollowUpPart", "Promised", "TaskPart", "promised"]

Key = tuple[dt.date, str, int]  # `promise_order`
_TASK_ORDER = attrgetter(
    "due", "path", "line"
)  # `promise_order` of a task's promise (its line is never None)


@dataclass(frozen=True, slots=True)
class TaskPart:
    """The task promises, with their keys (to merge and patch them without computing these again)."""

    promises: list[Promise]  # in `promise_order`, ties in the order of the tasks
    keys: list[Key]  # `promise_order` of each


class FollowUpPart:
    """The follow-up promises, with what the next build needs to patch them."""

    __slots__ = ("_by_person", "_candidates", "kept", "open")

    def __init__(
        self,
        candidates: Sequence[Interaction] | None,
        by_person: Mapping[str, Sequence[Interaction]] | None,
        open: dict[int, Interaction],
        kept: list[Promise],
    ) -> None:
        self._candidates = candidates  # interactions whose follow-up date has come, until indexed
        self._by_person = by_person
        self.open = open  # `id` -> candidate nobody in it was contacted since
        self.kept = kept  # their promises, in `promise_order`

    def by_person(self) -> Mapping[str, Sequence[Interaction]]:
        """Person -> the candidates naming them (made on first use: only a build patching this one needs
        it)."""
        if self._by_person is None:
            assert self._candidates is not None
            found: dict[str, list[Interaction]] = {}
            for i in self._candidates:
                for p in i.people:  # someone named twice is listed twice: only ever looked up
                    found.setdefault(p, []).append(i)
            self._by_person, self._candidates = found, None
        return self._by_person


@dataclass(frozen=True, slots=True)
class Promised:
    """`promises`, as its parts, for the next build to carry over."""

    tasks: TaskPart
    follow: FollowUpPart
    all: tuple[Promise, ...]  # `promises`: both parts


def promised(
    vault: Vault,
    today: dt.date,
    last: Mapping[str, Touch],
    old: Promised | None,
    carried: Carried | None,
) -> Promised:
    """`promises(vault, today)` as parts (`last`: `Contacts.last`); `old`: the previous build's, for the same
    day and people (`carried`), patched where it can be."""
    tasks: TaskPart | None = None
    follow: FollowUpPart | None = None
    if old is not None and carried is not None:
        tasks = _carried_tasks(old.tasks, carried, vault.tasks, today)
        follow = _carried_follow_ups(old.follow, carried, vault.interactions, today, last)
    if tasks is None:
        found = task_promises(vault.tasks, today)
        keys: list[Key] = list(map(_TASK_ORDER, found))
        order = sorted(range(len(found)), key=keys.__getitem__)  # stable: ties in task order
        tasks = TaskPart(list(map(found.__getitem__, order)), list(map(keys.__getitem__, order)))
    if follow is None:
        follow = _follow_ups(vault, today, last)
    if old is not None and tasks is old.tasks and follow.kept is old.follow.kept:
        return old if follow is old.follow else Promised(tasks, follow, old.all)
    return Promised(tasks, follow, _merged(tasks, follow.kept))


def _follow_ups(vault: Vault, today: dt.date, last: Mapping[str, Touch]) -> FollowUpPart:
    candidates = follow_up_candidates(vault, today)
    opened = [i for i in candidates if follow_up_open(i, last)]
    kept = [follow_up_promise(i) for i in opened]
    kept.sort(key=promise_order)  # stable: ties in the vault's order
    return FollowUpPart(candidates, None, {id(i): i for i in opened}, kept)


def _merged(tasks: TaskPart, kept: list[Promise]) -> tuple[Promise, ...]:
    """`sorted(tasks + kept, key=promise_order)`: both sorted, the few follow-ups put in among the tasks."""
    found: list[Promise] = []
    start = 0
    promises, keys = tasks.promises, tasks.keys
    for p in kept:
        at = bisect_right(keys, promise_order(p), start)  # after the tasks of the same key, as a stable sort
        found += promises[start:at]
        found.append(p)
        start = at
    found += promises[start:]
    return tuple(found)


def _carried_tasks(old: TaskPart, carried: Carried, now: Sequence[Task], today: dt.date) -> TaskPart | None:
    """`old` (the task promises of `carried.vault`) for the tasks `now`, when only a few tasks differ; else
    None."""
    before = carried.vault.tasks
    if before is now:
        return old
    lo, old_hi, new_hi = carried.window("tasks")
    if (old_hi - lo) + (new_hi - lo) > FEW_WINDOW:
        return None
    promises, keys = list(old.promises), list(old.keys)
    for p in task_promises(before[lo:old_hi], today):
        key = promise_order(p)
        at = bisect_left(keys, key)
        if at == len(keys) or promises[at] != p or (at + 1 < len(keys) and keys[at + 1] == key):
            return None  # not there, or a tie
        del promises[at], keys[at]
    for p in task_promises(now[lo:new_hi], today):
        key = promise_order(p)
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return None  # a tie: their order is the tasks' order
        promises.insert(at, p)
        keys.insert(at, key)
    return TaskPart(promises, keys)


def _carried_follow_ups(
    old: FollowUpPart,
    carried: Carried,
    now: Sequence[Interaction],
    today: dt.date,
    last: Mapping[str, Touch],
) -> FollowUpPart | None:
    """`old` (the follow-ups of `carried.vault`) for the interactions `now`, when only a few differ; else
    None."""
    index = old.by_person()
    by_person, was_open = index, old.open
    looked: dict[int, Interaction] = {}  # candidates whose follow-up may have opened or closed
    closing: list[Interaction] = []
    before = carried.vault.interactions
    if before is not now:
        lo, old_hi, new_hi = carried.window("interactions")
        if (old_hi - lo) + (new_hi - lo) > FEW_WINDOW:
            return None
        was, new = before[lo:old_hi], now[lo:new_hi]
        new_ids = set(map(id, new))
        was_ids = set(map(id, was))
        gone = {id(i): i for i in was if id(i) not in new_ids}
        horizon = today + dt.timedelta(days=PROMISE_HORIZON_DAYS)
        added = [
            i for i in new if id(i) not in was_ids and i.follow_up is not None and i.follow_up <= horizon
        ]
        if gone or added:
            by_person = dict(by_person)
            for p in {p for i in (*gone.values(), *added) for p in i.people}:
                mine = [i for i in by_person.get(p, ()) if id(i) not in gone]
                mine += (i for i in added if p in i.people)
                if mine:
                    by_person[p] = mine
                else:
                    by_person.pop(p, None)
            closing += (i for key, i in gone.items() if key in was_open)
            looked.update((id(i), i) for i in added)
    for p in carried.changed:
        looked.update((id(i), i) for i in by_person.get(p, ()))
    opening: list[Interaction] = []
    for key, i in looked.items():
        is_open = follow_up_open(i, last)
        if is_open != (key in was_open):
            (opening if is_open else closing).append(i)
    if not opening and not closing:
        return old if by_person is index else FollowUpPart(None, by_person, was_open, old.kept)
    kept = _patched_kept(old.kept, closing, opening)
    if kept is None:
        return None
    still_open = dict(was_open)
    for i in closing:
        del still_open[id(i)]
    still_open.update((id(i), i) for i in opening)
    return FollowUpPart(None, by_person, still_open, kept)


def _patched_kept(
    kept: list[Promise], closing: list[Interaction], opening: list[Interaction]
) -> list[Promise] | None:
    """`kept` without the promises of `closing`, with those of `opening`; None on a tie of keys."""
    found = list(kept)
    for i in closing:
        p = follow_up_promise(i)
        key = promise_order(p)
        at = bisect_left(found, key, key=promise_order)
        if (
            at == len(found)
            or found[at] != p
            or (at + 1 < len(found) and promise_order(found[at + 1]) == key)
        ):
            return None
        del found[at]
    for i in opening:
        p = follow_up_promise(i)
        key = promise_order(p)
        at = bisect_left(found, key, key=promise_order)
        if at < len(found) and promise_order(found[at]) == key:
            return None
        found.insert(at, p)
    return found
