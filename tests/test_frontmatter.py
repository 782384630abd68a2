"""read_frontmatter: Obsidian's fences, YAML 1.2-core-like typing and refusals.

Rules from obsidian-format.md §2 and reliability.md §1, §2 and §9.

Every test runs three times: through the fast path for plain frontmatter (`_fastyaml`, then libyaml), with
libyaml's parser alone, and with PyYAML's pure-Python one (`frontmatter.USE_FASTYAML`, `frontmatter.USE_LIBYAML`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.read import frontmatter
from vaultkit.read.frontmatter import read_frontmatter
from vaultkit.read.types import Frontmatter, Problem

NO_LIBYAML = pytest.mark.skipif(not yaml.__with_libyaml__, reason="no libyaml")
BACKENDS = [  # (fast path first, libyaml)
    pytest.param((True, True), id="fast+libyaml", marks=NO_LIBYAML),
    pytest.param((False, True), id="libyaml", marks=NO_LIBYAML),
    pytest.param((False, False), id="pure-python"),
]
CODES = {
    "unclosed-frontmatter",
    "yaml-alias",
    "yaml-tag",
    "duplicate-key",
    "yaml-too-deep",
    "frontmatter-not-mapping",
    "yaml-syntax",
}


@pytest.fixture(autouse=True, params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    fast, libyaml = request.param
    monkeypatch.setattr(frontmatter, "USE_FASTYAML", fast)
    monkeypatch.setattr(frontmatter, "USE_LIBYAML", libyaml)
    yield libyaml


def body(text: str, fm: Frontmatter) -> str:
    return text[fm.body_offset :]


def only_problem(fm: Frontmatter) -> Problem:
    assert fm.data is None
    assert len(fm.problems) == 1, fm.problems
    assert fm.problems[0].severity == "error"
    return fm.problems[0]


def test_frontmatter_only_at_byte_zero() -> None:
    for text in (
        "\n---\ntitle: x\n---\n",
        " ---\ntitle: x\n---\n",
        "---  \ntitle: x\n---\n",
        "text\n---\na: 1\n---\n",
    ):
        fm = read_frontmatter(text)
        assert fm == Frontmatter(None), text
    for text in ("___\na: 1\n___\n", "***\na: 1\n***\n", "----\na: 1\n----\n", "---", ""):
        assert read_frontmatter(text) == Frontmatter(None), text
    fm = read_frontmatter("---\ntitle: x\n---\nBody\n---\nmore: 1\n")
    assert fm.data == {"title": "x"}
    assert fm.body_offset == 17 and fm.body_line == 4


def test_bom_and_crlf_are_fine() -> None:
    text = "\ufeff---\r\ntitle: Jane\r\ntags: [a, b]\r\n---\r\nBody\r\n"
    fm = read_frontmatter(text)
    assert fm.data == {"title": "Jane", "tags": ["a", "b"]}
    assert fm.key_lines == {"title": 2, "tags": 3}
    assert body(text, fm) == "Body\r\n" and fm.body_line == 5
    assert not fm.problems
    plain = "\ufeffjust a body"
    assert read_frontmatter(plain) == Frontmatter(None, body_offset=1, body_line=1)
    fenced_crlf_close = "---\ntitle: x\n---\r\nBody"
    fm = read_frontmatter(fenced_crlf_close)
    assert fm.data == {"title": "x"} and body(fenced_crlf_close, fm) == "Body"


def test_dates_stay_strings() -> None:
    fm = read_frontmatter("---\nd: 2026-11-20\nt: 2026-11-20T10:00:00+01:00\ns: 2026-11-20 10:00\n---\n")
    assert fm.data == {"d": "2026-11-20", "t": "2026-11-20T10:00:00+01:00", "s": "2026-11-20 10:00"}


def test_libyaml_backend_is_really_used(backend: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(stream: str) -> None:
        raise AssertionError("pure-Python parser used")

    if backend:
        monkeypatch.setattr(frontmatter, "_PyEventParser", refuse)
    assert read_frontmatter("---\nd: 2026-11-20\n---\n").data == {"d": "2026-11-20"}


def test_norway_values_stay_strings() -> None:
    text = (
        "---\ncountry: NO\nok: Yes\nlight: off\nv: y\ncall: 10:30\nzip: 012345\nhex: 0x1F\nsci: 1e3\n"
        "phone: +4915112345678\nversion: 1.10\nn: -3\nm: 42\nf: -0.25\ng: 1.5\nt: true\nT: FALSE\n"
        "nothing: ~\nnone:\nnul: NULL\nquoted: 'true'\nblock: |\n  42\n---\n"
    )
    assert read_frontmatter(text).data == {
        "country": "NO",
        "ok": "Yes",
        "light": "off",
        "v": "y",
        "call": "10:30",
        "zip": "012345",
        "hex": "0x1F",
        "sci": "1e3",
        "phone": "+4915112345678",
        "version": 1.1,  # YAML 1.2 core (and Obsidian) read this as a number too
        "n": -3,
        "m": 42,
        "f": -0.25,
        "g": 1.5,
        "t": True,
        "T": False,
        "nothing": None,
        "none": None,
        "nul": None,
        "quoted": "true",
        "block": "42\n",
    }


def test_core_tags_are_allowed_and_merge_keys_are_plain() -> None:
    fm = read_frontmatter("---\na: !!str 12\nb: !!int '7'\nc: ! 3\n<<: {x: 1}\n---\n")
    assert fm.data == {"a": "12", "b": 7, "c": "3", "<<": {"x": 1}}


def test_billion_laughs_rejected_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    fm = read_frontmatter("---\n" + "\n".join(lines) + "\n---\nBody")
    assert only_problem(fm).code == "yaml-alias"
    assert only_problem(fm).line == 2


def test_self_alias_rejected() -> None:
    fm = read_frontmatter("---\ntitle: x\na: &a [*a]\n---\n")
    problem = only_problem(fm)
    assert (problem.code, problem.line) == ("yaml-alias", 3)
    assert "&a" in problem.message
    assert only_problem(read_frontmatter("---\na: 1\nb: *a\n---\n")).code == "yaml-alias"


def test_python_tag_rejected_and_not_executed(tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    fm = read_frontmatter(f'---\ntitle: x\nx: !!python/object/apply:os.system ["touch {pwned}"]\n---\n')
    problem = only_problem(fm)
    assert problem == Problem(
        3, "error", "yaml-tag", "unsupported YAML tag '!!python/object/apply:os.system'"
    )
    assert not pwned.exists()


def test_binary_and_set_tags_rejected() -> None:
    for text, tag in [
        ("---\nx: !!binary aGk=\n---\n", "!!binary"),
        ("---\ny: !!set {a}\n---\n", "!!set"),
        ("---\nz: !!omap [a: 1]\n---\n", "!!omap"),
        ("---\nw: !custom 1\n---\n", "!custom"),
        ("---\nv: !!timestamp 2026-11-20\n---\n", "!!timestamp"),
    ]:
        problem = only_problem(read_frontmatter(text))
        assert (problem.code, problem.line, problem.message) == (
            "yaml-tag",
            2,
            f"unsupported YAML tag '{tag}'",
        )
    assert only_problem(read_frontmatter("---\nn: !!int abc\n---\n")).code == "yaml-tag"


def test_duplicate_key_names_both_lines() -> None:
    text = "---\nemail: a@x\nname: Jane\nemail: b@y\n---\nBody"
    fm = read_frontmatter(text)
    assert only_problem(fm) == Problem(4, "error", "duplicate-key", "duplicate key 'email' (first on line 2)")
    assert body(text, fm) == "Body"
    nested = only_problem(read_frontmatter("---\na:\n  b: 1\n  b: 2\n---\n"))
    assert (nested.code, nested.line) == ("duplicate-key", 4)
    assert "first on line 3" in nested.message
    assert only_problem(read_frontmatter("---\n1: a\n'1': b\n---\n")).code == "duplicate-key"


def test_deep_nesting_rejected() -> None:
    text = "---\na: " + "[" * 20_000 + "\n---\nBody"
    fm = read_frontmatter(text)
    assert (only_problem(fm).code, only_problem(fm).line) == ("yaml-too-deep", 2)
    assert body(text, fm) == "Body"
    block = "---\n" + "".join(" " * i + "a:\n" for i in range(40)) + "---\n"
    assert only_problem(read_frontmatter(block)).code == "yaml-too-deep"
    limit = frontmatter.MAX_DEPTH - 1  # the top-level mapping is level 1
    assert read_frontmatter("---\na: " + "[" * limit + "]" * limit + "\n---\n").data is not None
    assert read_frontmatter("---\na: " + "[" * (limit + 1) + "]" * (limit + 1) + "\n---\n").data is None


def test_list_top_level_rejected() -> None:
    text = "---\n- a\n- b\n---\nBody"
    fm = read_frontmatter(text)
    assert only_problem(fm) == Problem(
        2, "error", "frontmatter-not-mapping", "frontmatter must be a mapping of properties, not a list"
    )
    assert body(text, fm) == "Body"
    assert only_problem(read_frontmatter("---\njust words\n---\n")).code == "frontmatter-not-mapping"


def test_unclosed_fence_is_error_and_body_read() -> None:
    for text, offset in (("---\ntitle: x\n\nBody", 0), ("\ufeff---\r\ntitle: x\r\n...\r\n", 1), ("---\n", 0)):
        fm = read_frontmatter(text)
        assert fm.problems == (
            Problem(1, "error", "unclosed-frontmatter", "frontmatter opened on line 1 is never closed"),
        )
        assert (fm.data, fm.key_lines, fm.body_offset, fm.body_line) == (None, {}, offset, 1)


def test_yaml_syntax_error_has_line_and_hint() -> None:
    text = "---\ntype: person\ntitle: Assignment 1: Some Title\n---\nBody"
    fm = read_frontmatter(text)
    problem = only_problem(fm)
    assert (problem.code, problem.line) == ("yaml-syntax", 3)
    assert "column 20" in problem.message and "mapping values are not allowed" in problem.message
    assert "quote the value" in problem.message
    assert body(text, fm) == "Body"
    tabs = only_problem(read_frontmatter("---\nlist:\n\t- a\n---\n"))
    assert (tabs.code, tabs.line) == ("yaml-syntax", 3) and "tabs" in tabs.message
    nul = only_problem(read_frontmatter("---\na: 1\nb: x\x00y\n---\n"))
    assert (nul.code, nul.line) == ("yaml-syntax", 3) and "U+0000" in nul.message
    surrogate = only_problem(read_frontmatter("---\na: \ud800\n---\n"))
    assert (surrogate.code, surrogate.line) == ("yaml-syntax", 2)
    crlf = only_problem(read_frontmatter("---\r\na: 1\r\nb: [x\r\n---\r\n"))
    assert crlf.code == "yaml-syntax"


def test_non_string_keys() -> None:
    fm = read_frontmatter(
        "---\n1: a\ntrue: b\nnull: c\n~: d\n2026-01-01: e\nyes: f\n1.5: g\n[x, y]: h\n---\n"
    )
    assert fm.data == {
        "1": "a",
        "true": "b",
        "null": "c",
        "~": "d",
        "2026-01-01": "e",
        "yes": "f",
        "1.5": "g",
        "['x', 'y']": "h",
    }
    assert read_frontmatter("---\ncontent: x\nhandler: y\n---\n").data == {"content": "x", "handler": "y"}
    assert read_frontmatter("---\nouter: {1: a, false: b}\n---\n").data == {"outer": {"1": "a", "false": "b"}}


def test_key_lines() -> None:
    text = (
        "---\n# comment\ntype: person\n\naliases:\n  - Jane\n  - J. Doe\n"
        "mentorship:\n  since: 2026-01-10\nrole: VP\n---\n"
    )
    fm = read_frontmatter(text)
    assert fm.key_lines == {"type": 3, "aliases": 5, "mentorship": 8, "role": 10}
    assert list(fm.data or {}) == ["type", "aliases", "mentorship", "role"]
    # YAML sees a line break at a lone CR; we (and the rest of vaultkit) count lines by LF
    odd_breaks = read_frontmatter("---\na: 1\rb: 2\nc: 3\n---\n")
    assert odd_breaks.key_lines == {"a": 2, "b": 2, "c": 3}


def test_dots_do_not_close() -> None:
    text = "---\ntitle: x\n...\nBody"
    fm = read_frontmatter(text)
    assert fm.problems[0].code == "unclosed-frontmatter" and fm.body_offset == 0
    text = "---\ntitle: x\n...\n---\nBody"
    fm = read_frontmatter(text)
    assert fm.data == {"title": "x"} and body(text, fm) == "Body"
    text = "---\na: 1\n...\nb: 2\n---\nBody"  # a second YAML document inside the fences
    fm = read_frontmatter(text)
    assert only_problem(fm).code == "yaml-syntax" and body(text, fm) == "Body"


def test_empty_block() -> None:
    for text, line in (
        ("---\n---\nBody", 3),
        ("---\r\n---\r\nBody", 3),
        ("---\n\n# only a comment\n---\nBody", 5),
    ):
        fm = read_frontmatter(text)
        assert fm == Frontmatter({}, {}, (), len(text) - 4, line), text
    assert read_frontmatter("---\n---") == Frontmatter({}, body_offset=7, body_line=2)
    assert read_frontmatter("---\nnull\n---\n").data == {}


def test_hr_first_line_thematic_break() -> None:
    # `Some [text` is valid YAML (a plain string), so this is a scalar top level, not a syntax error.
    text = "---\nSome [text\n---\nBody"
    fm = read_frontmatter(text)
    assert (only_problem(fm).code, only_problem(fm).line) == ("frontmatter-not-mapping", 2)
    assert body(text, fm) == "Body" and fm.body_line == 4
    text = "---\n[link] and more text\n---\nBody"
    fm = read_frontmatter(text)
    assert (only_problem(fm).code, only_problem(fm).line) == ("yaml-syntax", 2)
    assert body(text, fm) == "Body"


def check_invariants(text: str, fm: Frontmatter) -> None:
    assert 0 <= fm.body_offset <= len(text)
    assert fm.body_line == text.count("\n", 0, fm.body_offset) + 1
    assert all(p.code in CODES and p.severity == "error" and (p.line or 1) >= 1 for p in fm.problems)
    if fm.data is not None:
        assert not fm.problems and set(fm.key_lines) == set(fm.data)
        assert all(isinstance(key, str) for key in fm.data)
    else:
        assert fm.key_lines == {}
    if not fm.problems and fm.data is None:
        assert fm.body_offset == (1 if text.startswith("\ufeff") else 0)


YAML_CHARS = list("ab1-:[]{},'\"&*!#|>? \t\n\r.~%@`\\\x00\u2028\ufeff")
YAMLISH = st.text(alphabet=st.sampled_from(YAML_CHARS), max_size=60)
HEALTH = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300, deadline=None
)


@HEALTH
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    check_invariants(text, read_frontmatter(text))


@HEALTH
@given(st.sampled_from(["", "\ufeff"]), st.sampled_from(["\n", "\r\n"]), YAMLISH, st.booleans(), YAMLISH)
def test_any_frontmatter_never_raises(bom: str, newline: str, inner: str, closed: bool, rest: str) -> None:
    text = f"{bom}---{newline}{inner}{newline}" + (f"---{newline}" if closed else "") + rest
    check_invariants(text, read_frontmatter(text))
