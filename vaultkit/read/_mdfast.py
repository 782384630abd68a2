"""The fast path of `markdown.parse_body`: the scans for wikilinks, task boxes and tags, and constructors
for the reader's frozen result types (Note, Body, RawLink, RawTag, RawTask), used by the parse cache's
decoder too.

`wikilinks_and_boxes` finds wikilinks and task boxes in one regex scan (both start with "["), with plain
`[[Target]]` links in a group of their own that needs no further work; `find_tags` reads tags with
`split`, cheaper than match objects. tests/test_markdown_fast.py checks both against the earlier version.

A frozen dataclass's `__init__` sets each field with `object.__setattr__`, which looks the slot up by name
every time; a body with dozens of links spends a sizeable part of its parse there. The `new_*` functions
make the same objects (the very same classes, equal field by field) by calling each slot's descriptor
directly, which costs about half as much (a 6-field RawLink: ~0.28 µs instead of ~0.48 µs).

They skip `__init__`, so they must set every field: the check below fails at import when a field is
added to, removed from or reordered in one of the types (or one gains a `__post_init__`), so this module
is updated with it. tests/test_markdown_fast.py compares the objects with ones made by `__init__`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from vaultkit.read._mdscan import is_escaped
from vaultkit.read.types import Body, Note, Problem, RawLink, RawTag, RawTask

Setter = Callable[[Any, Any], None]
Span = tuple[int, int]

# [[inner]]: on one line, closed by the first "]]", with no "[[" inside.
_INNER = r"([^\[\]\n]*+(?:(?:\[(?!\[)|\](?!\]))[^\[\]\n]*+)*+)"
WIKILINK = re.compile(r"\[\[" + _INNER + r"\]\]")
# "[c]" then a space or the line end; the line must start with a list marker (checked by markdown._tasks).
_BOX_REST = r"([^\n])\](?=[ \t]|$)"
TASK_BOX = re.compile(r"\[" + _BOX_REST, re.M)
# A plain wikilink (group 1: its inner, with no "|", "#", bracket or outer space, so it is the target as is),
# any wikilink (group 2: inner) or else a task box (group 3: c): one scan for all, as all start with "[".
# Links and boxes never overlap, except "[[]" opening a wikilink ([[] x]]), which `wikilinks_and_boxes`
# checks.
_PLAIN = r"([^\s\[\]|#](?:[^\[\]\n|#]*[^\s\[\]|#])?)"
_BRACKET = re.compile(r"\[(?:\[(?:" + _PLAIN + "|" + _INNER + r")\]\]|" + _BOX_REST + ")", re.M)
# A '#' at the start of a line or after whitespace, then the tag characters (§3), one of them at least not
# a digit (#1984 is no tag): leading digits are taken possessively, so an all-digit run fails at once.
_NOT_TAG = r"\s\ufeff\u2000-\u206f\u2e00-\u2e7f'!\"#$%&()*+,.:;<=>?@^`{|}~\[\]\\"
_TAG = re.compile(r"#(?<![^\s\ufeff]#)([0-9]*+[^" + _NOT_TAG + r"0-9][^" + _NOT_TAG + r"]*+)")


_NOTE_FIELDS = ("path", "meta", "key_lines", "body", "mtime_ns", "size")
_BODY_FIELDS = ("links", "tags", "tasks", "problems", "summary")
_LINK_FIELDS = ("target", "subpath", "display", "line", "embed", "markdown")
_TAG_FIELDS = ("name", "line")
_TASK_FIELDS: tuple[str, ...] = ("line", "status", "text", "due", "scheduled", "start", "created", "done")
_TASK_FIELDS += ("cancelled", "priority", "recurrence", "links")


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Setter, ...]:
    """The slot setters of `cls`'s fields, after checking that `names` are all its fields, in order."""
    if tuple(f.name for f in dataclasses.fields(cls)) != names or "__post_init__" in vars(cls):
        raise ImportError(f"vaultkit.read._mdfast is out of date with {cls.__name__}'s fields")
    return tuple(vars(cls)[name].__set__ for name in names)


_new = object.__new__
(_note_path, _note_meta, _note_key_lines, _note_body, _note_mtime_ns, _note_size) = _setters(
    Note, _NOTE_FIELDS
)
(_body_links, _body_tags, _body_tasks, _body_problems, _body_summary) = _setters(Body, _BODY_FIELDS)
(_link_target, _link_subpath, _link_display, _link_line, _link_embed, _link_markdown) = _setters(
    RawLink, _LINK_FIELDS
)
(_tag_name, _tag_line) = _setters(RawTag, _TAG_FIELDS)
(
    _task_line,
    _task_status,
    _task_text,
    _task_due,
    _task_scheduled,
    _task_start,
    _task_created,
    _task_done,
    _task_cancelled,
    _task_priority,
    _task_recurrence,
    _task_links,
) = _setters(RawTask, _TASK_FIELDS)


def new_note(
    path: str, meta: dict[str, Any], key_lines: dict[str, int], body: Body, mtime_ns: int, size: int
) -> Note:
    """Note(path, meta, key_lines, body, mtime_ns, size)."""
    note: Note = _new(Note)
    _note_path(note, path)
    _note_meta(note, meta)
    _note_key_lines(note, key_lines)
    _note_body(note, body)
    _note_mtime_ns(note, mtime_ns)
    _note_size(note, size)
    return note


def new_body(
    links: tuple[RawLink, ...],
    tags: tuple[RawTag, ...],
    tasks: tuple[RawTask, ...],
    problems: tuple[Problem, ...],
    summary: str = "",
) -> Body:
    """Body(links, tags, tasks, problems, summary)."""
    body: Body = _new(Body)
    _body_links(body, links)
    _body_tags(body, tags)
    _body_tasks(body, tasks)
    _body_problems(body, problems)
    _body_summary(body, summary)
    return body


def with_summary(body: Body, summary: str) -> Body:
    """dataclasses.replace(body, summary=summary), at a fraction of its cost."""
    return new_body(body.links, body.tags, body.tasks, body.problems, summary)


def new_link(
    target: str, subpath: str, display: str | None, line: int, embed: bool, markdown: bool = False
) -> RawLink:
    """RawLink(target, subpath, display, line, embed, markdown)."""
    link: RawLink = _new(RawLink)
    _link_target(link, target)
    _link_subpath(link, subpath)
    _link_display(link, display)
    _link_line(link, line)
    _link_embed(link, embed)
    _link_markdown(link, markdown)
    return link


def new_tag(name: str, line: int) -> RawTag:
    """RawTag(name, line)."""
    tag: RawTag = _new(RawTag)
    _tag_name(tag, name)
    _tag_line(tag, line)
    return tag


def new_task(
    line: int,
    status: str,
    text: str,
    due: dt.date | None,
    scheduled: dt.date | None,
    start: dt.date | None,
    created: dt.date | None,
    done: dt.date | None,
    cancelled: dt.date | None,
    priority: str | None,
    recurrence: str | None,
    links: tuple[RawLink, ...],
) -> RawTask:
    """RawTask(...) with every field given, in order."""
    task: RawTask = _new(RawTask)
    _task_line(task, line)
    _task_status(task, status)
    _task_text(task, text)
    _task_due(task, due)
    _task_scheduled(task, scheduled)
    _task_start(task, start)
    _task_created(task, created)
    _task_done(task, done)
    _task_cancelled(task, cancelled)
    _task_priority(task, priority)
    _task_recurrence(task, recurrence)
    _task_links(task, links)
    return task


def wikilinks_and_boxes(masked: str, first_line: int) -> tuple[list[RawLink], list[Span], list[int]]:
    """Wikilinks and embeds in document order, the spans of those holding a '#' (which is then no tag),
    and where each task box "[c]" is written (for a body with no Markdown link)."""
    links: list[RawLink] = []
    skip: list[Span] = []
    boxes: list[int] = []
    line, last = first_line, 0
    count = masked.count
    for match in _BRACKET.finditer(masked):
        start = match.start()
        target = match[1]  # a plain [[Name]]: the common case
        inner = None
        if target is None:
            inner = match[2]
            if inner is None:  # a box
                boxes.append(start)
                continue
            if inner[:1] == "]" and TASK_BOX.match(masked, start) is not None:
                boxes.append(start)  # "- [[] x]]" is a task with status "[" and a link
        embed = False
        if start:
            before = masked[start - 1]
            if before == "\\" and is_escaped(masked, start):
                continue  # \[[x]]
            embed = before == "!" and not is_escaped(masked, start - 1)
        if inner is None:
            subpath, display = "", None
        elif "|" in inner or "#" in inner:
            target, subpath, display = split_target(inner)
            if not (target or subpath):
                continue
            if "#" in inner:
                skip.append(match.span())
        else:
            target = inner.strip()
            if not target:
                continue
            subpath, display = "", None
        line += count("\n", last, start)
        last = start
        links.append(new_link(target, subpath, display, line, embed))
    return links, skip, boxes


def split_target(inner: str) -> tuple[str, str, str | None]:
    """What is inside `[[...]]` -> (target, "#subpath" or "", display or None); both empty: not a link."""
    target, display = inner, None
    if "|" in target:
        target, _, display = target.partition("|")
        display = display.strip()
        if target.endswith("\\"):
            target = target[:-1]  # [[a\|b]], as written inside a table
    subpath = ""
    if "#" in target:
        target, _, subpath = target.partition("#")
        subpath = subpath.strip()
        subpath = "#" + subpath if subpath else ""
    return target.strip(), subpath, display


def find_tags(masked: str, skip: list[Span], first_line: int) -> tuple[RawTag, ...]:
    """Tags in document order, but no '#' inside a `skip` span (a link's)."""
    tags: list[RawTag] = []
    line = first_line
    if not skip:
        # [text, tag, text, tag, ..., text]: cheaper than match objects; a tag holds no line break
        parts = iter(_TAG.split(masked))
        for before, name in zip(parts, parts, strict=False):
            line += before.count("\n")
            tags.append(new_tag(name, line))
        return tuple(tags)
    last = 0
    count = masked.count
    skip_starts = [span[0] for span in skip]
    for match in _TAG.finditer(masked):
        start = match.start()
        i = bisect_right(skip_starts, start) - 1
        if i >= 0 and skip[i][1] > start:
            continue  # the '#' of [[Note#Heading]] or of a link destination
        line += count("\n", last, start)
        last = start
        tags.append(new_tag(match[1], line))
    return tuple(tags)
