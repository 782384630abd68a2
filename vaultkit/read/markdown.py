"""A note body -> its links, tags and tasks, read as Obsidian does (shared/obsidian-format.md §1, §3, §4).

`parse_body(text, first_line)` is the only public function. It never raises: a body it cannot read at
all gives a `Body` holding one `Problem`.

How it works: code and comments are first overwritten with filler (`_mdscan.mask`, skipped when the
body has no backtick, `~~~`, `%%` or `<!--`), keeping every offset. Links, tags and tasks are then
found with regexes on the masked text, and what they report (display text, task text) is cut from the
original text.

Written for speed, as it runs on every note of a cold build (tests/test_markdown_fast.py checks it gives
what the plainer earlier version, tests/reference_markdown.py, gives). The common case, a body with no
Markdown link "](", takes the fast path in `_mdfast`: wikilinks and task boxes found in one scan, a '#'
checked only against links holding one, results made without `__init__`. A task text that cannot hold a
Tasks/Dataview field skips the field parser.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from urllib.parse import unquote

from vaultkit.read._mdfast import (
    TASK_BOX,
    WIKILINK,
    Span,
    find_tags,
    new_body,
    new_task,
    split_target,
    wikilinks_and_boxes,
)
from vaultkit.read._mdscan import is_escaped, mask, needs_mask
from vaultkit.read.types import Body, Problem, RawLink, RawTask

__all__ = ["parse_body"]

_EMPTY = Body()

_TASK_LEAD = re.compile(r"[ \t>]*(?:[-*+]|[0-9]+[.)])[ \t]+")
_LEAD_REACH = 256  # how far back from "[c]" to look for the line start (keeps megabyte lines linear)
# [text](destination "title"): the text may hold one level of [brackets] and \escapes; the destination is
# <…>, or has no space and only balanced (parentheses).
_MDLINK = re.compile(
    r"\[([^\[\]\n\\]*+(?:(?:\\.|\[[^\[\]\n]*\])[^\[\]\n\\]*+)*+)\]"
    r"\([ \t]*(?:<([^<>\n]*)>|([^\s()<>\\]*+(?:(?:\\[^\s]|\([^\s()\\]*\))[^\s()<>\\]*+)*+))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Tasks-plugin emoji fields and Dataview [key:: value] / (key:: value) fields are read from the END of the
# task text (§4.2, §4.3). To read them with `match` instead of a slow right-anchored `search`, the text is
# reversed, and so is every pattern below (the forward form is in each comment). Branch order follows the
# Tasks plugin: priority, dates, recurrence, tags, id, dependsOn; then the Dataview forms.
_ID = r"[a-zA-Z0-9_-]++"
_REV_DATE = r"([0-9]{2}-[0-9]{2}-[0-9]{4})"  # YYYY-MM-DD
_DV_DATE_KEYS = ("due", "scheduled", "start", "created", "completion", "cancelled")
_DV_PRIORITIES = ("highest", "high", "medium", "low", "lowest")


def _rev(*words: str) -> str:
    return "|".join(word[::-1] for word in words)


_REV_FIELD = re.compile(
    r"(?:\ufe0f?([🔺⏫🔼🔽⏬])"  # 1 ⏫
    r"|" + _REV_DATE + r" *+\ufe0f?([📅📆🗓⏳⌛🛫➕✅❌])"  # 2, 3: 📅 2024-01-01
    r"|([a-zA-Z0-9, !]++)\ufe0f?🔁"  # 4: 🔁 every week
    r"|[a-zA-Z]++ *+\ufe0f?🏁"  # 🏁 keep
    r"|([^\s!@#$%^&*(),.?\":{}|<>]++)#(?=\s|\Z)"  # 5: #tag, preceded by a space (kept in the text)
    r"|" + _ID + r" *+\ufe0f?🆔"  # 🆔 abc123
    r"|(?: *+" + _ID + r" *+, *+)*+" + _ID + r" *+\ufe0f?⛔"  # ⛔ abc,def
    r"|(?:, *+)?([\])]) *+(?:"  # 6: [due:: 2024-01-01] or (due:: 2024-01-01), maybe followed by ","
    + _REV_DATE
    + r" *+::("  # 7, 8
    + _rev(*_DV_DATE_KEYS)
    + r")|("  # 9: [priority:: high]
    + _rev(*_DV_PRIORITIES)
    + r") *+::ytiroirp"
    r"|([a-zA-Z0-9, !]++)::taeper"  # 10: [repeat:: every week]
    r"|[a-zA-Z]++ *+::noitelpmoCno|" + _ID + r" *+::di"  # [onCompletion:: keep], [id:: abc]
    r"|(?: *+" + _ID + r" *+, *+)*+" + _ID + r" *+::nOsdneped"  # [dependsOn:: abc,def]
    r") *+([\[(])"  # 11
    r")\s*+"
)
_REV_BLOCK_ID = re.compile(r"[a-zA-Z0-9-]+\^ \s*")  # " ^block-id" at the very end, read once, dropped
_PRIORITY = {"🔺": "highest", "⏫": "high", "🔼": "medium", "🔽": "low", "⏬": "lowest"}
_DATE_FIELD = {"📅": "due", "📆": "due", "🗓": "due", "⏳": "scheduled", "⌛": "scheduled", "🛫": "start"}
_DATE_FIELD |= {"➕": "created", "✅": "done", "❌": "cancelled", "completion": "done"}
_DATE_FIELD |= {key: key for key in _DV_DATE_KEYS if key != "completion"}
_MAX_FIELDS = 64  # the Tasks plugin gives up after 21 rounds of (at most) 12 fields


def parse_body(text: str, first_line: int = 1) -> Body:
    """Links, tags and tasks of a note body; `first_line` is the file line on which the body starts."""
    try:
        return _parse(text, first_line)
    except Exception as exc:  # a note must never stop a vault from being read
        message = f"could not read the note body ({type(exc).__name__})"
        return Body(problems=(Problem(None, "error", "body-unreadable", message),))


def _parse(text: str, first_line: int) -> Body:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    has_bracket = "[" in text
    has_hash = "#" in text
    if not (has_bracket or has_hash):
        return _EMPTY
    masked = mask(text) if needs_mask(text) else text
    if masked is not text:
        has_bracket = has_bracket and "[" in masked
        has_hash = has_hash and "#" in masked
    links: list[RawLink] = []
    skip: list[Span] = []  # spans where a '#' belongs to a link, not to a tag
    tasks: tuple[RawTask, ...] = ()
    problems: list[Problem] = []
    if has_bracket:
        if "(" in masked and "](" in masked:
            links, skip = _links(text, masked, first_line)
            boxes = [match.start() for match in TASK_BOX.finditer(masked)]
        else:
            links, skip, boxes = wikilinks_and_boxes(masked, first_line)
        if boxes:
            tasks = _tasks(text, masked, boxes, links, first_line, problems)
    tags = find_tags(masked, skip, first_line) if has_hash else ()
    if not (links or tags or tasks):
        return _EMPTY
    return new_body(tuple(links), tags, tasks, tuple(problems))


def _links(text: str, masked: str, first_line: int) -> tuple[list[RawLink], list[tuple[int, int]]]:
    """Wikilinks, embeds and internal Markdown links in document order, and the spans the links cover (for
    a body with a "](", rarer, so read as before: `_mdfast.wikilinks_and_boxes` is the fast path)."""
    links: list[RawLink] = []
    spans: list[tuple[int, int]] = []  # spans[i] is where links[i] is written, while only wikilinks are in
    line, last = first_line, 0
    for match in WIKILINK.finditer(masked):
        span = match.span()
        start = span[0]
        embed = False
        if start:
            before = masked[start - 1]
            if before == "\\" and is_escaped(masked, start):
                continue  # \[[x]]
            embed = before == "!" and not is_escaped(masked, start - 1)
        target, subpath, display = split_target(match.group(1))
        if not (target or subpath):
            continue
        line += masked.count("\n", last, start)
        last = start
        links.append(RawLink(target, subpath, display, line, embed))
        spans.append(span)
    if "(" in masked and "](" in masked:
        count = len(links)
        starts = [span[0] for span in spans]
        wiki_spans = spans[:]
        line, line_end = first_line, 0
        pos = masked.find("](")
        while pos >= 0:  # scan only the lines that hold a "](", for speed
            line_start = masked.rfind("\n", line_end, pos) + 1 or line_end
            line += masked.count("\n", line_end, line_start)
            line_end = masked.find("\n", pos)
            line_end = len(masked) if line_end < 0 else line_end
            _markdown_links(text, masked, line, line_start, line_end, wiki_spans, links, starts, spans)
            pos = masked.find("](", line_end)
        if len(links) > count:
            order = sorted(range(len(links)), key=starts.__getitem__)
            links = [links[i] for i in order]
            spans.sort()
    return links, spans


def _markdown_links(
    text: str,
    masked: str,
    line: int,
    begin: int,
    end: int,
    wiki_spans: list[tuple[int, int]],
    links: list[RawLink],
    starts: list[int],
    spans: list[tuple[int, int]],
) -> None:
    """The internal Markdown links in masked[begin:end], which is one line: the line numbered `line`."""
    wiki_at = bisect_right(wiki_spans, (begin, -1))
    for match in _MDLINK.finditer(masked, begin, end):
        start, stop = match.span()
        while wiki_at < len(wiki_spans) and wiki_spans[wiki_at][1] <= start:
            wiki_at += 1
        if wiki_at < len(wiki_spans) and wiki_spans[wiki_at][0] < stop:
            continue  # overlaps a [[wikilink]]
        if start and masked[start - 1] == "\\" and is_escaped(masked, start):
            continue
        label_start, label_end = match.span(1)
        if "](" in masked[label_start:label_end]:  # an image inside a link: [![alt](a.png)](b.md)
            _markdown_links(text, masked, line, label_start, label_end, [], links, starts, spans)
        angled = match.start(2) >= 0
        dest = text[match.start(2) : match.end(2)] if angled else text[match.start(3) : match.end(3)]
        spans.append((label_end, stop))
        if not dest or dest.startswith("//") or _SCHEME.match(dest):
            continue  # empty, or external: https:, mailto:, obsidian:, //host
        if not angled and "\\" in dest:
            dest = _MD_ESCAPE.sub(r"\1", dest)
        target, _, sub = dest.partition("#")
        target, sub = unquote(target).strip(), unquote(sub).strip()
        if not (target or sub):
            continue
        embed = start > 0 and masked[start - 1] == "!" and not is_escaped(masked, start - 1)
        display = text[label_start:label_end].strip()
        links.append(RawLink(target, "#" + sub if sub else "", display, line, embed, markdown=True))
        starts.append(start)


def _tasks(
    text: str, masked: str, boxes: list[int], links: list[RawLink], first_line: int, problems: list[Problem]
) -> tuple[RawTask, ...]:
    """The tasks among the boxes "[c]": those with only a list marker before them on their line."""
    tasks: list[RawTask] = []
    link_lines: list[int] | None = None
    line, last = first_line, 0
    for box in boxes:
        low = max(0, box - _LEAD_REACH)
        line_start = masked.rfind("\n", low, box) + 1 or low
        if (line_start == low and low > 0) or _TASK_LEAD.fullmatch(masked, line_start, box) is None:
            continue  # no list marker (or one written after hundreds of spaces and '>')
        line += masked.count("\n", last, box)
        last = box
        line_end = text.find("\n", box)
        body = text[box + 3 : line_end if line_end >= 0 else len(text)]
        if link_lines is None:
            link_lines = [link.line for link in links]
        own = links[bisect_left(link_lines, line) : bisect_right(link_lines, line)]
        tasks.append(_task(masked[box + 1], body, line, tuple(own), problems))
    return tuple(tasks)


def _task(status: str, body: str, line: int, links: tuple[RawLink, ...], problems: list[Problem]) -> RawTask:
    """One task: its text and the Tasks/Dataview fields peeled off its end (§4.2)."""
    desc = body.strip()
    if desc.isascii() and "#" not in desc and ":" not in desc and "^" not in desc:
        # every field holds an emoji, a '#' or "::", and a block id a '^': there is none to peel off
        return new_task(line, status, desc, None, None, None, None, None, None, None, None, links)
    rev = desc[::-1]
    block = _REV_BLOCK_ID.match(rev) if "^" in desc else None
    pos = block.end() if block is not None else 0
    match = _REV_FIELD.match(rev, pos)
    if match is None:  # no fields
        return new_task(
            line, status, desc[: len(desc) - pos], None, None, None, None, None, None, None, None, links
        )
    due: dt.date | None = None
    scheduled: dt.date | None = None
    start: dt.date | None = None
    created: dt.date | None = None
    done: dt.date | None = None
    cancelled: dt.date | None = None
    priority: str | None = None
    recurrence: str | None = None
    tags: list[str] = []
    for _ in range(_MAX_FIELDS):
        group = match.group
        kind = match.lastindex  # which branch matched: 1, 3, 4, 5, 11 (Dataview) or None (🏁 🆔 ⛔)
        if kind == 11:
            if (group(6) == "]") != (group(11) == "["):
                break  # [key:: value) is no field
            kind = 3 if group(7) else 1 if group(9) else 4 if group(10) else None
        pos = match.end()
        if kind == 1:
            priority = _PRIORITY[group(1)] if group(1) else group(9)[::-1]
        elif kind == 3:
            name = _DATE_FIELD[group(3)] if group(2) else _DATE_FIELD[group(8)[::-1]]
            date = _date(name, (group(2) or group(7))[::-1], line, problems)
            if name == "due":
                due = date
            elif name == "scheduled":
                scheduled = date
            elif name == "start":
                start = date
            elif name == "created":
                created = date
            elif name == "done":
                done = date
            else:
                cancelled = date
        elif kind == 4:
            rule = (group(4) or group(10))[::-1].strip()
            recurrence = rule if rule[:5].lower() == "every" else None
        elif kind == 5:
            tags.append("#" + group(5)[::-1])
        match = _REV_FIELD.match(rev, pos)
        if match is None:
            break
    text = desc[: len(desc) - pos]
    if tags:
        text = " ".join([text, *reversed(tags)]) if text else " ".join(reversed(tags))
    return new_task(
        line, status, text, due, scheduled, start, created, done, cancelled, priority, recurrence, links
    )


def _date(name: str, value: str, line: int, problems: list[Problem]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)  # value is NNNN-NN-NN, so only a real date passes
    except ValueError:
        message = f"task {name} date '{value}' is not a valid date"
        problems.append(Problem(line, "warning", "bad-task-date", message))
        return None
