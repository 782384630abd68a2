"""Phrase matching: normalising, plurals, word order, subsets, shared phrases, and the inverted index."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultkit.insights.matching import PhraseIndex, best_match, match, normalise, phrase, singular


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("designers", "designer"),
        ("companies", "company"),
        ("class", "class"),
        ("classes", "class"),
        ("coaches", "coach"),
        ("boxes", "box"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("intros", "intro"),
        ("ties", "tie"),
        ("gas", "gas"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_normalise_drops_case_punctuation_and_stop_words() -> None:
    assert normalise("Intros to the Climate-Investors, please!") == ("intro", "climate", "investor", "please")


def test_subset_matches_more_specific_need() -> None:
    m = match("senior product designer", "product designer")
    assert m is not None and m.how == "subset" and m.words == ("product", "designer")


def test_subset_ignores_stop_words() -> None:
    m = match("intros to climate investors", "climate investors")
    assert m is not None and m.words == ("climate", "investors")


def test_plurals_match_singulars() -> None:
    m = match("Product Designers", "product designer")
    assert m is not None and m.how == "same"


def test_word_order_does_not_matter() -> None:
    m = match("climate tech investors", "investors in climate tech")
    assert m is not None and m.how == "same"


def test_shared_two_word_phrase_matches() -> None:
    m = match("senior product designer", "product designer for startups")
    assert m is not None and m.how == "phrase" and m.shared == "product designer"


def test_one_stray_common_word_does_not_match() -> None:
    assert match("hiring advice", "fundraising advice") is None


def test_hyphenated_word_is_not_a_shared_phrase() -> None:
    assert match("open-source emissions tools", "open-source maintainer advice") is None
    assert match("open-source", "open source maintainer advice") is not None


def test_empty_phrases_never_match() -> None:
    assert match("the", "a") is None
    assert match("", "python") is None


def test_best_match_prefers_more_words() -> None:
    m = best_match(["python", "python mentoring"], ["python mentoring for juniors"])
    assert m is not None and m.left == "python mentoring"


def test_index_finds_subsets_supersets_and_phrases() -> None:
    index = PhraseIndex()
    index.add("jon", "senior product designer")
    index.add("kim", "product designers")
    index.add("lee", "product designer for startups")
    index.add("max", "fundraising advice")
    assert index.keys("product designer") == ["jon", "kim", "lee"]
    assert index.keys("senior product designer") == ["jon", "kim", "lee"]
    assert index.keys("hiring advice") == []


def test_index_groups_people_with_the_same_phrase() -> None:
    index = PhraseIndex()
    index.add("a", "Hiring advice")
    index.add("b", "hiring advice!")
    assert len(index) == 1
    assert index.owners(phrase("hiring advice").words) == ["a", "b"]


WORDS = [
    "python",
    "product",
    "designer",
    "designers",
    "senior",
    "climate",
    "investors",
    "advice",
    "to",
    "the",
]


@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=12),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
)
def test_index_agrees_with_pairwise_matching(phrases: list[str], query: str) -> None:
    index = PhraseIndex()
    for n, text in enumerate(phrases):
        index.add(f"k{n:02d}", text)
    expected = sorted(f"k{n:02d}" for n, text in enumerate(phrases) if match(query, text) is not None)
    assert index.keys(query) == expected
