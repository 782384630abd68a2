"""Is an answer of the previous build still good? Cheap checks of whether the inputs it read are unchanged.

The watch's model update (`vaultkit.model.state`) keeps every record it did not make again as the same object,
and every collection it did not touch as the same object. So "unchanged" is mostly an identity check: one
pass over the records, comparing the few fields an answer depends on only for the records that were made
again. An insight that reads only `needs` and `offers` of people, say, is reused after a person's cadence
changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any

__all__ = ["same_records", "same_sequence"]


def same_records(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[str]) -> bool:
    """Whether two path -> record mappings have the same paths, in the same order, and records equal in
    `fields` (records that are the same object are not looked into)."""
    if old is new:
        return True
    if len(old) != len(new):
        return False
    get = attrgetter(*fields) if fields else None
    for (path_a, a), (path_b, b) in zip(old.items(), new.items(), strict=True):
        if path_a != path_b:
            return False
        if a is not b and get is not None and get(a) != get(b):
            return False
    return True


def same_sequence(old: Sequence[Any], new: Sequence[Any], fields: Sequence[str]) -> bool:
    """Whether two sequences of records have the same length and, position by position, records equal in
    `fields` (the same object, or records with the same `path` and equal fields)."""
    if old is new:
        return True
    if len(old) != len(new):
        return False
    get = attrgetter("path", *fields)
    return all(a is b or get(a) == get(b) for a, b in zip(old, new, strict=True))
