"""Obsidian's resolver, rule by rule (obsidian-format.md §1.5)."""

from vaultkit.resolve import FROM_FOLDER, Resolver

FILES = [
    "Home.md",
    "Note.1.md",
    "Obsidian Sync/Security and privacy.md",
    "Obsidian Publish/Security and privacy.md",
    "Plugins/Templates.md",
    "Obsidian Web Clipper/Templates.md",
    "Bases/Formulas.md",
    "a/b/Deep.md",
    "ab/Note.md",
    "Attachments/img.png",
    "Café.md",
]
R = Resolver(FILES)


def test_empty_linkpath_is_the_source_note() -> None:
    assert R.resolve("", "Home.md") == "Home.md"


def test_case_insensitive() -> None:
    assert R.resolve("formulas", "Home.md") == "Bases/Formulas.md"


def test_md_extension_optional() -> None:
    assert R.resolve("Home.md", "x.md") == "Home.md"
    assert R.resolve("Home", "x.md") == "Home.md"


def test_dotted_name_tries_literal_then_md() -> None:
    assert R.resolve("Note.1", "Home.md") == "Note.1.md"


def test_attachment_needs_extension() -> None:
    assert R.resolve("img.png", "Home.md") == "Attachments/img.png"
    assert R.resolve("img", "Home.md") is None


def test_duplicate_name_prefers_same_folder() -> None:
    assert (
        R.resolve("Security and privacy", "Obsidian Sync/Intro.md") == "Obsidian Sync/Security and privacy.md"
    )
    assert (
        R.resolve("Security and privacy", "Obsidian Publish/Intro.md")
        == "Obsidian Publish/Security and privacy.md"
    )


def test_duplicate_name_elsewhere_shortest_path_first() -> None:
    assert R.resolve("Templates", "Home.md") == "Plugins/Templates.md"


def test_path_qualified_link_disambiguates() -> None:
    assert R.resolve("Obsidian Web Clipper/Templates", "Plugins/x.md") == "Obsidian Web Clipper/Templates.md"


def test_relative_paths() -> None:
    assert R.resolve("./Deep", "a/b/x.md") == "a/b/Deep.md"
    assert R.resolve("../b/Deep", "a/b/x.md") == "a/b/Deep.md"


def test_leading_slash_is_exact_only() -> None:
    assert R.resolve("/a/b/Deep", "Home.md") == "a/b/Deep.md"
    assert R.resolve("/Deep", "Home.md") is None


def test_suffix_without_slash_boundary_quirk() -> None:
    assert R.resolve("b/Note", "Home.md") == "ab/Note.md"


def test_nfc_normalisation() -> None:
    assert R.resolve("Cafe\u0301", "Home.md") == "Café.md"


def test_unresolved() -> None:
    assert R.resolve("Nothing here", "Home.md") is None


def test_memo_keeps_results_that_depend_on_the_folder_apart() -> None:
    resolver = Resolver(FILES)
    assert resolver.anywhere("home") == "Home.md"
    assert resolver.anywhere("Security and privacy") is FROM_FOLDER
    assert resolver.anywhere("./Deep") is FROM_FOLDER
    for _ in range(2):  # memoized the second time round
        assert resolver.resolve("Security and privacy", "Obsidian Sync/a.md").startswith("Obsidian Sync/")
        assert resolver.resolve("Security and privacy", "Obsidian Publish/a.md").startswith(
            "Obsidian Publish/"
        )
        assert resolver.resolve("./Deep", "a/b/x.md") == "a/b/Deep.md"
        assert resolver.resolve("./Deep", "a/x.md") is None
        assert resolver.resolve("HOME", "a/x.md") == resolver.resolve("home", "x.md") == "Home.md"


def test_files_that_differ_only_in_case_make_the_resolver_ambiguous() -> None:
    assert not R.ambiguous
    twice = Resolver(["Home.md", "home.md"])
    assert twice.ambiguous and twice.resolve("Home", "x.md") == "home.md"  # the last one wins
    assert not Resolver(["Home.md", "Home.md"]).ambiguous
