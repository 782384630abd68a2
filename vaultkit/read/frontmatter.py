"""Frontmatter: find the `---` fences the way Obsidian does and read the YAML between them, safely.

Fences (obsidian-format.md §2.1): the text, after an optional BOM, must start with `---` + newline; the block
ends at the first later line that is exactly `---`. Lines are counted by LF; line 1 is the opening fence.

The YAML is read as a stream of events, from libyaml's parser when it is there and PyYAML's pure-Python one
otherwise, and built in one pass by the small composer below. It types values roughly as the YAML 1.2 core
schema (Obsidian's) does, but keeps as strings what a property's type should decide later: dates, `yes`/`no`,
`10:30`, `012`, `0x1F`, `1e3`, `+49…`. Before building anything it refuses anchors and aliases (so a
billion-laughs bomb costs a few events), tags other than the core ones, duplicate keys, nesting deeper
than `MAX_DEPTH`, and a top level that is not a mapping. Every failure is a `Problem`; nothing here raises.

Most notes hold only `key: value` lines, flow lists and block lists of scalars; `_fastyaml` reads those
(several times faster) and answers "not sure" for anything else, which then goes through the events.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from vaultkit.read import _fastyaml
from vaultkit.read.types import Frontmatter, Problem

__all__ = ["MAX_DEPTH", "USE_FASTYAML", "USE_LIBYAML", "read_frontmatter"]

MAX_DEPTH: Final = 32
"""Deepest nesting of lists and mappings accepted; the top-level mapping is level 1."""

USE_LIBYAML: bool = yaml.__with_libyaml__
"""Read YAML with libyaml (fast). Set it to False to use PyYAML's pure-Python parser (the tests run both)."""

USE_FASTYAML: bool = True
"""Read plain frontmatter with `_fastyaml` first. Set it to False to send everything through the events."""

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

_CLOSING_FENCE = re.compile(r"^---\r?$", re.MULTILINE)
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")  # line breaks for YAML, not for us
_ANY_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_CORE = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _CORE + "str", _CORE + "seq", _CORE + "map"
_NULLS: Final = ("", "~", "null", "Null", "NULL")
_BOOLS: Final = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CONSTANTS: Final[dict[str, Any]] = {**dict.fromkeys(_NULLS), **_BOOLS}
_MISSING: Final = object()
_INF: Final = float("inf")
_NUMBER_START: Final = frozenset("-0123456789")
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?")  # 42, -3, 1.5; not 012, +1, 1e3, 0x1F, .5
_TAGGED_INT = re.compile(r"[-+]?[0-9]+")
_TAGGED_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


class _PyEventParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python reader, scanner and parser: the event source when libyaml is missing."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


class _Refusal(Exception):
    """Something the YAML may legally say but a note may not; becomes a Problem."""

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(line, "error", code, message)


def read_frontmatter(text: str) -> Frontmatter:
    """Find and read the frontmatter of one note's decoded text (a BOM and CRLF line ends are fine).

    `data` is None when there is no frontmatter or it cannot be read (then `problems` says why); the body
    always starts after the closing fence, whatever the YAML between the fences holds.
    """
    start = 1 if text.startswith("\ufeff") else 0
    if text.startswith("---\n", start):
        yaml_start = start + 4
    elif text.startswith("---\r\n", start):
        yaml_start = start + 5
    else:
        return Frontmatter(None, body_offset=start)
    fence = _CLOSING_FENCE.search(text, yaml_start)
    if fence is None:
        message = "frontmatter opened on line 1 is never closed"
        unclosed = Problem(1, "error", "unclosed-frontmatter", message)
        return Frontmatter(None, problems=(unclosed,), body_offset=start)
    body_offset = fence.end() + 1 if fence.end() < len(text) else fence.end()
    body_line = text.count("\n", 0, body_offset) + 1
    yaml_text = text[yaml_start : fence.start()]
    if not yaml_text:
        return Frontmatter({}, body_offset=body_offset, body_line=body_line)
    if USE_FASTYAML and (plain := _fastyaml.load(yaml_text, _resolve_plain)) is not None:
        return Frontmatter(plain[0], plain[1], body_offset=body_offset, body_line=body_line)
    try:
        data, key_lines = _load(yaml_text)
    except _Refusal as refusal:
        return Frontmatter(None, problems=(refusal.problem,), body_offset=body_offset, body_line=body_line)
    return Frontmatter(data, key_lines, body_offset=body_offset, body_line=body_line)


def _load(yaml_text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Read the YAML between the fences; raise `_Refusal` for anything that is not a clean mapping."""
    line_map = _line_map(yaml_text)
    try:
        parser = _CParser(yaml_text) if USE_LIBYAML and _CParser is not None else _PyEventParser(yaml_text)
        composer = _Composer(parser.get_event, line_map)
        return composer.document(), composer.key_lines
    except _Refusal:
        raise
    except yaml.MarkedYAMLError as error:
        raise _syntax_refusal(error, yaml_text, line_map) from None
    except (ReaderError, UnicodeError):
        raise _reader_refusal(yaml_text) from None
    except Exception as error:  # RecursionError, MemoryError, anything else from the YAML layer
        message = f"could not read the frontmatter YAML: {type(error).__name__}: {error}"
        raise _Refusal(2, "yaml-syntax", message) from None


def _line_map(yaml_text: str) -> list[int] | None:
    """File line of each YAML line when YAML sees line breaks we do not (lone CR, NEL, LS, PS), else None."""
    if _ODD_BREAK.search(yaml_text) is None:
        return None
    line = 2
    lines = [line]
    for match in _ANY_BREAK.finditer(yaml_text):
        line += "\n" in match.group()
        lines.append(line)
    return lines


def _file_line(mark: Any, line_map: list[int] | None) -> int:
    """1-based file line of a 0-based YAML mark; the YAML text starts on file line 2."""
    if mark is None:  # never seen; PyYAML and libyaml mark every event and error
        return 2
    if line_map is None:
        return int(mark.line) + 2
    return line_map[min(mark.line, len(line_map) - 1)]


def _syntax_refusal(error: yaml.MarkedYAMLError, yaml_text: str, line_map: list[int] | None) -> _Refusal:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    if "nesting depth" in problem:  # libyaml stops at 1000 levels before our own limit can
        message = f"frontmatter is nested deeper than {MAX_DEPTH} levels"
        return _Refusal(_file_line(mark, line_map), "yaml-too-deep", message)
    where = f" at column {mark.column + 1}" if mark is not None else ""
    message = f"invalid YAML{where}: {problem}"
    if error.context and error.problem:
        message += f" ({error.context})"
    if "mapping values are not allowed" in problem:
        message += "; quote the value if it contains ': '"
    elif "cannot start any token" in problem and "\t" in yaml_text:
        message += "; indent with spaces, not tabs"
    return _Refusal(_file_line(mark, line_map), "yaml-syntax", message)


def _reader_refusal(yaml_text: str) -> _Refusal:
    bad = _NOT_PRINTABLE.search(yaml_text)
    if bad is None:
        return _Refusal(2, "yaml-syntax", "invalid YAML: the frontmatter holds characters YAML cannot read")
    column = bad.start() - yaml_text.rfind("\n", 0, bad.start())
    line = 2 + yaml_text.count("\n", 0, bad.start())
    message = f"invalid YAML at column {column}: character U+{ord(bad.group()):04X} is not allowed"
    return _Refusal(line, "yaml-syntax", message)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _resolve_plain(value: str) -> Any:
    """Type an unquoted, untagged scalar: null, bool, plain int and float; everything else stays a string."""
    constant = _CONSTANTS.get(value, _MISSING)
    if constant is not _MISSING:
        return constant
    if value[0] in _NUMBER_START:
        number = _PLAIN_NUMBER.fullmatch(value)
        if number is not None:
            try:
                result = float(value) if number.group(1) else int(value)
            except ValueError:  # more digits than int() accepts
                return value
            return value if result in (_INF, -_INF) else result
    return value


class _Composer:
    """Builds Python values straight from parser events, refusing what a note may not contain."""

    __slots__ = ("_line_map", "_next", "key_lines")

    def __init__(self, next_event: Callable[[], Any], line_map: list[int] | None) -> None:
        self._next = next_event
        self._line_map = line_map
        self.key_lines: dict[str, int] = {}

    def _line(self, event: Event) -> int:
        return _file_line(event.start_mark, self._line_map)

    def document(self) -> dict[str, Any]:
        next_event = self._next
        next_event()  # StreamStartEvent
        if isinstance(next_event(), StreamEndEvent):  # else DocumentStartEvent
            return {}  # only blank lines or comments
        event = next_event()
        refusal = None
        if isinstance(event, MappingStartEvent):
            data = self._mapping(event, 1, self.key_lines)
        elif (value := self._node(event, 0)) is None:
            data = {}  # `null`, `~`: as empty as no YAML at all
        else:  # refused once the document is known to be valid YAML: `[link] more text` is no list
            kind = "list" if isinstance(value, list) else "single value"
            message = f"frontmatter must be a mapping of properties, not a {kind}"
            refusal = _Refusal(self._line(event), "frontmatter-not-mapping", message)
        next_event()  # DocumentEndEvent
        event = next_event()
        if not isinstance(event, StreamEndEvent):
            message = "frontmatter holds more than one YAML document (a '...' or '--- ' line inside it?)"
            raise _Refusal(self._line(event), "yaml-syntax", message)
        if refusal is not None:
            raise refusal
        return data

    def _node(self, event: Any, depth: int) -> Any:
        cls = event.__class__
        if cls is ScalarEvent:
            return self._scalar(event)
        if cls is MappingStartEvent:
            return self._mapping(event, depth + 1, {})
        if cls is SequenceStartEvent:
            return self._sequence(event, depth + 1)
        if cls is AliasEvent:
            raise self._alias_refusal(event)
        raise _Refusal(self._line(event), "yaml-syntax", f"invalid YAML: unexpected {cls.__name__}")

    def _alias_refusal(self, event: NodeEvent) -> _Refusal:
        sign = "*" if isinstance(event, AliasEvent) else "&"
        what = "alias" if sign == "*" else "anchor"
        message = (
            f"YAML anchors and aliases are not allowed in frontmatter (found {what} {sign}{event.anchor})"
        )
        return _Refusal(self._line(event), "yaml-alias", message)

    def _check_collection(self, event: MappingStartEvent | SequenceStartEvent, depth: int, tag: str) -> None:
        if event.anchor is not None:
            raise self._alias_refusal(event)
        if event.tag is not None and event.tag != "!" and event.tag != tag:
            raise _Refusal(self._line(event), "yaml-tag", f"unsupported YAML tag '{_show_tag(event.tag)}'")
        if depth > MAX_DEPTH:
            message = f"frontmatter is nested deeper than {MAX_DEPTH} levels"
            raise _Refusal(self._line(event), "yaml-too-deep", message)

    def _scalar(self, event: ScalarEvent) -> Any:
        if event.anchor is not None:
            raise self._alias_refusal(event)
        tag = event.tag
        if tag is None:
            return _resolve_plain(event.value) if event.implicit[0] else event.value
        if tag == "!" or tag == _STR:
            return event.value
        return self._tagged_scalar(event, tag)

    def _tagged_scalar(self, event: ScalarEvent, tag: str) -> Any:
        value: str = event.value
        kind = tag[len(_CORE) :] if tag.startswith(_CORE) else None
        if kind == "null" and value in _NULLS:
            return None
        if kind == "bool" and value in _BOOLS:
            return _BOOLS[value]
        if kind == "int" and _TAGGED_INT.fullmatch(value) and len(value) < 1000:
            return int(value)
        if kind == "float" and _TAGGED_FLOAT.fullmatch(value) and len(value) < 1000:
            return float(value)
        if kind in ("null", "bool", "int", "float"):
            message = f"'{value}' is not a valid value for YAML tag '{_show_tag(tag)}'"
        else:
            message = f"unsupported YAML tag '{_show_tag(tag)}'"
        raise _Refusal(self._line(event), "yaml-tag", message)

    def _sequence(self, event: SequenceStartEvent, depth: int) -> list[Any]:
        self._check_collection(event, depth, _SEQ)
        items: list[Any] = []
        next_event = self._next
        node = self._node
        while True:
            item = next_event()
            if item.__class__ is SequenceEndEvent:
                return items
            items.append(node(item, depth))

    def _mapping(self, event: MappingStartEvent, depth: int, key_lines: dict[str, int]) -> dict[str, Any]:
        """A mapping; every key becomes a string (`1:` -> "1", `true:` -> "true", as written)."""
        self._check_collection(event, depth, _MAP)
        result: dict[str, Any] = {}
        next_event = self._next
        node = self._node
        line_map = self._line_map
        while True:
            key_event = next_event()
            if key_event.__class__ is ScalarEvent:
                if key_event.tag is not None or key_event.anchor is not None:
                    self._scalar(key_event)
                key = key_event.value
            elif key_event.__class__ is MappingEndEvent:
                return result
            else:
                key = str(node(key_event, depth))  # a list or mapping as a key: rare, never hashable as is
            line = key_event.start_mark.line + 2 if line_map is None else self._line(key_event)
            if key in key_lines:
                message = f"duplicate key '{key}' (first on line {key_lines[key]})"
                raise _Refusal(line, "duplicate-key", message)
            key_lines[key] = line
            result[key] = node(next_event(), depth)
