"""vaultkit.render: sandboxed templates, vault overrides, caps, error locations, Markdown-safe filters.

Packaged templates are replaced by a tmp folder (monkeypatching ``packaged_templates_dir``) so these tests do
not depend on the real page templates."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vaultkit
from vaultkit import render
from vaultkit.render import TemplateRenderError, iso_date, link, plural, render_page, text

PAGE = "pages/Test.md.j2"
OVERRIDE = f".vaultkit/templates/{PAGE}"


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "packaged"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages/Test.md.j2").write_text("packaged {{ name }}\n", encoding="utf-8")
    monkeypatch.setattr(render, "packaged_templates_dir", lambda: folder)
    return folder


@pytest.fixture
def vault(tmp_path: Path, packaged: Path) -> Path:
    root = tmp_path / "vault"
    (root / ".vaultkit/templates/pages").mkdir(parents=True)
    (root / "People").mkdir()
    (root / "People/Jane.md").write_text("---\nname: Jane\n---\nSECRET diary\n", encoding="utf-8")
    return root


def override(vault: Path, source: str, name: str = PAGE) -> None:
    path = vault / ".vaultkit/templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def render_error(vault: Path, source: str, **kwargs: object) -> TemplateRenderError:
    override(vault, source)
    with pytest.raises(TemplateRenderError) as caught:
        render_page(PAGE, {"name": "Ada", "person": {"name": "Ada"}, "xs": list(range(200))}, vault, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_packaged_templates_dir_finds_the_checkout_or_wheel_folder() -> None:
    found = render.packaged_templates_dir()
    package = Path(vaultkit.__file__).resolve().parent
    assert found in (package / "templates", package.parent / "templates")


def test_packaged_template_renders(packaged: Path) -> None:
    assert render_page(PAGE, {"name": "Ada"}, None) == "packaged Ada\n"


def test_override_wins_over_packaged(vault: Path) -> None:
    assert render_page(PAGE, {"name": "Ada"}, vault) == "packaged Ada\n"
    override(vault, "mine {{ name }}\n")
    assert render_page(PAGE, {"name": "Ada"}, vault) == "mine Ada\n"
    assert render_page(PAGE, {"name": "Ada"}, None) == "packaged Ada\n"


def test_override_may_include_other_templates(vault: Path, packaged: Path) -> None:
    (packaged / "partials").mkdir()
    (packaged / "partials/row.md.j2").write_text("- {{ name }}\n", encoding="utf-8")
    override(vault, "# Head\n{% include 'partials/row.md.j2' %}")
    assert render_page(PAGE, {"name": "Ada"}, vault) == "# Head\n- Ada\n"


def test_whitespace_options(vault: Path) -> None:
    override(vault, "{% for x in xs %}\n  {% if x %}\n- {{ x }}\n  {% endif %}\n{% endfor %}\n")
    assert render_page(PAGE, {"xs": [1, 0, 2]}, vault) == "- 1\n- 2\n"


def test_crlf_template_renders_lf(vault: Path) -> None:
    (vault / OVERRIDE).write_bytes(b"a\r\n{{ name }}\r\n")
    assert render_page(PAGE, {"name": "Ada"}, vault) == "a\nAda\n"


def test_sandbox_escape_is_a_named_template_error(vault: Path) -> None:
    error = render_error(vault, "# Agenda\n{{ ''.__class__.__mro__ }}\n")
    assert (error.template, error.line) == (OVERRIDE, 2)
    assert "unsafe" in error.message
    assert str(error).startswith(f"{OVERRIDE}:2: template error: not allowed in templates: ")


@pytest.mark.parametrize(
    "source",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ '{0.__class__}'.format(name) }}",
        "{{ xs.append(1) }}",
        "{{ person.update({'a': 1}) }}",
        "{{ name|attr('__class__') }}",
    ],
)
def test_other_sandbox_escapes_are_refused(vault: Path, source: str) -> None:
    error = render_error(vault, source)
    assert error.template == OVERRIDE and error.line == 1


@pytest.mark.parametrize(
    "include", ["People/Jane.md", "../../People/Jane.md", "../../../People/Jane.md", "/etc/passwd"]
)
def test_include_of_a_note_is_refused(vault: Path, include: str) -> None:
    error = render_error(vault, f"first\n{{% include '{include}' %}}\n")
    assert (error.template, error.line) == (OVERRIDE, 2)
    assert error.message == f"template '{include}' not found (templates may include only other templates)"


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinked_template_cannot_leak_a_note(vault: Path) -> None:
    link_path = vault / ".vaultkit/templates/partials/diary.md.j2"
    link_path.parent.mkdir()
    link_path.symlink_to(vault / "People/Jane.md")
    error = render_error(vault, "{% include 'partials/diary.md.j2' %}")
    assert "not found" in error.message
    assert "SECRET" not in str(error)


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_override_folder_pointing_outside_the_vault_is_refused(vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside/pages"
    outside.mkdir(parents=True)
    (outside / "Test.md.j2").write_text("from outside\n", encoding="utf-8")
    templates = vault / ".vaultkit/templates"
    templates.rename(vault / ".vaultkit/old")
    templates.symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(TemplateRenderError, match="symbolic link"):
        render_page(PAGE, {"name": "Ada"}, vault)


def test_typo_in_attribute_reports_template_and_line(vault: Path) -> None:
    error = render_error(vault, "# {{ person.name }}\n\n- {{ person.nmae }}\n")
    assert (error.template, error.line) == (OVERRIDE, 3)
    assert "nmae" in error.message


def test_undefined_name_reports_line(vault: Path) -> None:
    error = render_error(vault, "ok\n{{ missing }}\n")
    assert (error.line, error.message) == (2, "'missing' is undefined")


def test_syntax_error_reports_line(vault: Path) -> None:
    error = render_error(vault, "ok\nok\n{% for x in %}\n{% endfor %}\n")
    assert (error.template, error.line) == (OVERRIDE, 3)


def test_unknown_filter_is_a_template_error(vault: Path) -> None:
    error = render_error(vault, "{{ name|nope }}")
    assert error.line == 1 and "nope" in error.message


def test_error_inside_an_included_template_names_that_template(vault: Path, packaged: Path) -> None:
    (packaged / "partials").mkdir()
    (packaged / "partials/row.md.j2").write_text("ok\n{{ person.nmae }}\n", encoding="utf-8")
    error = render_error(vault, "a\nb\n{% include 'partials/row.md.j2' %}\n")
    assert (error.template, error.line) == ("partials/row.md.j2", 2)


def test_runtime_error_is_converted(vault: Path) -> None:
    error = render_error(vault, "\n{{ 1 / 0 }}")
    assert (error.line, error.message) == (2, "ZeroDivisionError: division by zero")


def test_missing_template(vault: Path) -> None:
    with pytest.raises(TemplateRenderError) as caught:
        render_page("pages/Nope.md.j2", {}, vault)
    assert (caught.value.template, caught.value.line) == ("pages/Nope.md.j2", None)
    assert str(caught.value).startswith("pages/Nope.md.j2: template error: template not found")


def test_huge_range_fails_fast(vault: Path) -> None:
    started = time.monotonic()
    error = render_error(vault, "{% for i in range(10**9) %}{% endfor %}")
    assert time.monotonic() - started < 2
    assert "MAX_RANGE" in error.message and error.line == 1


def test_silent_nested_loops_hit_the_time_cap(vault: Path) -> None:
    started = time.monotonic()
    error = render_error(
        vault,
        "x\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        max_seconds=0.3,
    )
    assert time.monotonic() - started < 5
    assert (error.line, error.message) == (2, "rendering took longer than 0.3 seconds (an endless loop?)")


def test_silent_loops_over_context_data_hit_the_time_cap(vault: Path) -> None:
    started = time.monotonic()
    error = render_error(
        vault,
        "{% for a in xs %}{% for b in xs %}{% for c in xs %}{% for d in xs %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        max_seconds=0.3,
    )
    assert time.monotonic() - started < 5
    assert "longer than 0.3 seconds" in error.message


def test_recursive_macro_is_a_template_error(vault: Path) -> None:
    error = render_error(vault, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
    assert error.template == OVERRIDE
    assert "nest too deeply" in error.message


def test_output_cap(vault: Path) -> None:
    error = render_error(vault, "{% for i in range(1000) %}{{ 'x' * 10 }}\n{% endfor %}", max_bytes=1000)
    assert error.template == OVERRIDE
    assert error.message == "the page would be larger than 1000 bytes"


@pytest.mark.parametrize("source", ["{{ 'a' * 10**8 }}", "{{ [1] * 10**8 }}", "{{ 9 ** (9 ** 9) }}"])
def test_huge_operands_are_capped(vault: Path, source: str) -> None:
    started = time.monotonic()
    error = render_error(vault, source)
    assert time.monotonic() - started < 2
    assert error.line == 1


def test_small_arithmetic_still_works(vault: Path) -> None:
    override(vault, "{{ 2 ** 10 }} {{ '-' * 3 }} {{ 3 * 4 }}")
    assert render_page(PAGE, {}, vault) == "1024 --- 12"


def test_oversized_template_file_is_refused(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_TEMPLATE_BYTES", 10)
    error = render_error(vault, "x" * 11)
    assert "larger than 10 bytes" in error.message


def test_nondeterministic_helpers_are_removed(vault: Path) -> None:
    assert "undefined" in render_error(vault, "{{ lipsum() }}").message
    assert "random" in render_error(vault, "{{ xs|random }}").message


def test_rendering_is_deterministic(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    override(
        vault,
        "{% for p in people|sort(attribute='name') %}- {{ p.name|link }} {{ p.due|date }}\n{% endfor %}",
    )
    when = datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    context = {"people": [{"name": "Zoë", "due": when}, {"name": "Ada", "due": date(2024, 1, 2)}]}
    first = render_page(PAGE, context, vault)
    with monkeypatch.context() as patch:
        patch.setenv("TZ", "Asia/Tokyo")
        patch.setenv("LC_ALL", "de_DE.UTF-8")
        if hasattr(time, "tzset"):
            time.tzset()
        second = render_page(PAGE, context, vault)
    if hasattr(time, "tzset"):
        time.tzset()
    assert second == first
    assert first == "- [[Ada]] 2024-01-02\n- [[Zoë]] 2024-03-01\n"


# --- filters -------------------------------------------------------------------------------------------


def test_link_hostile_name_yields_exactly_one_link() -> None:
    assert link("Bob]] [[Evil|x#y") == "[[Bob Evil x y]]"
    assert link("Ada") == "[[Ada]]"
    assert link("Ada", "Ada") == "[[Ada]]"
    assert link("Ada Lovelace", "Ada]] [[x|y\nz") == "[[Ada Lovelace|Ada x¦y z]]"
    assert link("a%%b^c\\d`e", "#1 ^x") == "[[a b c d e|#1 ^x]]"
    assert link("[[]]|#^", "shown") == "shown"
    assert link("", "[[x]]") == "x"


def test_hostile_name_in_a_rendered_page_yields_one_link(vault: Path) -> None:
    override(vault, "- {{ name|link }} met {{ other|link(other) }}\n")
    out = render_page(PAGE, {"name": "Bob]] [[Evil|x#y", "other": "Eve\n---\nowned: true"}, vault)
    assert out == "- [[Bob Evil x y]] met [[Eve --- owned: true]]\n"


@given(st.text(), st.one_of(st.none(), st.text()))
def test_link_never_breaks(name: str, display: str | None) -> None:
    out = link(name, display)
    assert "\n" not in out and "\r" not in out and "%%" not in out
    if out.startswith("[["):
        assert out.count("[[") == 1 and out.count("]]") == 1 and out.endswith("]]")
        assert out[2:-2].count("|") <= 1


def _unescaped(value: str, specials: str) -> list[str]:
    found: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            next(chars, None)
        elif char in specials:
            found.append(char)
    return found


@given(st.text())
def test_text_is_one_inert_line(value: str) -> None:
    out = text(value)
    assert "\n" not in out and "\r" not in out and "\u2028" not in out
    assert _unescaped(out, "[]#<>|`$^*") == []
    assert "%%" not in out
    assert out == out.strip()
    assert not out.startswith(("-", "+", "=")) and not out[:1].isspace()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain words", "plain words"),
        ("two\nlines\r\n\tand tab", "two lines and tab"),
        ("# not a heading", "\\# not a heading"),
        ("see [[Private]] and #tag", "see \\[\\[Private\\]\\] and \\#tag"),
        ("- not a list", "\\- not a list"),
        ("---", "\\---"),
        ("> quote", "\\> quote"),
        ("12. numbered", "12\\. numbered"),
        ("a | b", "a \\| b"),
        ("%%hidden%%", "%\\%hidden%\\%"),
        ("<img src=x>", "\\<img src=x\\>"),
        ("costs $5 and $6", "costs \\$5 and \\$6"),
        ("C:\\path", "C:\\\\path"),
        ("snake_case ~ok", "snake_case ~ok"),
        (None, ""),
        (42, "42"),
    ],
)
def test_text_filter(value: object, expected: str) -> None:
    assert text(value) == expected


def test_date_filter() -> None:
    assert iso_date(date(2024, 1, 2)) == "2024-01-02"
    assert iso_date(datetime(2024, 1, 2, 23, 59, tzinfo=UTC)) == "2024-01-02"
    assert iso_date("2024-01-02") == "2024-01-02"
    assert iso_date("2024-01-02T10:00:00+05:00") == "2024-01-02"
    with pytest.raises(ValueError):
        iso_date("tomorrow")
    with pytest.raises(TypeError):
        iso_date(None)


def test_bad_date_in_template_is_a_template_error(vault: Path) -> None:
    error = render_error(vault, "\n{{ name|date }}")
    assert error.line == 2 and "Invalid isoformat" in error.message


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (1, "person", "1 person"),
        (3, "person", "3 people"),
        (0, "Person", "0 People"),
        (2, "follow-up", "2 follow-ups"),
        (2, "company", "2 companies"),
        (2, "day", "2 days"),
        (2, "address", "2 addresses"),
        (2, "child", "2 children"),
        (1, "intro", "1 intro"),
    ],
)
def test_plural(n: int, word: str, expected: str) -> None:
    assert plural(n, word) == expected


def test_plural_in_template_with_explicit_form(vault: Path) -> None:
    override(vault, "{{ 2|plural('cactus', 'cacti') }}, {{ 1|plural('cactus', 'cacti') }}")
    assert render_page(PAGE, {}, vault) == "2 cacti, 1 cactus"


def test_filters_are_also_global_functions(vault: Path) -> None:
    override(vault, "{{ link('Ada', 'A') }} {{ plural(2, 'day') }} {{ text('#x') }} {{ date(d) }}")
    assert render_page(PAGE, {"d": date(2024, 5, 6)}, vault) == "[[Ada|A]] 2 days \\#x 2024-05-06"


def test_for_else_and_loop_variables_still_work_with_the_loop_guard(vault: Path) -> None:
    override(
        vault,
        "{% for x in xs %}{{ loop.index }}/{{ loop.length }}{% if not loop.last %},{% endif %}"
        "{% else %}none{% endfor %}|{% for x in [] %}x{% else %}none{% endfor %}",
    )
    assert render_page(PAGE, {"xs": ["a", "b"]}, vault) == "1/2,2/2|none"
