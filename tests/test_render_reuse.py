"""The watch gives a page the last build's text only when rendering would give that text again.

Every test compares the watch's pages with a whole build's (`same_as_full`: a build with no stamp writes
nothing), and counts the pages actually rendered, so a test cannot pass by never reusing anything.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vaultkit.pages
import vaultkit.render
from tests.conftest import TODAY, VaultFactory, person
from tests.test_live import (
    CHANGES,
    EXAMPLE,
    Change,
    break_a_note,
    pages,
    same_as_full,
    touch_last_contact,
)
from vaultkit import render_reuse
from vaultkit.build import build
from vaultkit.live import LiveVault
from vaultkit.load import load_vault, prepare
from vaultkit.pages import PAGES, Linker, render_pages
from vaultkit.render import OVERRIDES_DIR, TemplateRenderError, render_page
from vaultkit.render_filters import _link, _text, link, text
from vaultkit.render_reuse import RenderedPages

FOLLOW_UPS = "pages/Follow-ups.md.j2"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates rendered so far (pages given again from the last build are not)."""
    names: list[str] = []

    def counting(name: str, context: Mapping[str, object], vault_root: Path | None) -> str:
        names.append(name)
        return render_page(name, context, vault_root)

    monkeypatch.setattr(vaultkit.pages, "render_page", counting)
    return names


@pytest.fixture
def trust_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates written a moment ago count as settled (else reuse waits `RACY_NS` after each write)."""
    monkeypatch.setattr(render_reuse, "RACY_NS", 0)


@pytest.fixture
def small(make_vault: VaultFactory) -> Path:
    return make_vault(
        {
            "people/Ann Lee.md": person(cadence="monthly", last_contact="2026-09-01", tags=["python"]),
            "people/Bo Chen.md": person(cadence="weekly", needs=["python mentoring"]),
            "people/Cy Diaz.md": person(relationship=["mentor"], cadence="monthly"),
            "interactions/2026-11-01 Coffee.md": "---\ndate: 2026-11-01\nwith: ['[[Ann Lee]]']\n---\n"
            "- [ ] send [[Bo Chen]] the deck 📅 2026-11-20\n",
        }
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    dest = tmp_path / "example-vault"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".vaultkit", "Agenda"))
    return dest


def override(root: Path, source: str, name: str = FOLLOW_UPS) -> Path:
    path = root / OVERRIDES_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def follow_ups(root: Path) -> str:
    """The Follow-ups page, without the line that marks it as generated."""
    return (root / "Agenda" / "Follow-ups.md").read_text(encoding="utf-8").split("\n", 1)[1]


# --- pages given again, and only when alike ------------------------------------------------------------


def test_a_build_with_nothing_changed_renders_nothing(small: Path, rendered: list[str]) -> None:
    live = LiveVault(small)
    live.build(TODAY)
    assert len(rendered) == len(PAGES)
    rendered.clear()
    result = live.build(TODAY, set())
    assert rendered == [] and result.written == ()
    same_as_full(small, result)


def test_an_edit_renders_only_the_pages_it_changes(example: Path, rendered: list[str]) -> None:
    live = LiveVault(example)
    live.build(TODAY)
    rendered.clear()
    result = live.build(TODAY, touch_last_contact(example))
    assert 0 < len(rendered) < len(PAGES)
    same_as_full(example, result)


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_after_every_kind_of_change_the_pages_are_a_whole_builds(example: Path, change: Change) -> None:
    live = LiveVault(example)
    live.build(TODAY)
    same_as_full(example, live.build(TODAY, change(example)))
    same_as_full(example, live.build(TODAY, set()))  # and again, given from the build before


def test_a_new_day_renders_the_dated_pages(small: Path, rendered: list[str]) -> None:
    live = LiveVault(small)
    live.build(TODAY)
    before = follow_ups(small)
    rendered.clear()
    later = TODAY + dt.timedelta(days=3)
    result = live.build(later, set())
    assert FOLLOW_UPS in rendered and follow_ups(small) != before
    assert later.isoformat() in follow_ups(small)
    got = pages(small)
    full = build(small, later, use_stamp=False)
    assert full.written == () and pages(small) == got
    assert result.diagnostics == full.diagnostics


def test_a_failed_page_is_rendered_again_next_time(small: Path, trust_templates: None) -> None:
    live = LiveVault(small)
    override(small, "{{ nope.nothing }}\n")
    assert [e.code for e in live.build(TODAY).page_errors] == ["template"]
    assert [e.code for e in live.build(TODAY, set()).page_errors] == ["template"]
    override(small, "fixed {{ today | date }}\n")
    assert live.build(TODAY, set()).ok and follow_ups(small).startswith("fixed 2026-11-25")


# --- template overrides --------------------------------------------------------------------------------


def test_an_override_added_changed_and_removed_between_builds(
    small: Path, rendered: list[str], trust_templates: None
) -> None:
    live = LiveVault(small)
    live.build(TODAY)
    packaged = follow_ups(small)
    path = override(small, "mine {{ today | date }}\n")
    live.build(TODAY, {path.relative_to(small).as_posix()})
    assert follow_ups(small).startswith("mine 2026-11-25")
    rendered.clear()
    live.build(TODAY, set())
    assert rendered == []  # the override did not change since: nothing rendered
    override(small, "changed {{ today | date }}\n")
    live.build(TODAY, set())
    assert follow_ups(small).startswith("changed 2026-11-25")
    same_as_full(small, live.build(TODAY, set()))
    shutil.rmtree(small / OVERRIDES_DIR)
    live.build(TODAY, set())
    assert follow_ups(small) == packaged
    same_as_full(small, live.build(TODAY, set()))


def test_an_override_saved_a_moment_ago_is_not_trusted(small: Path, rendered: list[str]) -> None:
    live = LiveVault(small)
    live.build(TODAY)
    path = override(small, "one {{ today | date }}\n")
    live.build(TODAY, set())
    assert follow_ups(small).startswith("one ")
    stat = path.stat()
    override(small, "two {{ today | date }}\n")  # same size; same times on a coarse clock
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    rendered.clear()
    live.build(TODAY, set())
    assert follow_ups(small).startswith("two ") and len(rendered) == len(PAGES)


def test_an_override_in_a_new_folder_under_the_overrides(small: Path, trust_templates: None) -> None:
    live = LiveVault(small)
    override(small, '{% include "parts/head.j2" %}{{ today | date }}\n')
    override(small, "head ", "parts/head.j2")
    live.build(TODAY)
    assert follow_ups(small).startswith("head 2026-11-25")
    override(small, "other head ", "parts/head.j2")
    live.build(TODAY, set())
    assert follow_ups(small).startswith("other head 2026-11-25")


def test_the_packaged_templates_are_watched_too(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trust_templates: None
) -> None:
    packaged = tmp_path / "packaged"
    shutil.copytree(vaultkit.render.packaged_templates_dir(), packaged)
    monkeypatch.setattr(vaultkit.render, "packaged_templates_dir", lambda: packaged)
    live = LiveVault(small)
    live.build(TODAY)
    (packaged / FOLLOW_UPS).write_text("upgraded {{ today | date }}\n", encoding="utf-8")
    live.build(TODAY, set())
    assert follow_ups(small).startswith("upgraded ")


# --- what counts as alike ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kept", "given"),
    [
        ({"n": 1}, {"n": True}),
        ({"n": 1}, {"n": 1.0}),
        ({"n": 0.0}, {"n": -0.0}),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        ({"xs": [1, 2]}, {"xs": (1, 2)}),
        ({"d": dt.date(2026, 1, 2)}, {"d": dt.datetime(2026, 1, 2)}),
        (
            {"t": dt.datetime(2026, 1, 2, 8, tzinfo=dt.UTC)},
            {"t": dt.datetime(2026, 1, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))},
        ),
        ({"rows": [{"name": "Ann"}]}, {"rows": [{"name": "Ann", "more": None}]}),
    ],
)
def test_contexts_equal_but_not_alike_are_rendered(kept: dict[str, object], given: dict[str, object]) -> None:
    memo = RenderedPages()
    memo.start(None)
    memo.put("P.md", FOLLOW_UPS, kept, "text")
    assert memo.get("P.md", FOLLOW_UPS, given) is None


def test_an_alike_context_gets_the_text() -> None:
    memo = RenderedPages()
    memo.start(None)
    context: dict[str, object] = {"today": TODAY, "rows": [{"person": {"target": "Ann", "name": "Ann"}}]}
    memo.put("P.md", FOLLOW_UPS, context, "text")
    again: dict[str, object] = {"today": TODAY, "rows": [{"person": {"target": "Ann", "name": "Ann"}}]}
    assert memo.get("P.md", FOLLOW_UPS, again) == "text"
    assert memo.get("P.md", FOLLOW_UPS, again) == "text"
    assert memo.get("P.md", "pages/Other.md.j2", again) is None
    assert memo.get("Q.md", FOLLOW_UPS, again) is None
    memo.put("P.md", FOLLOW_UPS, again, None)  # failed: forgotten
    assert memo.get("P.md", FOLLOW_UPS, again) is None


def _values(value: object) -> Iterator[object]:
    yield value
    if isinstance(value, dict):
        assert all(type(k) is str for k in value)
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)


def test_page_contexts_hold_only_values_whose_repr_shows_them(example: Path) -> None:
    """`RenderedPages` compares contexts by `==` and `repr`: both see everything of these types only."""
    loaded = load_vault(prepare(example))
    link = Linker([n.path for n in loaded.notes])
    plain = {dict, list, tuple, str, int, float, bool, type(None), dt.date, dt.datetime}
    for _, builder in PAGES.values():
        assert {type(v) for v in _values(builder(loaded.vault, TODAY, link))} <= plain


def test_render_pages_with_reuse_gives_what_it_gives_without(example: Path) -> None:
    loaded = load_vault(prepare(example))
    paths = [n.path for n in loaded.notes]
    memo = RenderedPages()
    for day in (TODAY, TODAY, TODAY + dt.timedelta(days=1), TODAY):
        plain = render_pages(loaded.vault, day, example, paths, "Agenda", {"problem_count": 2})
        reused = render_pages(loaded.vault, day, example, paths, "Agenda", {"problem_count": 2}, reuse=memo)
        assert reused.pages == plain.pages and reused.errors == plain.errors


# --- the kept notes and diagnostics of LiveVault ---------------------------------------------------------


def _fix_note(root: Path) -> set[str]:
    path = next(p for p in sorted((root / "interactions").rglob("*.md")) if b"[unclosed" in p.read_bytes())
    path.write_text("---\ndate: 2026-11-02\n---\nfixed\n", encoding="utf-8")
    return {path.relative_to(root).as_posix()}


SEQUENCE: list[Callable[[Path], set[str]]] = [break_a_note, touch_last_contact, *CHANGES[:6], _fix_note]


def test_the_kept_notes_and_diagnostics_are_a_whole_loads(example: Path) -> None:
    live = LiveVault(example)
    live.build(TODAY)
    for change in SEQUENCE:
        result = live.build(TODAY, change(example))
        full = load_vault(prepare(example))
        assert result.loaded is not None
        assert result.loaded.notes == full.notes
        assert result.loaded.diagnostics == full.diagnostics


# --- the memoised filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Ann", "#tag [[x]]", "", "a%%b", "12. x", "-x", "\u202eevil"])
def test_memoised_filters_answer_as_before(value: str) -> None:
    for _ in range(2):
        assert text(value) == _text(value)
        assert link(value) == _link(value)
        assert link(value, value + "|x") == _link(value, value + "|x")
    assert text(None) == "" and text(3) == "3" and link(3, None) == "[[3]]"


@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=40)))
def test_memoised_filters_answer_as_before_for_any_text(name: str, display: str | None) -> None:
    assert link(name, display) == _link(name, display) == link(name, display)
    assert text(name) == _text(name) == text(name)


# --- the sandbox's shortcuts ---------------------------------------------------------------------------


def test_loop_attributes_and_filter_calls_read_as_before(small: Path) -> None:
    override(
        small,
        "{% for x in xs %}{{ loop.index }}{{ loop.cycle('a', 'b') }}{{ loop.changed(x) }}"
        "{{ loop.previtem is defined }}{{ link(x, 'X') }}{% if not loop.last %},{% endif %}{% endfor %}\n",
    )
    out = render_page(FOLLOW_UPS, {"xs": ["p", "p", "q"]}, small)
    assert out == "1aTrueFalse[[p|X]],2bFalseTrue[[p|X]],3aTrueTrue[[q|X]]"


@pytest.mark.parametrize(
    "source", ["{% for x in xs %}{{ loop.__class__ }}{% endfor %}", "{{ link.__globals__ }}"]
)
def test_private_attributes_stay_out_of_reach(small: Path, source: str) -> None:
    override(small, source)
    with pytest.raises(TemplateRenderError):
        render_page(FOLLOW_UPS, {"xs": [1]}, small)
