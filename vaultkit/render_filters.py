"""The Markdown-safe filters of the page templates (also callable as functions): link, text, date, plural.

`link` and `text` remember their answers for plain strings: the watch renders the same names on every
build, and the regular expressions are most of what a page costs to render.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime

__all__ = ["FILTERS", "iso_date", "link", "plural", "text"]

_MEMO_LIMIT = 65_536  # answers kept per filter; all are dropped when it is reached
_LINKS: dict[tuple[str, str | None], str] = {}
_TEXTS: dict[str, str] = {}

# Newlines, tabs and other control characters, and the bidi embeddings/overrides/isolates that could
# reorder the rest of an agenda line ("Trojan Source"): each becomes a space.
_BREAKS = r"\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069"
_TARGET_BAD = re.compile(rf"%%|[\[\]|#^\\`{_BREAKS}]")
_DISPLAY_BAD = re.compile(rf"%%|[\[\]\\`{_BREAKS}]")
_SPACES = re.compile(rf"[ {_BREAKS}]+")
_INLINE_SPECIAL = re.compile(r"[\\`*\[\]#<>|$^]|(?<=%)%")
_LEADING_MARK = re.compile(r"^([-+=])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def _squash(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def _text(value: object) -> str:
    """`text` without the memo."""
    if value is None:
        return ""
    escaped = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), _squash(str(value)))
    escaped = _LEADING_MARK.sub(r"\\\1", escaped)
    return _LEADING_NUMBER.sub(r"\1\\\2", escaped)


def _link(name: object, display: object = None) -> str:
    """`link` without the memo."""
    target = _squash(_TARGET_BAD.sub(" ", str(name)))
    shown = "" if display is None else _squash(_DISPLAY_BAD.sub(" ", str(display))).replace("|", "¦")
    if not target:
        return _text(shown)
    if not shown or shown == target:
        return f"[[{target}]]"
    return f"[[{target}|{shown}]]"


def text(value: object) -> str:
    """One line of plain text, safe inside a Markdown list item, table cell or heading.

    ``None`` gives ``""``. Newlines, tabs and other control characters become single spaces (runs collapsed,
    ends stripped). Then each of ``\\ ` * [ ] # < > | $ ^`` gets a backslash, and so does the second ``%`` of
    ``%%`` (Obsidian shows ``\\#`` as ``#``): no links, embeds, tags, HTML, comments, code spans, math, block
    ids or table breaks can start from the value. A leading ``-``, ``+``, ``=`` or ``12.``/``12)`` is escaped
    too, so it cannot become a list or rule. ``_`` and ``~`` are left alone (emphasis is only cosmetic).
    """
    if type(value) is not str:
        return _text(value)
    found = _TEXTS.get(value)
    if found is None:
        if len(_TEXTS) >= _MEMO_LIMIT:
            _TEXTS.clear()
        found = _TEXTS[value] = _text(value)
    return found


def link(name: object, display: object = None) -> str:
    """An Obsidian wikilink ``[[name]]`` or ``[[name|display]]`` that a hostile name cannot break.

    Target: each ``[ ] | # ^ \\ ``` ``, ``%%``, newline or control character becomes a space, then spaces are
    collapsed and stripped (so ``Bob]] [[Evil|x#y`` -> ``[[Bob Evil x y]]``, one link). Headings and block
    references therefore cannot be linked with this filter. Display: the same, except ``|`` ``#`` ``^`` are
    kept, with ``|`` replaced by ``¦`` (a bare ``|`` would split the link inside tables). The display is
    omitted when empty or equal to the target; if the target is empty the result is ``text(display)``.
    """
    if type(name) is not str or not (display is None or type(display) is str):
        return _link(name, display)
    key = (name, display)
    found = _LINKS.get(key)
    if found is None:
        if len(_LINKS) >= _MEMO_LIMIT:
            _LINKS.clear()
        found = _LINKS[key] = _link(name, display)
    return found


def iso_date(value: object) -> str:
    """``YYYY-MM-DD`` for a date, a datetime (its own calendar date: no timezone conversion) or ISO text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return datetime.fromisoformat(value).date().isoformat()
    raise TypeError(f"the date filter needs a date, not {type(value).__name__}")


_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women", "foot": "feet"}


def _plural_form(word: str) -> str:
    lower = word.lower()
    if lower in _IRREGULAR:
        form = _IRREGULAR[lower]
        return form.capitalize() if word[:1].isupper() else form
    if len(word) > 1 and lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 person"``, ``"3 people"``, ``"0 follow-ups"``, ``"2 companies"``: count and word.

    The plural is ``many`` if given, else from a small irregular table (person, child, man, woman, foot),
    else consonant+``y`` -> ``ies``, ``s x z ch sh`` -> ``es``, otherwise ``+s``.
    """
    return f"{n} {word if n == 1 else (many or _plural_form(word))}"


FILTERS: Mapping[str, Callable[..., str]] = {"link": link, "text": text, "date": iso_date, "plural": plural}
