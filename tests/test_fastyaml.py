"""The plain-frontmatter fast path reads exactly what the YAML event path reads, or declines (`None`).

Differential tests: generated near-plain frontmatter (and its mutations with quotes, colons, hashes,
brackets, indentation, tabs, odd line breaks, unicode, document markers) goes through `_fastyaml.load` and
`frontmatter._load`, with libyaml and with PyYAML's pure-Python parser; whenever the fast path answers, the
event path must give the same dict (value types and key order included) and key lines, and no problem.
Real vaults (../shared/corpora, example-vault/) must read the same with the fast path on and off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPORA
from vaultkit.read import _fastyaml, frontmatter
from vaultkit.read.frontmatter import read_frontmatter
from vaultkit.read.types import Frontmatter

EXAMPLE_VAULT = Path(__file__).resolve().parents[1] / "example-vault"
BACKENDS = [
    pytest.param(
        True, id="libyaml", marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="no libyaml")
    ),
    pytest.param(False, id="pure-python"),
]
FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    monkeypatch.setattr(frontmatter, "USE_LIBYAML", request.param)
    yield request.param


def typed(value: Any) -> Any:
    """A value with its types (and key order) spelled out, since `1 == 1.0 == True` in Python."""
    if isinstance(value, dict):
        return ("dict", [(type(k).__name__, k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, value)


def fast(yaml_text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    return _fastyaml.load(yaml_text, frontmatter._resolve_plain)


def assert_same_as_events(yaml_text: str) -> None:
    """If the fast path reads `yaml_text`, the event path reads the very same thing."""
    result = fast(yaml_text)
    if result is None:
        return
    try:
        data, key_lines = frontmatter._load(yaml_text)
    except frontmatter._Refusal as refusal:
        raise AssertionError(
            f"fast path read {result!r}, the event path refused: {refusal.problem}"
        ) from None
    assert typed(result[0]) == typed(data), yaml_text
    assert result[1] == key_lines, yaml_text


def typed_frontmatter(fm: Frontmatter) -> tuple[Any, ...]:
    return (typed(fm.data), fm.key_lines, fm.problems, fm.body_offset, fm.body_line)


def read_both_ways(text: str) -> tuple[Frontmatter, Frontmatter]:
    old = frontmatter.USE_FASTYAML
    try:
        frontmatter.USE_FASTYAML = True
        quick = read_frontmatter(text)
        frontmatter.USE_FASTYAML = False
        slow = read_frontmatter(text)
    finally:
        frontmatter.USE_FASTYAML = old
    assert typed_frontmatter(quick) == typed_frontmatter(slow), text
    return quick, slow


_CLEAN_KEYS = ["type", "date", "with", "tags", "follow_up", "a b", "x.y", "follow-up", "1", "012", "true"]
_CLEAN_KEYS += ["null", "yes", "é", "名前", "a -", "k", "aliases", "cadence", "_x", "a1"]
_ODD_KEYS = ["a ", " a", "a:b", "?a", "-a", "'q'", '"q"', "[a]", "&a k", "!t k", "a#b", "a #b", "...", "---"]
_ODD_KEYS += ["<<", "", "~", "a\u00a0", "-", "- a", "%k", "@k", "a\tb", "🦄", "a\\b", "k"]
# plain scalars the fast path may well read (every one of them typed by `_resolve_plain`)...
_CLEAN = ["Ann", "Bob Li", "2026-03-14", "2026-11-20T10:00:00+01:00", "yes", "NO", "off", "10:30", "012"]
_CLEAN += ["1.5", "1.10", "-3", "0", "-0", "~", "null", "Null", "true", "FALSE", "--10-25", "https://x.com/a"]
_CLEAN += ["C#", "a:b", "-a", "x]", "a,b", "it's", 'say "hi"', "1e3", "+49 1", "0x1F", ".5", "café", "🦄"]
_CLEAN += ["a\u00a0b", "\u00a0", "a  b", "9" * 30, "a}", "a?b", "Ω", "\u200b", "a --- b", "1_000", ".inf"]
_CLEAN += ["-.inf", "NaN", "e\u0301", "a\\b", "[[Ann]] x", "a&b", "a!", "a'", 'a"', "1.", "-1.5", "00"]
# ...and ones YAML reads another way, or refuses
_ODD = ["a #b", "a: b", "a:", "-", "- a", "?x", ":x", "[[Ann]]", "{a}", "a, b", "&x", "*x", "!x", "|", ">"]
_ODD += [
    "%x",
    "@x",
    "`x",
    "#x",
    "---",
    "...",
    "''",
    '""',
    "a :",
    "? x",
    ": x",
    "]",
    ",",
    "}",
    "-[a]",
    "!!str",
]
_ODD_QUOTED = ['"a\\"b"', '"a\\nb"', '"a\\\\b"', "'a''b'", "'a'b'", '"open', "'open", '""', "''", '"a" b']
_ODD_QUOTED += ["'a' #c", '"a"#c', '"a":', "'a': b", '"a"  ', "'''", '"a""b"', "'a'''", '"a\'"', "'a\"'"]
_ODD_FLOW = ["[]", "[ ]", "[a,]", "[a,,b]", "[[a]]", "[a, [b]]", "[a: b]", "{a: b}", "[a", "[a] b", "[a] #c"]
_ODD_FLOW += ["[a]#c", "[-]", "[-1, - a]", "[a?b]", "[a:b]", "[a #b]", "[ , ]", "[?]", "[a, 'b'c]", "[a]]"]


def _grammar(clean: bool) -> dict[str, st.SearchStrategy[str]]:
    """Strategies for one example: only the plain subset when `clean`, much else besides otherwise."""

    def pick(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
        return st.sampled_from(good) if clean else st.sampled_from(good) | st.sampled_from(bad)

    plain = pick(_CLEAN, _ODD)
    quoted = (
        plain.map(lambda w: '"' + w.replace('"', "").replace("\\", "") + '"')
        | plain.map(lambda w: "'" + w.replace("'", "''") + "'")
        | pick(['""', "''", "'a''b'", "'a #b: c'", '"x: y #z"'], _ODD_QUOTED)
    )
    scalar = plain | plain | quoted
    flow = st.lists(scalar, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    flow |= st.lists(scalar, max_size=3).map(lambda items: "[ " + " ,".join(items) + " ]")
    if not clean:
        flow |= st.sampled_from(_ODD_FLOW)
    return {
        "key": pick(_CLEAN_KEYS, _ODD_KEYS),
        "sep": pick([": ", ": ", ":  "], [":", " : ", ":\t", ": \t"]),
        "scalar": scalar,
        "flow": flow,
        "comment": pick(["", "", "", " # note", "  #c", " #", " # a: b", "  "], ["#c", "\t#c", "\t"]),
        "head": pick(["", "", " ", " # c", "  "], ["#c", "\t", " |", " &a"]),
        "indent": pick(["", "  ", "  ", "    ", " "], ["\t", " \t"]),
        "dash": pick(["- ", "- ", "-  "], ["-", "- - ", "-\t", "? "]),
        "extra": pick(
            ["", "  ", "# comment", "  # indented"], ["...", "---", "--- a", "- x", "  more", "%YAML"]
        ),
    }


_NASTY = [*":#'\"[]{},-?&*!|>%@` \t\r.~\\\x85\u2028\u2029\ufeff\u00a0\x00\x7f"]
_NASTY += ["---", "...", "\n", "\n  ", "\n- ", ": ", " #", "é", "\ud800", "\r\n", "\n---\n", "\n...\n"]


@st.composite
def near_plain_yaml(draw: st.DrawFn) -> str:
    """Frontmatter YAML: the plain subset, or (half the time) with odd pieces and random mutations."""
    clean = draw(st.booleans())
    g = _grammar(clean)
    lines: list[str] = []
    for number in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["scalar", "scalar", "flow", "empty", "list", "extra"]))
        if kind == "extra":
            lines.append(draw(g["extra"]))
            continue
        key = draw(g["key"])
        if clean and draw(st.integers(0, 9)):  # mostly no duplicate keys
            key += str(number)
        if kind in ("scalar", "flow"):
            lines.append(key + draw(g["sep"]) + draw(g[kind]) + draw(g["comment"]))
            continue
        lines.append(key + ":" + draw(g["head"]))
        indent = draw(g["indent"])
        for _ in range(draw(st.integers(0, 4)) if kind == "list" else 0):
            if not clean and draw(st.integers(0, 5)) == 0:
                indent = draw(g["indent"])  # a misaligned item
            value = draw(g["scalar"] if clean or draw(st.booleans()) else g["flow"])
            lines.append(indent + draw(g["dash"]) + value + draw(g["comment"]))
    text = "\n".join(lines) + "\n"
    for _ in range(0 if clean else draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_NASTY)) + text[at:]
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text


# --- differential properties -----------------------------------------------------------------------------


@FUZZ
@given(yaml_text=near_plain_yaml())
def test_fast_path_reads_what_the_events_read(backend: bool, yaml_text: str) -> None:
    assert_same_as_events(yaml_text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_text=st.text(alphabet=st.sampled_from([*"ab1 -:[]#'\",\n", "é", "\r"]), max_size=40))
def test_fast_path_on_yamlish_text(backend: bool, yaml_text: str) -> None:
    assert_same_as_events(yaml_text)


@FUZZ
@given(
    bom=st.sampled_from(["", "\ufeff"]),
    opening=st.sampled_from(["---\n", "---\r\n"]),
    yaml_text=near_plain_yaml(),
    closing=st.sampled_from(["---\n", "---\r\n", "---", "", "...\n"]),
    body=st.text(max_size=20),
)
def test_read_frontmatter_same_with_and_without_the_fast_path(
    backend: bool, bom: str, opening: str, yaml_text: str, closing: str, body: str
) -> None:
    read_both_ways(bom + opening + yaml_text + closing + body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(), st.text().map(lambda t: "---\n" + t + "\n---\n")))
def test_read_frontmatter_same_for_any_text(backend: bool, text: str) -> None:
    read_both_ways(text)


def test_the_grammar_reaches_the_fast_path() -> None:
    """The generator is worth something only if the fast path accepts a fair share of what it makes."""
    accepted = 0

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(yaml_text=near_plain_yaml())
    def count(yaml_text: str) -> None:
        nonlocal accepted
        accepted += fast(yaml_text) is not None

    count()
    assert accepted >= 100


# --- real vaults -----------------------------------------------------------------------------------------


def _markdown_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.is_file())


@pytest.mark.parametrize(
    "root",
    [
        pytest.param(EXAMPLE_VAULT, id="example-vault"),
        pytest.param(
            CORPORA,
            id="corpora",
            marks=pytest.mark.skipif(
                not CORPORA.is_dir(), reason="../shared/corpora is not beside the checkout"
            ),
        ),
    ],
)
def test_real_vaults_read_the_same(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[bool] = []
    real_load = _fastyaml.load

    def spy(yaml_text: str, resolve: Any) -> Any:
        result = real_load(yaml_text, resolve)
        answers.append(result is not None)
        return result

    monkeypatch.setattr(_fastyaml, "load", spy)
    files = _markdown_files(root)
    assert files
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        read_both_ways(text)
    assert answers
    if root == EXAMPLE_VAULT:
        assert sum(answers) / len(answers) > 0.5, f"fast path took {sum(answers)} of {len(answers)}"


# --- examples --------------------------------------------------------------------------------------------

ACCEPTED = [
    ("type: person\n", {"type": "person"}, {"type": 2}),
    (
        'type: interaction\ndate: 2026-03-14\nwith: ["[[Ada Lovelace]]", "[[Bob Smith]]"]\nkind: call\n'
        "tags: [mentoring, ai]\nfollow_up: 2026-04-01\n",
        {
            "type": "interaction",
            "date": "2026-03-14",
            "with": ["[[Ada Lovelace]]", "[[Bob Smith]]"],
            "kind": "call",
            "tags": ["mentoring", "ai"],
            "follow_up": "2026-04-01",
        },
        {"type": 2, "date": 3, "with": 4, "kind": 5, "tags": 6, "follow_up": 7},
    ),
    (
        'offers:\n  - intros to investors\n  - "code review"\n\n  # later\nneeds:\n- a\n- 2\nnone:\nx: 1\n',
        {"offers": ["intros to investors", "code review"], "needs": ["a", 2], "none": None, "x": 1},
        {"offers": 2, "needs": 7, "none": 10, "x": 11},
    ),
    (
        "n: 42\nf: -0.25\nv: 1.10\nz: 012\nt: true\nno: NO\nnul: ~\nempty:   \nc: C# rocks  # comment\n",
        {"n": 42, "f": -0.25, "v": 1.1, "z": "012", "t": True, "no": "NO", "nul": None, "empty": None}
        | {"c": "C# rocks"},
        {"n": 2, "f": 3, "v": 4, "z": 5, "t": 6, "no": 7, "nul": 8, "empty": 9, "c": 10},
    ),
    (
        "q: 'it''s: #fine'\nd: \"a: b # c\"\nl: []\nm: [ -1 , 'x' ,\"y\" ]  # c\nu: Ünïcödé 🦄\n",
        {"q": "it's: #fine", "d": "a: b # c", "l": [], "m": [-1, "x", "y"], "u": "Ünïcödé 🦄"},
        {"q": 2, "d": 3, "l": 4, "m": 5, "u": 6},
    ),
    (
        "b: --10-25\nurl: https://example.com/a?b=c#d\nt: 2026-11-20T10:00:00+01:00\n",
        {"b": "--10-25", "url": "https://example.com/a?b=c#d", "t": "2026-11-20T10:00:00+01:00"},
        {"b": 2, "url": 3, "t": 4},
    ),
    (  # the shortcuts for plain-only and quoted-only flow lists, and the general case
        'a: ["x, y"]\nb: ["x", "", "y"]\nc: ["x", y"z", "w"]\nd: [ "x","y" ]\ne: [  a  ,b c,  -1]\nf: [ ]\n',
        {"a": ["x, y"], "b": ["x", "", "y"], "c": ["x", 'y"z"', "w"], "d": ["x", "y"], "e": ["a", "b c", -1]}
        | {"f": []},
        {"a": 2, "b": 3, "c": 4, "d": 5, "e": 6, "f": 7},
    ),
    (
        "ключ: значение\na  b: c\nx.y-z: 1\n" + "k" * 128 + ": v\n",
        {"ключ": "значение", "a  b": "c", "x.y-z": 1, "k" * 128: "v"},
        {"ключ": 2, "a  b": 3, "x.y-z": 4, "k" * 128: 5},
    ),
    ("a: 1\r\nb: [x]\r\n", {"a": 1, "b": ["x"]}, {"a": 2, "b": 3}),
    ("# only a comment\n\n", {}, {}),
]


@pytest.mark.parametrize(("yaml_text", "data", "key_lines"), ACCEPTED)
def test_accepted_examples(
    backend: bool, yaml_text: str, data: dict[str, Any], key_lines: dict[str, int]
) -> None:
    result = fast(yaml_text)
    assert result is not None, yaml_text
    assert typed(result[0]) == typed(data)
    assert result[1] == key_lines
    assert_same_as_events(yaml_text)


REFUSED = [
    "title: Assignment 1: Some Title\n",  # `: ` inside a plain scalar: YAML refuses it
    "a: b:\n",
    "a: x\na: y\n",  # duplicate key: the event path reports it
    "a: b\n  continued\n",  # multi-line plain scalar
    "a:\n  b: 1\n",  # nested mapping
    "a:\n  - x\n   - y\n",  # items at different indentation
    "a:\n  - x\n- y\n",
    "a:\n  -\n",  # null item
    "a:\n  - - x\n",  # nested list
    "a:\n  - [x]\n",
    "a: [[Ann]]\n",  # a nested list, not a link
    "a: [x, [y]]\n",
    "a: [x,]\n",
    "a: [x\n",
    "a: [b: c]\n",
    "a: [http://x]\n",
    "a: [C#]\n",
    "a: {b: c}\n",
    "a: &x 1\n",
    "b: *x\n",
    "c: !!str 1\n",
    "d: |\n  text\n",
    "e: >\n  text\n",
    'f: "a\\nb"\n',  # escapes
    'g: "open\n  close"\n',
    "h: 'a' b\n",
    'i: "a"#c\n',
    "j: - x\n",
    "k: ?x\n",
    "l: :x\n",
    "m: @x\n",
    "n: `x\n",
    "o: %x\n",
    "p:\tx\n",  # tabs
    "q: x\ty\n",
    "a :x\n",
    "a : x\n",  # space before the colon
    "'quoted': key\n",
    "a:b: c\n",
    "? a\n: b\n",
    "- a\n- b\n",  # a top-level list
    "just words\n",
    "  a: 1\n",  # an indented top level
    "a: 1\n...\nb: 2\n",
    "a: 1\n--- \nb: 2\n",
    "a: 1\rb: 2\n",  # lone CR
    "a: 1\u2028b: 2\n",
    "a: 1\x85\n",
    "\ufeffa: 1\n",
    "a: x\x00\n",
    "a: \ud800\n",
    "<<: {x: 1}\n",
    "k" * 129 + ": v\n",  # an over-long key
    "\xa0a: b\n",
    'a: ["x", "y, "z"]\n',
    'a: ["x", "y" "z"]\n',
    'a: ["x", "y", ]\n',
]


@pytest.mark.parametrize("yaml_text", REFUSED)
def test_refused_examples(backend: bool, yaml_text: str) -> None:
    assert fast(yaml_text) is None
    read_both_ways("---\n" + yaml_text + "---\nBody\n")


def test_switch_forces_the_event_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(yaml_text: str, resolve: Any) -> None:
        raise AssertionError("fast path used")

    monkeypatch.setattr(_fastyaml, "load", refuse)
    monkeypatch.setattr(frontmatter, "USE_FASTYAML", False)
    assert read_frontmatter("---\na: 1\n---\n").data == {"a": 1}
