"""Reading one note's fields: unreadable values become diagnostics at the key's line.

Keys are matched case-insensitively (`Date:` is `date:`). Most notes write every key in lower case; for
those `get` and `line` are the plain dictionary look-ups and no lower-case map is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from vaultkit.diagnostics import Diagnostic
from vaultkit.read.types import Note, RawTag
from vaultkit.values import KNOWN_DATES, ValueError_, parse_date, str_list

T = TypeVar("T")

LOWER_KEYS: set[str] = set()  # keys seen to be lower case (`type`, `date`, ...): a vault uses few
LOWER_KEYS_MAX = 1 << 12
TAG_KEYS: dict[str, str] = {}  # body tag name -> in lower case: a vault uses few tags, again and again


def lower_keys(meta: Mapping[Any, Any]) -> bool:
    """Whether every key of `meta` is text in lower case: then a key is found, in any case, by a plain
    look-up (the case of most notes)."""
    if meta.keys() <= LOWER_KEYS:
        return True
    for key in meta:
        if type(key) is not str or key.lower() != key:
            return False
    if len(LOWER_KEYS) < LOWER_KEYS_MAX:
        LOWER_KEYS.update(meta)
    return True


def note_tags(body_tags: tuple[RawTag, ...], front: Any) -> tuple[str, ...]:
    """Frontmatter tags (`front`, the value of `tags:`) and body tags, lower-case, without '#', each once:
    the frontmatter's first (a body tag already there keeps its place)."""
    found: dict[str, None] = {}
    if front is not None:
        for tag in str_list(front, comma_split=True):
            found[tag.lstrip("#").lower()] = None
    known = TAG_KEYS.get
    for raw in body_tags:
        found[known(raw.name) or tag_key(raw.name)] = None
    found.pop("", None)
    return tuple(found)


def tag_key(name: str) -> str:
    """A body tag's name in lower case (`TAG_KEYS` remembers it)."""
    key = name.lower()
    if len(TAG_KEYS) < LOWER_KEYS_MAX:
        TAG_KEYS[name] = key
    return key


def _get_any_case(meta: dict[Any, Any], lower: dict[str, Any], key: str) -> Any:
    value = meta.get(key)
    if value is None and key not in meta:
        real = lower.get(key)
        return None if real is None else meta.get(real)
    return value


class Fields:
    """One note's fields; `report` appends to `diags`. `get(key)` is the value (None when absent)."""

    __slots__ = ("diags", "get", "lower", "note")

    def __init__(self, note: Note, diags: list[Diagnostic]) -> None:
        self.note = note
        self.diags = diags
        meta = note.meta
        if lower_keys(meta):
            self.lower: dict[str, Any] | None = None
            self.get: Callable[[str], Any] = meta.get
        else:
            self.lower = {k.lower(): k for k in meta if isinstance(k, str)}  # the last one wins
            self.get = partial(_get_any_case, meta, self.lower)

    def line(self, key: str) -> int | None:
        """The line of `key` in the file."""
        key_lines = self.note.key_lines
        line = key_lines.get(key)
        if line is None and self.lower is not None and key not in key_lines:
            return key_lines.get(self.lower.get(key, key))
        return line

    def report(self, key: str, message: str, code: str = "bad-value") -> None:
        self.diags.append(Diagnostic(self.note.path, self.line(key), "warning", code, message))

    def typed(self, key: str, parse: Callable[[Any], T]) -> T | None:
        value = self.get(key)
        if value is None or value == "":
            return None
        try:
            return parse(value)
        except ValueError_ as exc:
            self.report(key, f"{key}: {exc}; ignored")
            return None

    def date(self, key: str) -> dt.date | None:
        value = self.get(key)
        if value is None:
            return None
        if type(value) is str:
            known = KNOWN_DATES.get(value)
            if known is not None:
                return known
        if value == "":
            return None
        try:
            return parse_date(value)
        except ValueError_ as exc:
            self.report(key, f"{key}: {exc}; ignored")
            return None

    def text(self, key: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        if type(value) is str:
            return value.strip() or None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip() or None
        self.report(key, f"{key}: expected text, got {type(value).__name__}; ignored")
        return None

    def texts(self, key: str, *, comma_split: bool = False) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        return tuple(str_list(value, comma_split=comma_split))

    def tags(self) -> tuple[str, ...]:
        """Frontmatter tags and body tags, lower-case, without '#', each once."""
        return note_tags(self.note.body.tags, self.get("tags"))
