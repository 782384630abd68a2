"""FROZEN REFERENCE (tests only): the pre-optimisation `vaultkit/read/_mdscan.py`, the helper of
tests/reference_markdown.py (the oracle for tests/test_markdown_fast.py). Do not edit or optimise it.

Original docstring: Hide code and comments in a note body, so links, tags and tasks written inside them are not seen.

`mask(text)` returns a string as long as `text` in which fenced code blocks (``` and ~~~, also
inside `>` quotes and callouts), inline code spans (CommonMark backtick runs), `%%…%%` comments and
`<!-- … -->` comments are overwritten with `FILL`. Line breaks are kept, so every offset and line
number in the result is valid in the original. `FILL` is not whitespace and plays no part in link,
tag or task syntax, so a `#` right after a code span (`` `x`#tag ``) starts no tag, as after any
other character.

A `[[…]]` closed on the same line is left as written, so a code span inside a wikilink
(``[[#`move`|move]]``) does not cancel the link (obsidian-format.md §1.2, §6 rule 6).

One left-to-right scan decides everything: a code span hides a `%%` inside it, and a comment hides
backticks inside it, as in Obsidian. Indented code blocks (four spaces) are not treated as code:
lists nest with indentation, and the help-vault corpus counts do not mask them either.
"""

from __future__ import annotations

import re
from bisect import bisect_right

FILL = "~"

_MARKS = ("`", "~~~", "%%", "<!--")
_RUNS = {"`": re.compile(r"``*"), "~": re.compile(r"~~*")}
_BLANK_REST = re.compile(r"[ \t]*(?:\n|\Z)")
_QUOTE_MARKS = re.compile(r"[ \t>]*")
# Where a paragraph, the furthest a code span can reach, ends: a blank line or a line opening another block.
_PARA_END = re.compile(r"\n[ \t>]*(?:\n|\Z|[-*+][ \t]|[0-9]+[.)][ \t]|#{1,6}[ \t]|```|~~~|\|)")
_HEADING = re.compile(r"[ \t>]*#{1,6}(?:[ \t]|\n|\Z)")
# Bounds on how far to look around a mark, so a pathological line (megabytes long) stays linear:
_PREFIX_REACH = 256  # the indentation and '>' before a fence
_LINK_REACH = 4096  # the [[…]] a code or comment mark may sit in


def needs_mask(text: str) -> bool:
    """False when `text` holds nothing `mask` would hide, so the caller can skip it."""
    # A one-character `in` is a memchr; test it before the (much slower) substring search.
    return (
        "`" in text
        or ("%" in text and "%%" in text)
        or ("<" in text and "<!--" in text)
        or ("~" in text and "~~~" in text)
    )


def _fill(segment: str) -> str:
    if "\n" not in segment:
        return FILL * len(segment)
    return "\n".join(FILL * len(part) for part in segment.split("\n"))


def _line_start(text: str, pos: int, allowed: str) -> int:
    """Start of pos's line when only `allowed` characters stand between it and pos, else -1."""
    if pos == 0 or text[pos - 1] == "\n":
        return pos
    if text[pos - 1] not in allowed:
        return -1
    low = max(0, pos - _PREFIX_REACH)
    rest = text[low:pos].rstrip(allowed)
    if rest:
        return low + len(rest) if rest[-1] == "\n" else -1
    return 0 if low == 0 else -1


def _fence(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the fenced block whose opening run is text[start:end]; None if there is no fence."""
    line_start = _line_start(text, start, " \t>")
    if line_start < 0:
        return None
    line_end = text.find("\n", end)
    if text[start] == "`" and "`" in text[end : line_end if line_end >= 0 else len(text)]:
        return None  # ```a``` is inline code: a backtick fence's info string has no backtick
    return line_start, _fence_end(text, line_start, start, end, line_end)


def _fence_end(text: str, line_start: int, start: int, end: int, line_end: int) -> int:
    size = len(text)
    if line_end < 0:
        return size
    char, width = text[start], end - start
    depth = text.count(">", line_start, start)
    pos = line_end + 1
    runs = _RUNS[char]
    if depth == 0:
        while (hit := text.find(char * 3, pos)) >= 0:
            run = runs.match(text, hit)
            pos = run.end() if run is not None else hit + 3
            if pos - hit >= width and _BLANK_REST.match(text, pos) and _line_start(text, hit, " \t") >= 0:
                return pos
        return size
    # Inside `>` quotes or callouts the block also ends where the quote ends (a line with fewer `>`).
    while pos <= size:
        next_nl = text.find("\n", pos)
        if next_nl < 0:
            next_nl = size
        marks = _QUOTE_MARKS.match(text, pos, next_nl)
        marks_end = marks.end() if marks is not None else pos
        if text.count(">", pos, marks_end) < depth:
            return pos
        run = runs.match(text, marks_end, next_nl)
        if run is not None and run.end() - marks_end >= max(width, 3) and _BLANK_REST.match(text, run.end()):
            return run.end()
        pos = next_nl + 1
    return size


class _CodeSpans:
    """Finds where a code span closes: the next backtick run of the same length in the same paragraph."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.runs: dict[int, list[int]] = {}
        for run in _RUNS["`"].finditer(text):
            self.runs.setdefault(run.end() - run.start(), []).append(run.start())
        self.para_from = 0
        self.para_to = -1

    def close(self, start: int, width: int) -> int:
        """Offset just past the closing run, or -1 when the run at `start` opens no code span."""
        text = self.text
        if not self.para_from <= start < self.para_to:
            end = _PARA_END.search(text, start)
            self.para_from, self.para_to = start, end.start() if end is not None else len(text)
        starts = self.runs.get(width, ())
        i = bisect_right(starts, start)
        if i == len(starts) or starts[i] >= self.para_to:
            return -1
        closer = starts[i]
        if text.find("\n", start, closer) >= 0:
            line_start = text.rfind("\n", max(0, start - _LINK_REACH), start) + 1
            if _HEADING.match(text, line_start) is not None:
                return -1  # a heading is one line long
        return closer + width


def _inside_wikilink(text: str, start: int, done: int) -> int:
    """End of the one-line [[…]] that text[start] is written inside, or -1 when it is in none."""
    low = max(done, start - _LINK_REACH)
    low = max(low, text.rfind("\n", low, start) + 1)
    if text.rfind("[", low, start) < 0:  # a one-character search first: it is much faster
        return -1
    opening = text.rfind("[[", low, start)
    if opening < 0 or text.find("]]", opening + 2, start) >= 0:
        return -1
    if opening and text[opening - 1] == "\\":
        return -1  # \[[ is no link
    close = text.find("]]", start, start + _LINK_REACH)
    if close < 0 or text.find("\n", start, close) >= 0:
        return -1
    return close + 2


def _find_mark(text: str, mark: str, pos: int) -> int:
    """text.find(mark, pos), done as one-character finds (a memchr), which beat a substring search."""
    at = text.find(mark[0], pos)
    if len(mark) > 1:
        while at >= 0 and not text.startswith(mark, at):
            at = text.find(mark[0], at + 1)
    return at


def _next_mark(text: str, pos: int, found: dict[str, int]) -> tuple[int, str]:
    """The first of _MARKS at or after pos; `found` caches where each mark next occurs."""
    first, kind = -1, ""
    for mark, at in found.items():
        if 0 <= at < pos:
            at = found[mark] = _find_mark(text, mark, pos)
        if at >= 0 and (first < 0 or at < first):
            first, kind = at, mark
    return first, kind


def mask(text: str) -> str:
    """`text` with code and comments overwritten by FILL (same length, same line breaks)."""
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    pos = 0
    size = len(text)
    spans: _CodeSpans | None = None
    found = {mark: _find_mark(text, mark, 0) for mark in _MARKS}
    comment_close = 0  # where the next "-->" is (-1: there is none left)
    while True:
        start, kind = _next_mark(text, pos, found)
        if start < 0:
            break
        run = _RUNS[kind[0]].match(text, start) if kind in ("`", "~~~") else None
        end = run.end() if run is not None else start + len(kind)
        if start and text[start - 1] == "\\" and is_escaped(text, start):
            pos = start + 1  # \` \%% \<!-- are text; the rest of a backtick run may still open a span
            continue
        if (link_end := _inside_wikilink(text, start, done)) >= 0:
            pos = link_end  # a code span or comment mark inside [[…]] is part of the link
            continue
        hide_from, hide_to = start, -1
        if kind == "`" or kind == "~~~":
            if end - start >= 3 and (fence := _fence(text, start, end)) is not None:
                hide_from, hide_to = fence
            elif kind == "`":
                if spans is None:
                    spans = _CodeSpans(text)
                hide_to = spans.close(start, end - start)
        elif kind == "%%":
            close = text.find("%%", end)
            hide_to = size if close < 0 else close + 2  # an unclosed %% hides the rest of the note
        else:  # <!--
            if 0 <= comment_close < start + 2:
                comment_close = text.find("-->", start + 2)
            if comment_close >= 0:
                hide_to = comment_close + 3
            elif _line_start(text, start, " ") >= 0:
                hide_to = size  # an HTML block comment runs to the end of the note when unclosed
        if hide_to < 0:
            pos = end
            continue
        pieces.append(text[done:hide_from])
        pieces.append(_fill(text[hide_from:hide_to]))
        done = pos = hide_to
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def is_escaped(text: str, pos: int) -> bool:
    """True when text[pos] follows an odd number of backslashes."""
    count = 0
    while pos > count and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1
