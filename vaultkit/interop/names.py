"""Names to file names: safe on Linux, macOS and Windows, and inside Obsidian links.

``pathvalidate`` knows the platforms (forbidden characters, control characters, reserved Windows names such as
``CON`` or ``nul.txt``, trailing dots and spaces); on top of it we add Obsidian's rules and ours:

* Obsidian link characters ``# ^ [ ] |`` and ``%%`` become spaces (a name must survive ``[[name]]``);
* Unicode NFC (macOS may hand back NFD), no invisible format characters (bidi controls, zero-width), NBSP and
  other unusual spaces become plain spaces, runs of spaces collapse;
* no leading dot (hidden from Obsidian) or dash (read as an option by git and shells);
* at most 255 bytes of UTF-8 *including* the ``.md`` suffix, cut between grapheme clusters (never inside a
  combining sequence, an emoji ZWJ sequence, a skin-tone or a flag).

The true name is never lost: callers keep it in the note's frontmatter.
"""

from __future__ import annotations

import re
import unicodedata

from pathvalidate import ValidationError, sanitize_filename, validate_filename

from vaultkit.interop import InteropError

MAX_NAME_BYTES = 255
SUFFIX = ".md"
_LINK_CHARS = re.compile(r"%%|[#^\[\]|]")
_SPACES = re.compile(r"\s+")
_LEADING = re.compile(r"^[\s.\-]+")
_TRAILING = re.compile(r"[\s.]+$")
_ZWJ = "\u200d"


def _is_extender(ch: str) -> bool:
    """A character that belongs to the grapheme cluster before it."""
    code = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
    )


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _cut_ok(text: str, i: int) -> bool:
    """Whether ``text[:i]`` ends between two grapheme clusters (a close approximation of UAX #29)."""
    if i <= 0 or i >= len(text):
        return True
    if _is_extender(text[i]) or text[i - 1] == _ZWJ:
        return False
    if _is_regional(text[i]):
        run = 0
        while i - run - 1 >= 0 and _is_regional(text[i - run - 1]):
            run += 1
        return run % 2 == 0  # never split a flag (a pair of regional indicators)
    return True


def truncate_bytes(text: str, limit: int) -> str:
    """The longest prefix of ``text`` of at most ``limit`` UTF-8 bytes that ends on a cluster boundary."""
    if len(text.encode("utf-8")) <= limit:
        return text
    size = 0
    end = 0
    for i, ch in enumerate(text):
        size += len(ch.encode("utf-8"))
        if size > limit:
            end = i
            break
    cut = end
    while cut > 0 and not _cut_ok(text, cut):
        cut -= 1
    return text[: cut or end]  # one cluster longer than the limit: cut inside it rather than lose it all


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc") else ch
        for ch in text
        if unicodedata.category(ch) != "Cf" or ch == _ZWJ
    )
    return _LINK_CHARS.sub(" ", text)


def _tidy(text: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", _SPACES.sub(" ", text)))


def safe_stem(name: str) -> str:
    """The file name (without ``.md``) for a note called ``name``; :class:`InteropError` if nothing usable
    is left. ``"Bob]] [[Evil|x#y^z: *?"`` -> ``"Bob Evil x y z"``, ``"CON"`` -> ``"CON_"``, ``"Ann."`` ->
    ``"Ann"``, ``"../x"`` -> ``"x"``."""
    text = _tidy(_clean(name))
    text = sanitize_filename(text, replacement_text=" ", platform="universal", max_len=4 * len(text) + 16)
    text = _tidy(text)
    text = _tidy(truncate_bytes(text, MAX_NAME_BYTES - len(SUFFIX)))
    # Stripping may have uncovered a reserved name (" CON " -> "CON"): let pathvalidate have the last word.
    text = sanitize_filename(text, platform="universal", max_len=MAX_NAME_BYTES - len(SUFFIX))
    if not text:
        raise InteropError(f"{name!r}: no usable characters for a file name")
    try:
        validate_filename(text + SUFFIX, platform="universal")
    except ValidationError as exc:  # pragma: no cover - the steps above should make this impossible
        raise InteropError(f"{name!r}: cannot make a safe file name ({exc})") from None
    return text


def clean_name(text: str) -> str:
    """A person's or org's true name as stored in a note: NFC, whitespace (newlines, tabs) collapsed."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def name_key(text: str) -> str:
    """How two names are compared: NFC, trimmed, case-folded (case-insensitive file systems, Obsidian)."""
    return unicodedata.normalize("NFC", text).strip().casefold()
