"""Per-person answers of the previous build, patched for the few people whose inputs changed.

Most of the agenda is a list of per-person items (who is due, who is drifting, whose birthday is near, ...):
each item depends only on that person's record, their touches and `today`. The watch's model update keeps
every record and touch tuple it did not make again as the same object, so `changed_people` finds the few
people whose items can differ with one pass of identity checks, and `patch_sorted` takes the previous list,
drops their items and puts their new ones in place.

Lists sorted with Python's stable sort keep ties in the order the items were found, which is the order of
`Vault.people`; `changed_people` only answers when that order is by path, so a sort key ending in the path
puts every item where the full computation would.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import compress, count
from operator import is_not
from typing import Any, TypeVar

from vaultkit.model import Interaction, Vault
from vaultkit.model.assemble import interaction_order

__all__ = [
    "FEW_CHANGED",
    "FEW_WINDOW",
    "changed_people",
    "changed_window",
    "patch_sorted",
    "patched_interactions",
]

T = TypeVar("T")

FEW_CHANGED = 64  # patching is worth it up to this many changed people, or one in eight of everyone
FEW_WINDOW = 4096  # or up to this many records in the stretch of a sorted tuple that changed


def changed_people(old: Vault, new: Vault) -> frozenset[str] | None:
    """The people (and other keys of `Vault.touches`) whose record or touches in `new` are not the same
    objects as in `old`. None when the two vaults' people are not the same paths in the same order, the
    paths are not sorted, or so many changed that computing everything again is as cheap as patching."""
    a, b = old.people, new.people
    keys = list(b)
    if a is not b and list(a) != keys:
        return None
    if keys != sorted(keys):
        return None
    found = set(compress(keys, map(is_not, a.values(), b.values())))
    ta, tb = old.touches, new.touches
    if ta is not tb:
        touched = list(tb)
        found.update(compress(touched, map(is_not, map(ta.get, touched), tb.values())))
        if not ta.keys() <= tb.keys():  # some people lost all their touches
            found.update(ta.keys() - tb.keys())
    if len(found) > FEW_CHANGED and len(found) * 8 > len(keys):
        return None
    return frozenset(found)


def patch_sorted(
    items: Sequence[T],
    gone: AbstractSet[str],
    added: Iterable[T],
    person: Callable[[T], str],
    key: Callable[[T], Any],
) -> Sequence[T]:
    """`items` (sorted by `key`, a total order) without the items of `gone` people, with `added` in place.
    `items` itself when nothing changes."""
    new = list(added)
    people = list(map(person, items))
    if not new and gone.isdisjoint(people):
        return items
    kept = [x for x, p in zip(items, people, strict=True) if p not in gone]
    for x in new:
        insort(kept, x, key=key)
    return kept


def changed_window(old: Sequence[T], new: Sequence[T]) -> tuple[int, int, int]:
    """`(lo, old_hi, new_hi)`: `new` is `old` with `old[lo:old_hi]` replaced by `new[lo:new_hi]`, every
    item before and after being the same object in both."""
    n = min(len(old), len(new))
    lo = next(compress(count(), map(is_not, old, new)), n)
    tail = next(compress(count(), map(is_not, reversed(old), reversed(new))), n)
    tail = min(tail, n - lo)
    return lo, len(old) - tail, len(new) - tail


def patched_interactions(
    old: Sequence[Interaction],
    before: Sequence[Interaction],
    now: Sequence[Interaction],
    window: tuple[int, int, int],
    keep: Callable[[Interaction], bool],
) -> list[Interaction] | None:
    """`[i for i in now if keep(i)]`, from `old` (that of `before`) and `changed_window(before, now)`;
    None when the window is too large to be worth it. Interactions are in the Vault's order."""
    lo, old_hi, new_hi = window
    if (old_hi - lo) + (new_hi - lo) > FEW_WINDOW:
        return None
    start = (
        bisect_left(old, interaction_order(before[lo]), key=interaction_order)
        if lo < len(before)
        else len(old)
    )
    end = (
        bisect_left(old, interaction_order(before[old_hi]), key=interaction_order)
        if old_hi < len(before)
        else len(old)
    )
    return [*old[:start], *filter(keep, now[lo:new_hi]), *old[end:]]
