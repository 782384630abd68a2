"""A fast reader for the plain frontmatter most notes carry; `None` ("not sure") hands the rest to YAML.

`load(yaml_text, resolve_plain)` reads only this subset:

    key: plain scalar            # `resolve_plain` types it, as the event path does
    key: "no escapes" or 'it''s'
    key: [a, "b c", 'd', 42]     # one line, scalars only; [] too
    key:                         # null, or a block list of scalars right below:
      - item                     # (indented or not, every item at the same indentation)
    # comments on their own line or after a value (` #`); blank lines

and returns what `frontmatter._load` would: the same dict (same value types and key order) and the same
`key_lines`. Anything else gives `None` rather than a guess: tabs, CRs other than CRLF, other YAML line
breaks, a BOM, characters YAML refuses, escapes, quoted or odd keys, duplicate keys, nesting, multi-line
scalars, anchors, tags, block scalars, indicators and every plain scalar YAML might read another way
(`a: b: c`, `a:`, `- x`, `?x`, `:x`, `{…}`, `#`, `:` or `?` inside a flow list's plain item).

One regular expression (`_LINES`, run once with `findall`) checks and splits every line; a line it cannot
match is skipped by `findall`, so the count of matches comes out short and the text is declined. What is
accepted is exactly what the patterns allow: a key of letters, digits, `_`, `.`, `-` and inner spaces; a
plain scalar that never starts with an indicator (`-` only before a non-space), never holds `: ` or ` #`
and never ends in `:` or a space; a flow list's plain item that also never holds `,[]{}#:?`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["load"]

Resolver = Callable[[str], Any]

# What YAML reads as one printable character and nothing else: no tab, CR, NEL, LS, PS or BOM. The patterns
# below leave out every ASCII and Latin-1 control (`_C`), newline included, so that each match is one line
# and ASCII text needs no other check.
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_C = r"\x00-\x1f\x7f-\x9f"
# A key: plain, at most 128 characters (libyaml refuses keys over 1024 bytes), no space at either end.
_KEY = r"([A-Za-z0-9_\xa1-\U0010ffff][A-Za-z0-9_. \-\xa0-\U0010ffff]{0,127}(?<! ))"
# A plain scalar: words separated by spaces, a `:` only before a non-space, no word after the first
# starting with `#`; the first character no indicator (`-` only before a non-space).
_WORD_TAIL = rf"[^ :{_C}]*(?::+[^ :{_C}]+)*"
_PLAIN = (
    rf"(?:[^ \-?:,\[\]{{}}#&*!|>'\"%@`{_C}]|-(?=[^ {_C}]))"
    rf"{_WORD_TAIL}(?: +(?:[^ :#{_C}]|:+[^ :{_C}]){_WORD_TAIL})*"
)
_QUOTED = rf"\"[^\"\\{_C}]*\"|'(?:[^'{_C}]|'')*'"  # double-quoted without escapes; single-quoted
_FLOW_CHAR = rf"[^ ,\[\]{{}}#:?{_C}]"  # in a flow list, a plain item also holds none of `,[]{}#:?`
_FLOW_PLAIN = rf"(?:[^ \-?:,\[\]{{}}#&*!|>'\"%@`{_C}]|-(?=[^ ,\]{_C}])){_FLOW_CHAR}*(?: +{_FLOW_CHAR}+)*"
_FLOW_ITEM = rf"{_QUOTED}|{_FLOW_PLAIN}"
_FLOW = rf"\[ *(?:(?:{_FLOW_ITEM}) *(?:, *(?:{_FLOW_ITEM}) *)*)?\]"
_TRAILER = rf"(?: +#[^{_C}]*| *)\n"  # trailing spaces or a comment
# One match per line, as (key, value, item_dash, item): `key: value` (value "" for none), `  - item`, or
# ("", "", "", "") for a blank or comment line. A value or item starts with `"`, `'`, `[` or else is plain.
_LINES = re.compile(
    rf"^(?:{_KEY}:(?: +({_PLAIN}|{_FLOW}|{_QUOTED}))?{_TRAILER}"
    rf"|( *-) +({_PLAIN}|{_QUOTED}){_TRAILER}"
    rf"| *(?:#[^{_C}]*)?\n)",
    re.MULTILINE,
)
_FLOW_ITEMS = re.compile(rf"({_FLOW_ITEM})")


def load(yaml_text: str, resolve_plain: Resolver) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The data and top-level key lines (the YAML starts on file line 2), or None when not plain enough."""
    if "\r" in yaml_text:
        yaml_text = yaml_text.replace("\r\n", "\n")
        if "\r" in yaml_text:
            return None
    if not yaml_text.endswith("\n"):
        yaml_text += "\n"
    if not yaml_text.isascii() and _UNSAFE.search(yaml_text) is not None:
        return None
    lines = _LINES.findall(yaml_text)
    if len(lines) != yaml_text.count("\n"):
        return None  # some line is not in the subset (findall skipped it)
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    pending = ""  # the last key, while it has no value: a block list may follow
    items: list[Any] | None = None
    indent = 0
    for number, (key, value, dash, item) in enumerate(lines, 2):
        if key:
            if key in data:
                return None  # the event path reports it
            key_lines[key] = number
            if not value:  # `key:`, `key:   `, `key: # note`
                data[key] = None
                pending = key
                items = None
                continue
            pending = ""
            first = value[0]
            if first == "[":
                data[key] = _flow_list(value, resolve_plain)
            elif first == '"':
                data[key] = value[1:-1]
            elif first == "'":
                data[key] = value[1:-1].replace("''", "'")
            else:
                data[key] = resolve_plain(value)
        elif dash:
            if not pending:
                return None  # a list item after a value, or at the top
            if items is None:
                data[pending] = items = []
                indent = len(dash)
            elif len(dash) != indent:
                return None
            first = item[0]
            if first == '"':
                items.append(item[1:-1])
            elif first == "'":
                items.append(item[1:-1].replace("''", "'"))
            else:
                items.append(resolve_plain(item))
    return data, key_lines


def _flow_list(value: str, resolve_plain: Resolver) -> list[Any]:
    """The items of a flow list that `_LINES` matched (so a plain item holds no comma or bracket)."""
    if '"' not in value and "'" not in value:  # plain items only: `[a, b c]`
        inner = value[1:-1]
        return [resolve_plain(item.strip(" ")) for item in inner.split(",")] if inner.strip(" ") else []
    if value[:2] == '["' and value[-2:] == '"]':  # `["a", "b"]`, when every quote is at an end of an item
        items = value[2:-2].split('", "')
        if value.count('"') == 2 * len(items):
            return items
    return [
        (item[1:-1] if item[0] == '"' else item[1:-1].replace("''", "'"))
        if item[0] in "\"'"
        else resolve_plain(item)
        for item in _FLOW_ITEMS.findall(value)
    ]
