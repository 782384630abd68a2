"""parse_body: links, tags and tasks of a note body, per shared/obsidian-format.md §1, §3, §4 and §6.

Rules marked [RE]/[3p]/[?] in that document are unofficial; tests that depend on one say so.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.read._mdscan import FILL, mask
from vaultkit.read.markdown import parse_body
from vaultkit.read.types import Body, RawLink

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
HELP = CORPORA / "obsidian-help-en"
TASKS_DOCS = CORPORA / "obsidian-tasks-docs"
needs_help = pytest.mark.skipif(not HELP.is_dir(), reason="../shared/corpora is not beside the checkout")
needs_tasks_docs = pytest.mark.skipif(not TASKS_DOCS.is_dir(), reason="../shared/corpora is not there")


def links(text: str) -> list[tuple[str, str, str | None]]:
    """(target, subpath, display) of every link, in order."""
    return [(k.target, k.subpath, k.display) for k in parse_body(text).links]


def targets(text: str) -> list[str]:
    return [k.target for k in parse_body(text).links]


def tags(text: str) -> list[str]:
    return [t.name for t in parse_body(text).tags]


def body_of(path: Path) -> tuple[str, int]:
    """A corpus file's body and the file line it starts on (after its `---` frontmatter, if it has one)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return text, 1
    close = text.index("\n---\n", 3) + len("\n---\n")
    return text[close:], text.count("\n", 0, close) + 1


# --- wikilinks and embeds (§1.1-§1.3, rule 7) ---------------------------------------------------------------


def test_wikilink_gives_target_and_file_line() -> None:
    body = parse_body("intro\n\nSee [[Jane Doe]].\n", first_line=5)
    assert body.links == (RawLink("Jane Doe", "", None, 7),)


def test_first_pipe_splits_display() -> None:
    assert links("[[a|b|c]]") == [("a", "", "b|c")]


def test_escaped_pipe_in_table_strips_backslash() -> None:
    # Corpus: Editing and formatting/Advanced formatting syntax.md:53
    row = "| [[Embed files]]    | ![[Engelbart.jpg\\|100]]                 |"
    found = parse_body(row).links
    assert [(k.target, k.display, k.embed) for k in found] == [
        ("Embed files", None, False),
        ("Engelbart.jpg", "100", True),
    ]
    assert links("| [[Plugins/Templates\\|Templates]] |") == [("Plugins/Templates", "", "Templates")]


def test_escaped_pipe_with_spaces_gives_bare_target() -> None:
    # obsidiantools: `![[img.png \| 300]]` must give img.png
    assert links("![[img.png \\| 300]]") == [("img.png", "", "300")]


def test_first_hash_splits_subpath_and_keeps_nested_headings() -> None:
    text = "[[Help and support#Questions and advice#Report bugs and request features]]"
    assert links(text) == [
        ("Help and support", "#Questions and advice#Report bugs and request features", None)
    ]


def test_block_reference_subpath_starts_with_caret() -> None:
    assert links("[[Note#^block-id]] and ![[Note#^b2]]") == [
        ("Note", "#^block-id", None),
        ("Note", "#^b2", None),
    ]


def test_empty_linkpath_points_at_same_note() -> None:
    assert links("[[#Heading]] [[#^id|here]]") == [("", "#Heading", None), ("", "#^id", "here")]


def test_target_and_subpath_are_trimmed() -> None:
    # obsidian-export issue 188; corpus: User interface/Settings.md:244 `[[Quick Switcher ]]`
    assert targets("[[ foo ]] [[foo |x]] [[Quick Switcher ]]") == ["foo", "foo", "Quick Switcher"]
    assert links("[[foo#^abc ]] [[ foo # Head ]]") == [("foo", "#^abc", None), ("foo", "#Head", None)]


def test_display_text_is_trimmed_and_kept_verbatim() -> None:
    # obsidiantools expects `[[E#one | ee ]]` -> "ee"; markdown inside the display text is kept as written
    assert links("[[E#one | ee ]] [[x|**bold** text]]") == [("E", "#one", "ee"), ("x", "", "**bold** text")]


def test_embed_flag_and_folder_path() -> None:
    found = parse_body("![[folder/Figure 1.png|100x145]] [[folder/Note]]").links
    assert [(k.target, k.embed, k.display) for k in found] == [
        ("folder/Figure 1.png", True, "100x145"),
        ("folder/Note", False, None),
    ]


def test_link_in_fenced_code_is_ignored() -> None:
    text = "```md\n[[in backticks]]\n```\n~~~\n[[in tildes]]\n~~~\n[[after]]\n"
    assert [(k.target, k.line) for k in parse_body(text).links] == [("after", 7)]


def test_link_in_fenced_code_inside_callout_is_ignored() -> None:
    # Corpus: Advanced formatting syntax.md:61 is the table row of line 66 inside a `> ```md` fence.
    text = (
        "> [!example]\n> ```md\n> [[Basic formatting syntax\\|Markdown syntax]] | ![[Engelbart.jpg\\|200]]\n"
        "> ```\n> [[Basic formatting syntax\\|Markdown syntax]]\n"
    )
    assert [(k.target, k.line) for k in parse_body(text).links] == [("Basic formatting syntax", 5)]


def test_fence_in_quote_ends_with_the_quote() -> None:
    text = "> ```\n> [[in code]]\nno longer quoted [[out]]\n"
    assert targets(text) == ["out"]


def test_unclosed_fence_runs_to_end_of_note() -> None:
    assert targets("[[before]]\n```\n[[x]]\n\n[[y]]\n") == ["before"]


def test_fence_closes_only_with_a_run_as_long() -> None:
    assert targets("````\n```\n[[inside]]\n````\n[[after]]") == ["after"]
    assert targets("~~~\n```\n[[inside]]\n~~~\n[[after]]") == ["after"]


def test_backticks_in_info_string_make_inline_code_not_a_fence() -> None:
    assert targets("```js` x\n[[real]]\n") == ["real"]


def test_link_in_inline_code_is_ignored() -> None:
    # Corpus: Internal links.md `[[Three laws of motion.md]]` in backticks; obsidiantools `tibble[['column_name']]`
    assert targets("Write `[[Three laws of motion.md]]` or ``a `[[b]]` c`` [[real]]") == ["real"]
    assert targets("`tibble[['column_name']]`") == []
    assert targets("x `[[a` b]] [[c]]") == ["c"]  # the code span opens first, so it wins
    assert targets("\\`[[a]]`") == ["a"]  # an escaped backtick opens nothing


def test_code_span_runs_to_the_next_run_of_the_same_length() -> None:
    assert targets("``code ` [[x]] `` [[y]]") == ["y"]
    assert targets("`` [[unmatched]]") == ["unmatched"]


def test_code_span_may_span_lines_of_one_paragraph_only() -> None:
    assert targets("a `b\nc [[hidden]] d` e\n") == []
    assert targets("a `b\n\n[[shown]] `\n") == ["shown"]
    assert targets("- a `b\n- c [[shown]]`\n") == ["shown"]  # another list item is another block


def test_code_span_inside_link_does_not_cancel_link() -> None:
    # Corpus: Extending Obsidian/Obsidian CLI.md:543 and Obsidian Web Clipper/Filters.md:156
    assert links("Use [[#`move`|move]] to rename") == [("", "#`move`", "move")]
    assert links("not [[Filters#`wikilink`|wikilink]]).") == [("Filters", "#`wikilink`", "wikilink")]


def test_link_in_percent_comment_is_ignored() -> None:
    # [?] current Obsidian does not index links in %% comments (obsidian-pdf-plus#356); decided: ignore them
    text = "%% [[one]] %% [[two]]\n%%\n[[three]]\n%% [[four]]\n%%unclosed\n[[five]]"
    assert [(k.target, k.line) for k in parse_body(text).links] == [("two", 1), ("four", 4)]


def test_link_in_html_comment_is_ignored() -> None:
    text = "<!-- [[one]]\n[[two]] --> [[three]]\n<!-- unclosed\n[[four]]"
    assert [(k.target, k.line) for k in parse_body(text).links] == [("three", 2)]


def test_escaped_brackets_are_not_links() -> None:
    # Corpus: Internal links.md "Use \[\[Wikilinks\]\]"
    assert targets("Use \\[\\[Wikilinks\\]\\] and \\[[this]] but \\\\[[that]]") == ["that"]


def test_escaped_bang_gives_a_link_not_an_embed() -> None:
    assert [(k.target, k.embed) for k in parse_body("\\![[x]] ![[y]]").links] == [("x", False), ("y", True)]


def test_unclosed_or_half_closed_links_are_text() -> None:
    # obsidian-export: `[[unclosed link`, `![[Not a valid embed.]`, `![[Partial embed`
    assert targets("[[unclosed link\n![[Not a valid embed.]\n![[Partial embed") == []


def test_link_cannot_span_lines() -> None:
    assert targets("[[first\nsecond]]") == []


def test_empty_wikilink_is_not_a_link() -> None:
    assert targets("[[]] [[ ]] [[|x]]") == []


def test_links_are_in_document_order_across_kinds() -> None:
    text = "[md](B.md) [[A]] ![img](c.png)\n[[D]]"
    assert [(k.target, k.markdown, k.line) for k in parse_body(text).links] == [
        ("B.md", True, 1),
        ("A", False, 1),
        ("c.png", True, 1),
        ("D", False, 2),
    ]


# --- Markdown links (§1.4, rule 11) ------------------------------------------------------------------------


def test_markdown_link_forms_are_internal() -> None:
    found = parse_body("[text](Note.md) [t](Note) [x](<My Note.md>)").links
    assert [(k.target, k.display, k.markdown, k.embed) for k in found] == [
        ("Note.md", "text", True, False),
        ("Note", "t", True, False),
        ("My Note.md", "x", True, False),
    ]


def test_markdown_image_embed_keeps_fragment() -> None:
    # Corpus: Bases/Introduction to Bases.md:15
    (link,) = parse_body("![Example of a base](bases-noshadow.png#interface)").links
    assert (link.target, link.subpath, link.embed, link.markdown) == (
        "bases-noshadow.png",
        "#interface",
        True,
        True,
    )


def test_markdown_link_with_scheme_is_external() -> None:
    text = "[a](https://x.org/a.md) [b](mailto:a@b.c) [c](obsidian://open?vault=v) [d](//host/x.md) [e](C:x)"
    assert targets(text) == []


def test_markdown_link_to_heading_in_same_note() -> None:
    assert links("[see](#Heading%20name)") == [("", "#Heading name", "see")]


def test_markdown_link_is_percent_decoded() -> None:
    # obsidian-export non-ascii/Link.md
    text = "[a](Three%20laws%20of%20motion.md#Heading%20name) [b](N%C3%B6te%20with%20'quotes'.md)"
    assert links(text) == [
        ("Three laws of motion.md", "#Heading name", "a"),
        ("Nöte with 'quotes'.md", "", "b"),
    ]


def test_raw_space_in_destination_is_not_a_link() -> None:
    assert targets("[x](My Note.md)") == []


def test_markdown_link_title_is_ignored() -> None:
    assert links("[x](Note.md \"a title\") [y](<A B.md> 'other')") == [
        ("Note.md", "", "x"),
        ("A B.md", "", "y"),
    ]


def test_image_inside_markdown_link_is_found_too() -> None:
    found = parse_body("[![badge](img/b.png)](Other.md)").links
    assert [(k.target, k.embed) for k in found] == [("Other.md", False), ("img/b.png", True)]


def test_markdown_link_in_code_or_escaped_is_ignored() -> None:
    assert targets("`[x](Note.md)` \\[y](Note.md) %%[z](Note.md)%%") == []


def test_markdown_link_text_may_hold_brackets_and_code() -> None:
    assert links("[a [b] `c`](Note.md)") == [("Note.md", "", "a [b] `c`")]


def test_wikilink_followed_by_parentheses_is_one_wikilink() -> None:
    assert [(k.target, k.markdown) for k in parse_body("[[a]](b)").links] == [("a", False)]


# --- tags (§3, rule 12) ------------------------------------------------------------------------------------


def test_tag_at_line_start_or_after_whitespace() -> None:
    body = parse_body("#start of line\ntext #mid\ttab\t#tabbed\n")
    assert [(t.name, t.line) for t in body.tags] == [("start", 1), ("mid", 2), ("tabbed", 2)]


def test_tag_needs_a_non_digit() -> None:
    # Corpus: Editing and formatting/Tags.md "#1984 isn't a valid tag, but #y1984 is"
    assert tags("#1984 #12.34 #y1984 #1984a #2024/q1") == ["y1984", "1984a", "2024/q1"]


def test_tag_ends_at_punctuation() -> None:
    assert tags("#tag. #a,b #c:d #e) #f! #g?") == ["tag", "a", "c", "e", "f", "g"]


def test_tag_characters_nesting_and_unicode() -> None:
    # obsidiantools: #y1982, #y_1982, #y-1982, #y1982/sep are tags
    assert tags("#y1982 #y_1982 #y-1982 #y1982/sep #日本語 #café #🚀rocket") == [
        "y1982",
        "y_1982",
        "y-1982",
        "y1982/sep",
        "日本語",
        "café",
        "🚀rocket",
    ]


def test_tag_ends_at_general_and_supplemental_punctuation() -> None:
    assert tags("#a\u2026b #c\u2e2ed #e\u00a0f") == ["a", "c", "e"]  # …, ⸮, and a no-break space


def test_hash_after_non_whitespace_or_paren_is_not_a_tag() -> None:
    # obsidiantools expects no tag in `(#y1985 )` ([?] in the rules; decided: only start of line or whitespace)
    assert tags("foo#bar (#y1985 ) https://x.org/#frag **#bold** [#x](y)") == []


def test_heading_is_not_a_tag_but_tag_in_heading_is() -> None:
    assert tags("# Heading\n## Sub\n#tag at start\n# Title #intitle") == ["tag", "intitle"]


def test_escaped_hash_is_not_a_tag() -> None:
    assert tags("\\#hash") == []


def test_tag_in_code_or_comment_is_not_a_tag() -> None:
    text = "`#meeting`\n```\n#infence\n```\n%% #hidden %%\n<!-- #html -->\n#real"
    assert tags(text) == ["real"]


def test_hash_in_link_is_not_a_tag() -> None:
    # obsidiantools: `[[X#Heading]]` is no tag
    assert tags("[[X#Heading]] [[Y| #notatag]] [a](<B #c.md>)") == []


def test_tag_case_is_kept() -> None:
    # Corpus: Editing and formatting/Tags.md:53 "#tag and #TAG"
    assert tags("#tag and #TAG #CamelCase") == ["tag", "TAG", "CamelCase"]


# --- tasks: core checkbox (§4.1, rule 13) -------------------------------------------------------------------


def test_task_list_markers_indentation_and_quotes() -> None:
    text = "- [ ] a\n* [ ] b\n+ [ ] c\n1. [ ] d\n2) [ ] e\n\t- [ ] f\n> - [ ] g\n> > 3. [x] h\n"
    assert [(t.line, t.text) for t in parse_body(text).tasks] == [
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (4, "d"),
        (5, "e"),
        (6, "f"),
        (7, "g"),
        (8, "h"),
    ]


def test_task_status_is_any_single_character() -> None:
    body = parse_body("- [x] a\n- [X] b\n- [?] c\n- [-] d\n- [/] e\n- [ ] f\n")
    assert [t.status for t in body.tasks] == ["x", "X", "?", "-", "/", " "]
    assert [t.is_open for t in body.tasks] == [False] * 5 + [True]


def test_task_box_needs_space_or_line_end_after_it() -> None:
    body = parse_body("- [ ]\n- [x]done\n- [ ]\tTabbed\n")
    assert [(t.line, t.text) for t in body.tasks] == [(1, ""), (3, "Tabbed")]


def test_checkbox_without_list_marker_is_not_a_task() -> None:
    assert parse_body("[ ] no marker\n-[ ] no space\ntext - [ ] mid-line\n- [xx] two chars\n").tasks == ()


def test_task_in_fenced_code_or_comment_is_not_a_task() -> None:
    text = "```md\n- [ ] in code\n```\n> ```\n> - [ ] in callout code\n> ```\n%%\n- [ ] in comment\n%%\n- [ ] real"
    assert [(t.line, t.text) for t in parse_body(text).tasks] == [(10, "real")]


@needs_help
def test_corpus_task_statuses_in_callout_count_once() -> None:
    # Corpus: Editing and formatting/Basic formatting syntax.md: each example once in code, once for real.
    body, first = body_of(HELP / "Editing and formatting" / "Basic formatting syntax.md")
    found = [(t.line, t.status, t.text) for t in parse_body(body, first).tasks]
    assert found == [
        (289, "x", "This is a completed task."),
        (290, " ", "This is an incomplete task."),
        (303, "x", "Milk"),
        (304, "?", "Eggs"),
        (305, "-", "Eggs"),
        (334, " ", "Task item 1"),
        (335, " ", "Subtask 1"),
        (336, " ", "Task item 2"),
        (337, " ", "Subtask 1"),
    ]


# --- tasks: Tasks-plugin emoji fields (§4.2, rule 14) --------------------------------------------------------


def test_tasks_due_date_emojis_and_variation_selector() -> None:
    text = "- [ ] a 📅 2024-01-02\n- [ ] b 📆 2024-01-03\n- [ ] c 🗓️ 2024-01-04\n- [ ] d 📅️2024-01-05\n"
    assert [(t.text, t.due) for t in parse_body(text).tasks] == [
        ("a", dt.date(2024, 1, 2)),
        ("b", dt.date(2024, 1, 3)),
        ("c", dt.date(2024, 1, 4)),
        ("d", dt.date(2024, 1, 5)),
    ]


def test_tasks_every_date_field() -> None:
    (task,) = parse_body(
        "- [x] t ⏳ 2024-01-01 ⌛2024-01-02 🛫 2024-01-03 ➕ 2024-01-04 ✅ 2024-01-05 ❌ 2024-01-06"
    ).tasks
    assert (task.text, task.scheduled, task.start, task.created, task.done, task.cancelled) == (
        "t",
        dt.date(2024, 1, 1),  # the leftmost of two scheduled dates wins, as in the Tasks plugin
        dt.date(2024, 1, 3),
        dt.date(2024, 1, 4),
        dt.date(2024, 1, 5),
        dt.date(2024, 1, 6),
    )
    assert not task.is_open


def test_tasks_priority_emojis() -> None:
    text = "- [ ] a 🔺\n- [ ] b ⏫\n- [ ] c 🔼\n- [ ] d 🔽\n- [ ] e ⏬\n- [ ] f ⏫️\n- [ ] g\n"
    assert [t.priority for t in parse_body(text).tasks] == [
        "highest",
        "high",
        "medium",
        "low",
        "lowest",
        "high",
        None,
    ]


def test_tasks_recurrence_must_start_with_every() -> None:
    text = "- [ ] a 🔁 every week when done 📅 2024-01-01\n- [ ] b 🔁daily\n"
    first, second = parse_body(text).tasks
    assert (first.text, first.recurrence, first.due) == ("a", "every week when done", dt.date(2024, 1, 1))
    assert (second.text, second.recurrence) == ("b", None)  # read as a recurrence field, but no rule


def test_tasks_fields_read_from_end_stop_at_unrecognised_text() -> None:
    # The Tasks docs (Editing/Auto-Suggest.md "order of items"): `- [ ] 📅 2024-01-01 buy milk` has no due date
    (task,) = parse_body("- [ ] 📅 2024-01-01 buy milk").tasks
    assert (task.text, task.due) == ("📅 2024-01-01 buy milk", None)
    (task,) = parse_body("- [ ] x 🔼 📅 2024-01-01 words ✅ 2024-02-02").tasks
    assert (task.text, task.done, task.due, task.priority) == (
        "x 🔼 📅 2024-01-01 words",
        dt.date(2024, 2, 2),
        None,
        None,
    )


def test_tasks_fields_in_any_order_and_space_optional() -> None:
    (task,) = parse_body("- [ ] Call Ana⏫📅2024-03-01 ⏳ 2024-02-20 🔁 every month").tasks
    assert (task.text, task.priority, task.due, task.scheduled, task.recurrence) == (
        "Call Ana",
        "high",
        dt.date(2024, 3, 1),
        dt.date(2024, 2, 20),
        "every month",
    )


def test_tasks_trailing_tags_are_skipped_but_kept_in_text() -> None:
    (task,) = parse_body("- [ ] Do it #work 📅 2024-01-01 #urgent ⏫ #later").tasks
    assert (task.text, task.due, task.priority) == ("Do it #work #urgent #later", dt.date(2024, 1, 1), "high")
    assert tags("- [ ] Do it #work 📅 2024-01-01 #urgent") == ["work", "urgent"]


def test_tasks_trailing_block_id_is_dropped_before_fields() -> None:
    (task,) = parse_body("- [ ] Ship it 📅 2024-01-01 ^ship-1").tasks
    assert (task.text, task.due) == ("Ship it", dt.date(2024, 1, 1))


def test_tasks_id_depends_on_and_on_completion_are_removed() -> None:
    (task,) = parse_body("- [ ] Next 🆔 abc123 ⛔ dcf64c,0h17ye 🏁 delete 📅 2024-01-01").tasks
    assert (task.text, task.due) == ("Next", dt.date(2024, 1, 1))


def test_nbsp_is_not_a_space_between_emoji_and_value() -> None:
    # Tasks issue #606: the field is not read, so the text keeps it
    (task,) = parse_body("- [ ] x 📅\u00a02024-01-01").tasks
    assert task.due is None and task.text == "x 📅\u00a02024-01-01"


def test_invalid_task_date_is_a_warning_and_field_stays_empty() -> None:
    body = parse_body("text\n- [ ] Pay 📅 2026-13-45 ✅ 2026-02-30\n", first_line=10)
    (task,) = body.tasks
    assert (task.text, task.due, task.done) == ("Pay", None, None)
    assert [(p.line, p.severity, p.code, p.message) for p in body.problems] == [
        (11, "warning", "bad-task-date", "task done date '2026-02-30' is not a valid date"),
        (11, "warning", "bad-task-date", "task due date '2026-13-45' is not a valid date"),
    ]


# --- tasks: Dataview bracket fields (§4.3) ------------------------------------------------------------------


def test_dataview_bracket_fields_read_from_end() -> None:
    text = (
        "- [ ] a [due:: 2024-01-01] (scheduled:: 2024-01-02) [start::2024-01-03]  [created:: 2024-01-04]\n"
        "- [x] b [completion:: 2024-02-01] [cancelled:: 2024-02-02] [priority:: lowest] [repeat:: every day],\n"
        "- [ ] c [due:: 2024-01-01] trailing words\n"
    )
    a, b, c = parse_body(text).tasks
    assert (a.text, a.due, a.scheduled, a.start, a.created) == (
        "a",
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 3),
        dt.date(2024, 1, 4),
    )
    assert (b.text, b.done, b.cancelled, b.priority, b.recurrence) == (
        "b",
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 2),
        "lowest",
        "every day",
    )
    assert (c.text, c.due) == ("c [due:: 2024-01-01] trailing words", None)


def test_dataview_and_emoji_fields_mix() -> None:
    (task,) = parse_body("- [ ] mix 📅 2024-05-01 [priority:: high] (id:: x1) [dependsOn:: a, b]").tasks
    assert (task.text, task.due, task.priority) == ("mix", dt.date(2024, 5, 1), "high")


def test_dataview_mismatched_brackets_are_text() -> None:
    (task,) = parse_body("- [ ] x [due:: 2024-01-01)").tasks
    assert (task.text, task.due) == ("x [due:: 2024-01-01)", None)


# --- tasks and links together --------------------------------------------------------------------------------


def test_task_links_are_those_on_its_line() -> None:
    text = "[[Before]]\n- [ ] Intro [[Jane Doe]] to [Bob](Bob%20Li.md) 📅 2026-12-01\n[[After]]\n"
    (task,) = parse_body(text).tasks
    assert [(k.target, k.markdown) for k in task.links] == [("Jane Doe", False), ("Bob Li.md", True)]
    assert task.text == "Intro [[Jane Doe]] to [Bob](Bob%20Li.md)"


# --- line numbers, line endings, robustness -------------------------------------------------------------------


def test_crlf_line_endings_give_the_same_result() -> None:
    text = "a [[x]]\n#t\n- [ ] do 📅 2024-01-01\n```\n[[no]]\n```\n"
    assert parse_body(text.replace("\n", "\r\n"), 3) == parse_body(text, 3)


def test_empty_or_plain_body_gives_empty_result() -> None:
    assert parse_body("") == Body()
    assert parse_body("just words\n" * 50) == Body()


def test_pathological_inputs_stay_fast() -> None:
    samples = [
        "[[" * 50_000,
        "[a](" * 50_000,
        "a <!--" * 20_000,
        "".join("`" * i + "x" for i in range(1, 300)),
        "[[`%%<!--#- [ ] ](" * 5_000,
        "- [ ] x" + " 📅 2024-01-01" * 5_000,
        "x" * 100_000 + " - [ ] " * 10_000,
        "> ```\n" * 10_000,
    ]
    for text in samples:
        start = time.perf_counter()
        parse_body(text)
        assert time.perf_counter() - start < 2.0, text[:30]


def _check_invariants(text: str, first_line: int) -> None:
    body = parse_body(text, first_line)
    last = first_line + text.count("\n")
    lines = [k.line for k in body.links] + [t.line for t in body.tags] + [t.line for t in body.tasks]
    lines += [p.line for p in body.problems if p.line is not None]
    assert all(first_line <= n <= last for n in lines)
    assert all(p.code == "bad-task-date" for p in body.problems)  # never the catch-all
    for kind in (body.links, body.tags, body.tasks):
        assert [x.line for x in kind] == sorted(x.line for x in kind)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"`~%<!->[]\\ \na#"]), max_size=200))
def test_mask_keeps_length_line_breaks_and_unmasked_text(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text)
    assert all((a == "\n") == (b == "\n") and a in (b, FILL) for a, b in zip(masked, text, strict=True))


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(
        [*"[]()#!|\\`~%<>-*+ \n\t\r^:/.,0123456789ax", "📅", "⏫", "✅", "🔁", "\ufe0f"]
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(MARKDOWNISH, st.text(max_size=300)), st.integers(min_value=1, max_value=10_000))
def test_any_text_never_raises_and_lines_are_in_range(text: str, first_line: int) -> None:
    _check_invariants(text, first_line)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decoded_with_replacement_never_raise(data: bytes) -> None:
    _check_invariants(data.decode("utf-8", errors="replace"), 1)


# --- the corpora ----------------------------------------------------------------------------------------------


@needs_help
def test_help_vault_counts_match_the_corpus_readme() -> None:
    # ../shared/corpora/README.md: 1,524 links + 283 embeds outside code and comments, 4 internal markdown
    # links, 10 inline tags (all in Tags.md; #1984 is none), 9 tasks
    counts = {"wiki": 0, "embed": 0, "markdown": 0, "tags": 0, "tasks": 0}
    for path in sorted(HELP.rglob("*.md")):
        body = parse_body(*body_of(path))
        counts["wiki"] += sum(1 for k in body.links if not k.embed and not k.markdown)
        counts["embed"] += sum(1 for k in body.links if k.embed and not k.markdown)
        counts["markdown"] += sum(1 for k in body.links if k.markdown)
        counts["tags"] += len(body.tags)
        counts["tasks"] += len(body.tasks)
        assert not body.problems
    assert counts == {"wiki": 1524, "embed": 283, "markdown": 4, "tags": 10, "tasks": 9}


def _unfenced(path: Path) -> tuple[str, int]:
    """The body with its fence lines blanked (line numbers kept), so the docs' example tasks are read."""
    body, first = body_of(path)
    fence = re.compile(r"^\s*(```|~~~)")
    return "\n".join("" if fence.match(line) else line for line in body.split("\n")), first


@needs_tasks_docs
def test_tasks_docs_tasks_outside_code_are_read_and_examples_in_code_are_not() -> None:
    # All 50 real tasks of the tasks docs are in migration.md; the emoji examples all sit in code fences.
    found = {}
    for path in sorted(TASKS_DOCS.rglob("*.md")):
        body = parse_body(*body_of(path))
        if body.tasks:
            found[path.relative_to(TASKS_DOCS).as_posix()] = body.tasks
    assert list(found) == ["migration.md"] and len(found["migration.md"]) == 50
    first = found["migration.md"][0]
    assert (first.line, first.status, first.due) == (37, " ", None)
    assert parse_body(*body_of(TASKS_DOCS / "Getting Started" / "Dates.md")).tasks == ()


@needs_tasks_docs
def test_tasks_docs_example_tasks_get_their_dates() -> None:
    # Lines checked by hand in Getting Started/Dates.md and Getting Started/Recurring Tasks.md, read with the
    # fences blanked out.
    dates = parse_body(*_unfenced(TASKS_DOCS / "Getting Started" / "Dates.md"))
    by_line = {t.line: t for t in dates.tasks}
    assert by_line[39].due == dt.date(2021, 4, 9)
    assert by_line[59].scheduled == dt.date(2021, 4, 9)
    assert by_line[85].start == dt.date(2021, 4, 9)
    assert by_line[131].created == dt.date(2021, 4, 9)
    assert (by_line[164].status, by_line[164].done) == ("x", dt.date(2021, 4, 9))
    assert (by_line[186].status, by_line[186].cancelled) == ("-", dt.date(2021, 4, 9))

    recurring = parse_body(*_unfenced(TASKS_DOCS / "Getting Started" / "Recurring Tasks.md"))
    by_line = {t.line: t for t in recurring.tasks}
    assert (by_line[30].text, by_line[30].due, by_line[30].recurrence) == (
        "take out the trash",
        dt.date(2021, 4, 25),
        "every Sunday",
    )
    assert (by_line[37].due, by_line[37].done) == (dt.date(2021, 4, 25), dt.date(2021, 4, 24))
    assert (by_line[45].created, by_line[45].due) == (dt.date(2023, 3, 10), dt.date(2021, 5, 2))
    assert (by_line[226].scheduled, by_line[226].due, by_line[226].recurrence) == (
        dt.date(2021, 10, 28),
        dt.date(2021, 10, 30),
        "every 2 weeks",
    )
    # 362: "📅 2024-02-30" is no date; 370: "📅 Invalid date" is unrecognised text, so it stays in the text
    assert (by_line[362].due, by_line[362].scheduled) == (None, dt.date(2024, 2, 28))
    assert [(p.line, p.message) for p in recurring.problems] == [
        (362, "task due date '2024-02-30' is not a valid date")
    ]
    assert (by_line[370].text, by_line[370].done, by_line[370].due) == (
        "#task Do stuff 🛫 2024-02-27 ⏳ 2024-02-28 📅 Invalid date",
        dt.date(2023, 10, 21),
        None,
    )
