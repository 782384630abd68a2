"""The optimised `parse_body` gives exactly what the earlier, plainer version gives, on every input.

tests/reference_markdown.py (with tests/reference_mdscan.py) is a frozen copy of the implementation before
it was optimised for speed; it is the oracle here. Inputs: generated Markdown-ish text built from the
pieces the parser cares about (hypothesis, plus a larger seeded random run), every note of the shared
corpora (read in place, skipped when they are not beside the checkout) and of the repo's example vault.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference_markdown
from tests.conftest import CORPORA
from vaultkit.read._mdfast import new_body, new_link, new_note, new_tag, new_task, with_summary
from vaultkit.read.markdown import parse_body
from vaultkit.read.types import Body, Note, RawLink, RawTag, RawTask

SCALE = int(os.environ.get("VAULTKIT_FUZZ_SCALE", "1"))  # e.g. 50 for a long run by hand
EXAMPLE_VAULT = Path(__file__).resolve().parents[1] / "example-vault"

# Pieces of Markdown the parser reacts to; generated bodies are random sequences of them and of characters.
PIECES = [
    *("[[", "]]", "![[", "[", "]", "](", "(", ")", "|", "\\|", "\\", "!", "#", "##", "# ", "^", ":", "::"),
    *("[[Jane Doe]]", "[[a#b|c]]", "![[img.png|100]]", "[[#Heading]]", "[[#^block]]", "[[ | x]]", "[[|#t]]"),
    *("[[a\\|b]]", "\\[[esc]]", "\\\\[[not esc]]", "[[x [y] z]]", "[[] x]]", "[[a]]#t", "[[b #c]]"),
    *("[t](Note.md)", "[t](<My Note.md>)", "[t](a%20b.md#H%20x)", "![i](p.png)", "[![i](p.png)](q.md)"),
    *("[t](https://x.com/#f)", "[t](//h/#a)", "[t](mailto:a@b)", "[t](a\\_b.md)", '[t](n.md "title")'),
    *("[t](a(b).md)", "[[x]](y.md)", "[a [b] c](d.md)", "[t](#h #tag)", "[ #in ](n.md)"),
    *("#tag", "#a/b", "#123", "#1984x", "#x_y-z", "#café", "#日本", "#🙂", "#a.b", "#a'b", "#\u2001x"),
    *("\ufeff#bom", "http://a.b/#frag", "a#b", "(#p)", " #", "#\n", "\t#tab"),
    *("`", "``", "```", "````", "~~~", "~~", "`#code`", "``a`b``", "```\n#x [[y]]\n```\n", "~~~py\n"),
    *("%%", "%%#hid [[h]]%%", "<!--", "-->", "<!-- [[c]] #c -->", "$", "$$", "$#m$", "$$\n#x\n$$"),
    *("\n", "\n", "\n", "\r\n", "\r", "\t", "    ", " ", "  ", "> ", "> > ", "> [!note] ", ">"),
    *("- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "- [x] ", "* [-] ", "1. [>] ", "- [/] ", "-\t[ ]\t", "- [ ]"),
    *("- [[x]] ", "- [] ", "- [ab] ", "> - [ ] ", "    - [X] ", "\t- [?] ", "- [\t] ", "- [#] ", "- [[] "),
    *(
        " 📅 2024-01-01",
        " ✅ 2024-02-30",
        " ⏳ 2024-13-01",
        " 🛫 2024-05-05",
        " ➕ 2023-01-01",
        " ❌ 2024-01-02",
    ),
    *(
        " 📆 2024-01-01",
        " 🗓 2024-01-01",
        " ⌛ 2024-01-01",
        " 📅\ufe0f 2024-01-01",
        " 🔁 every week",
        " 🔁 daily",
    ),
    *(" 🔺", " ⏫", " 🔼", " 🔽", " ⏬", " 🏁 keep", " 🆔 abc1", " ⛔ a1, b2", " ^block-1", " ^x"),
    *(" [due:: 2024-01-01]", " (scheduled:: 2024-02-02)", " [completion:: 2024-01-01]", ", "),
    *(
        " [priority:: high]",
        " (priority:: lowest)",
        " [repeat:: every day]",
        " [id:: x]",
        " [due:: 2024-1-1)",
    ),
    *(
        " [onCompletion:: delete]",
        " [dependsOn:: a, b]",
        " [cancelled:: 2024-02-31]",
        " [created:: 2024-01-01]",
    ),
    *("Jane", "é", "日本語", "🙂", "\u00a0", "\u2003", "\u3000", "\x0b", "\x0c", "\x85", "\u2028", "\ud800"),
]
CHARS = "[]()#!|\\`~%<>-*+.:^$ \t\n\rax09_/é📅✅🔁\ufeff\u2000"

pieces = st.one_of(st.sampled_from(PIECES), st.text(alphabet=CHARS, max_size=4), st.text(max_size=3))


def check(text: str, first_line: int = 1) -> None:
    got = parse_body(text, first_line)
    want = reference_markdown.parse_body(text, first_line)
    assert got == want, f"differs on {text!r}"
    assert all(type(x) is RawLink for x in got.links)
    assert all(type(x) is RawTag for x in got.tags)
    assert all(type(x) is RawTask for x in got.tasks)
    for task in got.tasks:
        assert all(type(x) is RawLink for x in task.links)


@settings(max_examples=1000 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=40), st.integers(min_value=1, max_value=50))
def test_same_as_reference_on_generated_markdown(parts: list[str], first_line: int) -> None:
    check("".join(parts), first_line)


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=CHARS, max_size=80))
def test_same_as_reference_on_dense_syntax(text: str) -> None:
    check(text)


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.text(max_size=60))
def test_same_as_reference_on_any_text(text: str) -> None:
    check(text)


def test_same_as_reference_on_many_seeded_random_bodies() -> None:
    rng = random.Random(20261126)
    for _ in range(4000 * SCALE):
        parts = rng.choices(PIECES, k=rng.randint(0, 60))
        if rng.random() < 0.3:
            parts += rng.choices(CHARS, k=rng.randint(0, 20))
            rng.shuffle(parts)
        check("".join(parts), rng.randint(1, 9))


def test_same_as_reference_on_long_lines_and_deep_leads() -> None:
    """The 256-character reach of the list-marker check, and long lines of links and tags."""
    for width in (250, 253, 254, 255, 256, 257, 300):
        for lead in (" " * width, ">" * width, " " * (width - 2) + "- ", "- " + " " * width):
            check(lead + "[ ] task [[x]] #t")
            check("intro\n" + lead + "[x] task")
            check("[[a]]\n" * 3 + lead + "[x] done ✅ 2024-01-01")
    check("[[a]] #b " * 2000)
    check(("- [ ] t [[a]] #b\n" * 300) + "`x`")
    check("x" * 5000 + "\n- [ ] t")


def test_same_as_reference_on_hand_picked_edges() -> None:
    for text in [
        "",
        "#",
        "[",
        "- [[] x]]",
        "- [[] x]] #t",
        "- [[]",
        "- [[]]",
        "\\[[a #b]] #c",
        "[[|#t]] #u",
        "[[ ]] #v",
        "[[a #b]] #c",
        "[[a|#b]]#c #d",
        "- [ ] [[a]] [b](c.md#d #e) #f",
        "[x](y.md) - [ ] no\n- [ ] yes [[z]] 📅 2024-01-01",
        "`[[a]]` [[b]] `#c` #d",
        "```\n- [ ] hidden\n```\n- [ ] shown",
        "- [ ] a\r\n- [x] b ✅ 2024-01-01\r\n",
        "\t- [ ] tab\n-\t[x] tab2",
        "- [ ] Ask about `family` next time",
        "- [ ] plain ascii: with colon",
        "- [ ] ends with #tag",
        "- [ ] block ^id",
        "[[\u00a0a\u2003]] [[a\x85]] [[\u200ba]] [[\x1ca\x1f]] [[a b]] ![[ a ]] [[ ]] [[\t]]",
        "x![[a]] \\![[b]] \\\\![[c]] !\\[[d]] [[e]]![[f]]",
    ]:
        check(text)
        check(text, 7)


def test_regex_whitespace_is_strip_whitespace() -> None:
    """The plain-wikilink pattern relies on `\\s` in a regex being what `str.strip()` removes."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (space.match(char) is not None) == (char.strip() == ""), hex(code)


def note_files() -> list[Path]:
    roots = [root for root in (CORPORA, EXAMPLE_VAULT) if root.is_dir()]
    return sorted(path for root in roots for path in root.rglob("*.md"))


def body_of(text: str) -> tuple[str, int]:
    if not text.startswith("---\n"):
        return text, 1
    close = text.find("\n---\n", 3)
    if close < 0:
        return text, 1
    close += len("\n---\n")
    return text[close:], text.count("\n", 0, close) + 1


def test_same_as_reference_on_every_corpus_and_example_note() -> None:
    files = note_files()
    if not files:
        pytest.skip("neither ../shared/corpora nor example-vault is there")
    assert any(path.is_relative_to(EXAMPLE_VAULT) for path in files)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        check(text)
        check(*body_of(text))
        check(text.replace("\n", "\r\n"))


def test_fast_constructors_make_equal_objects() -> None:
    assert new_link("a", "#b", "c", 3, True) == RawLink("a", "#b", "c", 3, True)
    assert new_tag("x", 9) == RawTag("x", 9)
    task = new_task(1, "x", "t", None, None, None, None, None, None, "high", None, ())
    assert task == RawTask(1, "x", "t", priority="high")
    assert hash(task) == hash(RawTask(1, "x", "t", priority="high"))
    assert Body((new_link("a", "", None, 1, False),)) == Body((RawLink("a", "", None, 1),))
    assert new_link("a", "", "t", 2, False, True) == RawLink("a", "", "t", 2, markdown=True)
    tag = RawTag("x", 9)
    body = new_body((), (tag,), (task,), (), "gist")
    assert body == Body(tags=(tag,), tasks=(task,), summary="gist")
    assert with_summary(Body(tags=(tag,)), "gist") == Body(tags=(tag,), summary="gist")
    plain = Body()
    assert with_summary(plain, "x") is not plain and plain.summary == ""  # a new one, never changed
    note = new_note("a.md", {"k": 1}, {"k": 2}, body, 5, 6)
    assert note == Note("a.md", {"k": 1}, {"k": 2}, body, 5, 6)
    assert repr(note) == repr(Note("a.md", {"k": 1}, {"k": 2}, body, 5, 6))
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.path = "b.md"  # type: ignore[misc]
