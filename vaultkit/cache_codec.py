"""The parse cache's rows: a parse result (`Note` and diagnostics) <-> compact JSON of plain lists.

JSON, not pickle or marshal: the cache file sits in a synced vault where anyone could plant one, and
`json.loads` only ever builds dicts, lists, strings, numbers, booleans and None. Every field's type is
then checked while the dataclasses are built; anything `encode` could not have written raises
`CorruptCache`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any, Final

from vaultkit.diagnostics import Diagnostic
from vaultkit.read._mdfast import new_body, new_link, new_note, new_tag, new_task
from vaultkit.read.types import Body, Note, Problem, RawLink, RawTag, RawTask

__all__ = ["CorruptCache", "Decoder", "Entry", "encode"]

Entry = tuple[Note | None, tuple[Diagnostic, ...]]
_SEVERITIES: Final = frozenset({"error", "warning"})


class CorruptCache(Exception):
    """The cache holds something vaultkit did not write: it is deleted and rebuilt."""


def _link(link: RawLink) -> list[Any] | str:
    """ "LINE:target" for a plain `[[target]]` (most links: one string to read, and to look up), else the
    six fields."""
    if link.subpath or link.display is not None or link.embed or link.markdown or link.line < 0:
        return [link.target, link.subpath, link.display, link.line, link.embed, link.markdown]
    return f"{link.line}:{link.target}"


def _day(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _task(t: RawTask) -> list[Any]:
    dates = [_day(d) for d in (t.due, t.scheduled, t.start, t.created, t.done, t.cancelled)]
    return [t.line, t.status, t.text, *dates, t.priority, t.recurrence, [_link(link) for link in t.links]]


# No circular check: frontmatter holds no cycles (anchors and aliases are refused), and one would only end
# in RecursionError, caught below.
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_BATCH: Final = 1000  # rows decoded by one json.loads: fewer calls, and keys shared between notes


def encode(path: str, note: Note | None, diags: Iterable[Diagnostic]) -> str | None:
    """One parse result as compact JSON; None when it cannot be cached (a diagnostic about another path,
    or text that is not valid Unicode)."""
    out_diags = []
    for d in diags:
        if d.path != path:
            return None
        out_diags.append([d.line, d.severity, d.code, d.message])
    if note is None:
        body: list[Any] | None = None
    else:
        b = note.body
        lines: dict[str, int] | list[int] = note.key_lines
        if list(note.key_lines) == list(note.meta):  # as always: then only the numbers are kept
            lines = list(note.key_lines.values())
        body = [
            note.meta,
            lines,
            [_link(link) for link in b.links],
            [[t.name, t.line] for t in b.tags],
            [_task(t) for t in b.tasks],
            [[p.line, p.severity, p.code, p.message] for p in b.problems],
            b.summary,
        ]
    try:
        text = _ENCODER.encode([body, out_diags])
        if not text.isascii():
            text.encode("utf-8")  # a lone surrogate cannot be stored
    except (TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return None
    return text


def _is_line(value: Any) -> bool:
    return value is None or type(value) is int


def _is_opt_str(value: Any) -> bool:
    return value is None or type(value) is str


def _day_of(value: Any) -> dt.date | None:
    if value is None:
        return None
    if type(value) is not int:
        raise CorruptCache("date")
    return dt.date.fromordinal(value)


_EMPTY_BODY: Final = Body()


def _new_link(key: str | tuple[Any, ...]) -> RawLink:
    if isinstance(key, str):
        line, colon, target = key.partition(":")
        if not (colon and line.isdigit() and line.isascii()):
            raise CorruptCache("link")
        return new_link(target, "", None, int(line), False)
    target, subpath, display, line, embed, markdown = key
    if not (
        type(target) is str
        and type(subpath) is str
        and _is_opt_str(display)
        and type(line) is int
        and type(embed) is bool
        and type(markdown) is bool
    ):
        raise CorruptCache("link")
    return new_link(target, subpath, display, line, embed, markdown)


class Decoder:
    """JSON rows -> Notes, checking every field's type. Equal links and tags are built once and shared
    (they are immutable), which saves time and memory on a large vault."""

    __slots__ = ("_links", "_tags")

    def __init__(self) -> None:
        self._links: dict[str | tuple[Any, ...], RawLink] = {}
        self._tags: dict[tuple[Any, ...], RawTag] = {}

    def decode(self, path: str, size: int, mtime_ns: int, text: str) -> Entry:
        return self.decode_many([(path, size, mtime_ns, text)])[0]

    def decode_many(self, rows: Sequence[tuple[str, int, int, str]]) -> list[Entry]:
        """(path, size, mtime_ns, JSON) rows -> entries. Raises `CorruptCache` for anything `encode` could
        not have written."""
        out: list[Entry] = []
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            try:
                values = json.loads("[" + ",".join([r[3] for r in batch]) + "]")
                if len(values) != len(batch):
                    raise CorruptCache("rows")
                for (path, size, mtime_ns, _), (body, diags) in zip(batch, values, strict=True):
                    found = tuple(Diagnostic(path, *self._problem(d)) for d in diags)
                    out.append(((None if body is None else self._note(path, size, mtime_ns, body)), found))
            except CorruptCache:
                raise
            except (ValueError, TypeError, RecursionError) as exc:
                raise CorruptCache(type(exc).__name__) from None
        return out

    def _note(self, path: str, size: int, mtime_ns: int, body: list[Any]) -> Note:
        meta, lines, links, tags, tasks, problems, summary = body
        if type(summary) is not str:
            raise CorruptCache(path)
        if type(meta) is not dict:
            raise CorruptCache(path)
        if type(lines) is list:
            if len(lines) != len(meta):
                raise CorruptCache(path)
            key_lines = dict(zip(meta, lines, strict=True))
        elif type(lines) is dict:
            key_lines = lines
        else:
            raise CorruptCache(path)
        for line in lines if type(lines) is list else lines.values():
            if type(line) is not int:
                raise CorruptCache(path)
        if not (links or tags or tasks or problems or summary):
            return new_note(path, meta, key_lines, _EMPTY_BODY, mtime_ns, size)
        get_tag = self._tags.get
        tag_list = []
        for t in tags:
            key = tuple(t)
            tag = get_tag(key)
            if tag is None:
                name, line = key
                if type(name) is not str or type(line) is not int:
                    raise CorruptCache(path)
                tag = self._tags[key] = new_tag(name, line)
            tag_list.append(tag)
        parsed = new_body(
            self._links_of(links),
            tuple(tag_list),
            tuple([self._task(t) for t in tasks]),
            tuple([Problem(*self._problem(p)) for p in problems]),
            summary,
        )
        return new_note(path, meta, key_lines, parsed, mtime_ns, size)

    def _links_of(self, links: list[Any]) -> tuple[RawLink, ...]:
        memo = self._links
        out = []
        for raw in links:
            key = raw if type(raw) is str else tuple(raw)
            link = memo.get(key)
            if link is None:
                link = memo[key] = _new_link(key)
            out.append(link)
        return tuple(out)

    def _task(self, raw: list[Any]) -> RawTask:
        line, status, text, due, scheduled, start, created, done, cancelled, priority, recurrence, links = raw
        if not (
            type(line) is int
            and type(status) is str
            and type(text) is str
            and _is_opt_str(priority)
            and _is_opt_str(recurrence)
        ):
            raise CorruptCache("task")
        return new_task(
            line,
            status,
            text,
            _day_of(due),
            _day_of(scheduled),
            _day_of(start),
            _day_of(created),
            _day_of(done),
            _day_of(cancelled),
            priority,
            recurrence,
            self._links_of(links),
        )

    @staticmethod
    def _problem(raw: list[Any]) -> tuple[int | None, Any, str, str]:
        line, severity, code, message = raw
        if not (_is_line(line) and severity in _SEVERITIES and type(code) is str and type(message) is str):
            raise CorruptCache("problem")
        return line, severity, code, message
