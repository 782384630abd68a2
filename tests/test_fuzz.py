"""Property tests: the reader never raises, whatever the bytes; the agenda does not depend on the cache.

Arbitrary bytes and structured near-miss notes (broken fences, odd YAML, unterminated links, emoji, RTL
text) go through `decode_note`, `parse_note` and `read_note`. Small generated vaults give the same agenda
from a cold build, a warm build (the parse cache), after touching files in random order, and after edits.
Example counts are kept modest so the file runs in seconds (VAULTKIT_FUZZ_SCALE=50 multiplies them for a long
run by hand); `fuzz/fuzz_reader.py` (atheris, coverage-guided) goes further.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vaultkit.cache import Decoder, encode
from vaultkit.diagnostics import Diagnostic
from vaultkit.insights.followups import agenda_json, compute_agenda
from vaultkit.load import load_vault
from vaultkit.read import frontmatter
from vaultkit.read.reader import decode_note, parse_note, read_note
from vaultkit.read.types import Note

TODAY = dt.date(2026, 11, 25)
SCALE = int(os.environ.get("VAULTKIT_FUZZ_SCALE", "1"))  # e.g. 50 for a long run by hand
FAST = settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- near-miss notes --------------------------------------------------------------------------------------

_ODD_TEXT = [
    "🦄",
    "👩\u200d💻",
    "محمد",
    "שלום",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "é",
    "e\u0301",
    "\u2028",
    "\x85",
    "\t",
    "\r",
    "\\",
    "%%",
    "<!--",
    "-->",
    "```",
    "~~~",
    "`",
    "|",
    "#",
    "^",
    "]]",
    "[[",
    "](",
    "\x07",
    "\x00",
]
_WORDS = st.sampled_from(
    ["Ann", "Bob Li", "x", "a b", "2026-11-20", "yes", "NO", "10:30", "012", "", " ", *_ODD_TEXT]
)
_TEXT = st.lists(_WORDS, max_size=6).map("".join)

_FENCES = st.sampled_from(
    ["---\n", "---\r\n", "\ufeff---\n", "--- \n", "----\n", "\n---\n", "---", "", "---\n---\n"]
)
_CLOSERS = st.sampled_from(["---\n", "---\r\n", "---", "--- \n", "...\n", "", "---\n---\n", "-- -\n"])
_KEYS = st.sampled_from(
    [
        "type",
        "with",
        "date",
        "cadence",
        "aliases",
        "content",
        "handler",
        "1",
        "yes",
        "? a",
        "- a",
        "<<",
        "a b",
        "",
        "🦄",
    ]
)
_VALUES = st.one_of(
    _TEXT,
    st.sampled_from(
        [
            "&a x",
            "*a",
            "&a [*a]",
            "!!python/object/apply:os.system [x]",
            "!!binary aGk=",
            "!!set {a}",
            "!!int x",
            "!!float 1.5",
            "!!str 1",
            "!!null ~",
            "[",
            "]",
            "{",
            "{a: [}",
            '"unterminated',
            "'it''s'",
            "|",
            ">-",
            "[[Ann]]",
            '"[[Ann]]"',
            "[[[Ann]]]",
            "Assignment 1: Some Title",
            "2024-13-45",
            "--04-12",
            "30d",
            "banana",
            "9" * 400,
            "1e999",
            "-.inf",
            "0x1F",
            "[a, b, [c, [d]]]",
            "{a: {b: {c: 1}}}",
            "% directive",
        ]
    ),
)
_YAML_LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _KEYS, _VALUES),
    st.builds(lambda v: f"  - {v}", _VALUES),
    st.builds(lambda k: f"\t{k}:", _KEYS),
    st.sampled_from(
        ["<<<<<<< HEAD", "=======", ">>>>>>> origin", "...", "---", "# comment", "%YAML 1.1", "? "]
    ),
)
_BODY_LINE = st.one_of(
    _TEXT,
    st.builds(lambda t: f"[[{t}", _TEXT),
    st.builds(lambda t: f"[[{t}]]", _TEXT),
    st.builds(lambda t: f"![[{t}|{t}]]", _TEXT),
    st.builds(lambda t: f"[{t}]({t}", _TEXT),
    st.builds(lambda t: f"[{t}](<{t}>)", _TEXT),
    st.builds(lambda t: f"- [ ] {t} 📅 2026-11-2", _TEXT),
    st.builds(lambda t, d: f"- [{t[:1] or ' '}] {t} 📅 {d} ⏳ {d} 🔁 every week ^id", _TEXT, _WORDS),
    st.builds(lambda t: f"- [ ] {t} [due:: 2026-02-30] (priority:: high)", _TEXT),
    st.builds(lambda t: f"#{t} #{t}/x", _TEXT),
    st.builds(lambda t: f"```{t}", _TEXT),
    st.builds(lambda t: f"%%{t}", _TEXT),
    st.builds(lambda t: f"> [!note] {t}", _TEXT),
    st.builds(lambda n: "[" * n + "x" + "]" * (n // 2), st.integers(0, 3000)),
)


@st.composite
def near_miss_notes(draw: st.DrawFn) -> str:
    yaml_lines = draw(st.lists(_YAML_LINE, max_size=8))
    body = draw(st.lists(_BODY_LINE, max_size=10))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (
        draw(_FENCES)
        + newline.join(yaml_lines)
        + ("\n" if yaml_lines else "")
        + draw(_CLOSERS)
        + newline.join(body)
    )


def _check_note(path: str, text: str, note: Note, diags: list[Diagnostic]) -> None:
    lines = text.count("\n") + 1
    assert note.path == path
    assert isinstance(note.meta, dict) and all(isinstance(k, str) for k in note.meta)
    for d in diags:
        assert d.path == path and d.severity in ("error", "warning") and d.message
        assert d.line is None or 1 <= d.line <= lines, (d, lines)
    for link in note.body.links:
        assert 1 <= link.line <= lines
    for key, line in note.key_lines.items():
        assert key in note.meta and 1 <= line <= lines
    json.dumps(note.meta)  # plain data only: no sets, bytes, dates or self-references reach templates


def _parse_all(path: str, data: bytes) -> tuple[Note | None, list[Diagnostic]]:
    text, diags = decode_note(path, data)
    if text is None:
        assert diags and all(d.severity == "error" for d in diags)
        return None, diags
    note, more = parse_note(path, text, size=len(data))
    _check_note(path, text, note, diags + more)
    return note, diags + more


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _parse_all("fuzz.md", data)


@FAST
@given(st.binary(max_size=300).map(lambda b: b"---\n" + b + b"\n---\nbody [[x]]\n"))
def test_arbitrary_bytes_as_frontmatter_never_raise(data: bytes) -> None:
    _parse_all("fuzz.md", data)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    assume("\x00" not in text)
    _parse_all("fuzz.md", text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@FAST
@given(note=near_miss_notes())
def test_near_miss_notes_never_raise_and_round_trip_through_the_cache(libyaml: bool, note: str) -> None:
    old = frontmatter.USE_LIBYAML
    frontmatter.USE_LIBYAML = libyaml and old
    try:
        data = note.encode("utf-8", "surrogatepass")
        parsed, diags = _parse_all("people/fuzz.md", data)
        if parsed is None:
            return
        again, diags_again = _parse_all("people/fuzz.md", data)
        assert (again, diags_again) == (parsed, diags)  # deterministic
        text = encode("people/fuzz.md", parsed, diags)
        if text is not None:  # what the cache stores comes back equal
            assert Decoder().decode("people/fuzz.md", parsed.size, parsed.mtime_ns, text) == (
                parsed,
                tuple(diags),
            )
    finally:
        frontmatter.USE_LIBYAML = old


@FAST
@given(note=near_miss_notes())
def test_both_yaml_parsers_read_the_same_properties(note: str) -> None:
    """Where libyaml and the pure-Python parser both accept a note, they agree on what it says."""
    if not frontmatter.USE_LIBYAML:
        pytest.skip("PyYAML is built without libyaml here")
    data = note.encode("utf-8")
    c_note, c_diags = _parse_all("x.md", data)  # the fast path for plain frontmatter, then libyaml
    frontmatter.USE_LIBYAML = frontmatter.USE_FASTYAML = False
    try:
        py_note, py_diags = _parse_all("x.md", data)
    finally:
        frontmatter.USE_LIBYAML = frontmatter.USE_FASTYAML = True
    assert (c_note is None) == (py_note is None)
    # They may disagree on what is an error: PyYAML's pure-Python scanner refuses a tab after `key:` that
    # libyaml accepts (`type: \t`). Where both accept, they must read the same thing.
    if c_note is not None and py_note is not None and not c_diags and not py_diags:
        assert c_note.meta == py_note.meta
        assert c_note.key_lines == py_note.key_lines


@settings(max_examples=60 * SCALE, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=500), near_miss_notes().map(lambda s: s.encode("utf-8", "surrogatepass"))
    )
)
def test_read_note_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "n.md").write_bytes(data)
        note, diags = read_note(root, "n.md", 5 * 1024 * 1024)
        if note is not None:
            _check_note("n.md", data.decode("utf-8"), note, diags)
        read_note(root, "gone.md", 100)  # a missing file is a diagnostic too
        small = read_note(root, "n.md", 10)
        assert len(data) <= 10 or small[0] is None


# --- generated vaults: cold, warm, touched, edited -------------------------------------------------------

_NAMES = ["Ann", "Bob Li", "Chloé", "محمد", "🦄 Uni", "Zoe\u200bZ", "Dee"]
_DATES = st.dates(dt.date(2025, 6, 1), dt.date(2026, 12, 31))


@st.composite
def small_vaults(draw: st.DrawFn) -> dict[str, str]:
    people = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=5, unique=True))
    files: dict[str, str] = {}
    for name in people:
        lines = ["---", "type: person"]
        if draw(st.booleans()):
            lines.append(f"cadence: {draw(st.sampled_from(['7d', '30d', 'monthly', 'quarterly', 'banana']))}")
        if draw(st.booleans()):
            lines.append(f"last_contact: {draw(_DATES)}")
        if draw(st.booleans()):
            lines.append(f"birthday: {draw(st.sampled_from(['', '--']))}{draw(_DATES):%m-%d}")
        if draw(st.booleans()):
            lines.append(f"milestones: [{{date: {draw(_DATES)}, what: promoted}}]")
        lines.append("---")
        if draw(st.booleans()):
            lines.append(f"- [ ] call back 📅 {draw(_DATES)}")
        files[f"people/{name}.md"] = "\n".join(lines) + "\n"
    for i in range(draw(st.integers(0, 6))):
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
        with_ = ", ".join(f'"[[{w}]]"' for w in who)
        text = f"---\ndate: {draw(_DATES)}\nwith: [{with_}]\n"
        if draw(st.booleans()):
            text += f"follow_up: {draw(_DATES)}\n"
        text += "---\n"
        if draw(st.booleans()):
            text += f"- [ ] send notes to [[{who[0]}]] 📅 {draw(_DATES)}\n"
        files[f"interactions/{i:02d} talk.md"] = text
    for i in range(draw(st.integers(0, 3))):
        files[f"daily/{draw(_DATES)}.md"] = f"Saw [[{draw(st.sampled_from(people))}]] {i}\n"
    for i in range(draw(st.integers(0, 2))):
        files[f"broken {i}.md"] = draw(near_miss_notes())
    return files


def _agenda(root: Path, *, use_cache: bool) -> tuple[str, list[tuple[str, int | None, str]]]:
    loaded = load_vault(root, use_cache=use_cache)
    data = agenda_json(loaded.vault, compute_agenda(loaded.vault, TODAY))
    return json.dumps(data, sort_keys=True, ensure_ascii=False), sorted(
        (d.path, d.line, d.code) for d in loaded.diagnostics
    )


@settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=small_vaults(), order=st.randoms(use_true_random=False), edit=st.booleans())
def test_same_agenda_cold_warm_touched_and_edited(
    files: dict[str, str], order: random.Random, edit: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        reference = _agenda(root, use_cache=False)
        assert not (root / ".vaultkit").exists()  # use_cache=False leaves .vaultkit/ alone
        assert _agenda(root, use_cache=True) == reference  # cold: fills the cache
        assert _agenda(root, use_cache=True) == reference  # warm: from the cache

        paths = sorted(files)
        order.shuffle(paths)
        base = 1_700_000_000
        for i, rel in enumerate(paths):  # whole seconds, shared ones too: the mtimes a bulk tool leaves
            stamp = (base + order.choice([0, i, 10 * i])) * 1_000_000_000
            os.utime(root / rel, ns=(stamp, stamp))
        assert _agenda(root, use_cache=True) == reference
        assert _agenda(root, use_cache=True) == reference

        if edit:  # same size, new content: must be seen (mtime moved by the write)
            rel = order.choice(paths)
            path = root / rel
            old = path.read_bytes()
            path.write_bytes(old.replace(b"2026", b"2025").replace(b"[ ]", b"[x]"))
            assert _agenda(root, use_cache=True) == _agenda(root, use_cache=False)
