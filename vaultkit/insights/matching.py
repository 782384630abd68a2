"""Phrase matching for needs, offers, goals, topics and tags.

A phrase is reduced to its content words: lower case, punctuation removed, simple plurals made singular
("designers" -> "designer", "companies" -> "company", "class" stays), lightly stemmed ("manager" and
"management" meet), stop words dropped. Two phrases match
when one's word set is a subset of the other's ("senior product designer" meets "product designer") or
when they share a two-word phrase (adjacent content words, in either order). Word order never matters.

:class:`PhraseIndex` finds matching phrases through an inverted index, so candidates never come from
comparing every phrase with every other.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

STOP_WORDS = frozenset({"a", "an", "the", "to", "for", "of", "with", "and", "in", "on"})
_NON_WORD = re.compile(r"[\W_]+")
_NON_WORD_KEEP_HYPHEN = re.compile(r"[^\w-]+|_+")

MatchHow = Literal["same", "subset", "phrase"]


def singular(word: str) -> str:
    """Simple singulars: companies -> company, coaches -> coach, designers -> designer; class stays."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


_DERIVATIONS = ("ement", "ment", "ing", "er", "ed")


def stem(word: str) -> str:
    """Light derivational stemming so related words meet: manager/management/managing -> "manag",
    engineer/engineering -> "engine", coaching -> "coach". Stems are never shorter than 4 letters."""
    changed = True
    while changed:
        changed = False
        for suffix in _DERIVATIONS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                changed = True
                break
    return word


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase's content words, normalised (`words`) and as written (`surface`, lower case), in order."""

    text: str
    words: tuple[str, ...]
    surface: tuple[str, ...]
    word_set: frozenset[str]
    pairs: frozenset[frozenset[str]]  # adjacent content words, order-free: the two-word phrases in it

    @property
    def key(self) -> str:
        """The normalised phrase as one string (for comparing tags)."""
        return " ".join(self.words)


@lru_cache(maxsize=65536)
def phrase(text: str) -> Phrase:
    """A phrase's content words; pairs never join the parts of a hyphenated word ("open-source")."""
    words: list[str] = []
    surface: list[str] = []
    pairs: set[frozenset[str]] = set()
    previous: str | None = None
    for token in _NON_WORD_KEEP_HYPHEN.split(text.casefold()):
        first_part = True
        for raw in _NON_WORD.split(token):
            if not raw or raw in STOP_WORDS:
                continue
            word = stem(singular(raw))
            if word in STOP_WORDS:
                continue
            if previous is not None and first_part and previous != word:
                pairs.add(frozenset((previous, word)))
            first_part = False
            previous = word
            if word not in words:
                words.append(word)
                surface.append(raw)
    return Phrase(text, tuple(words), tuple(surface), frozenset(words), frozenset(pairs))


def normalise(text: str) -> tuple[str, ...]:
    """The content words of `text`, normalised, in order, without repeats."""
    return phrase(text).words


@dataclass(frozen=True, slots=True)
class Match:
    left: str  # the phrases as written
    right: str
    words: tuple[str, ...]  # the shared words, as written in `left`, in its order
    how: MatchHow

    @property
    def shared(self) -> str:
        return " ".join(self.words)


def match(left: str | Phrase, right: str | Phrase) -> Match | None:
    """How two phrases meet, or None: same words, one's words within the other's, or a shared word pair."""
    return _match(
        left.text if isinstance(left, Phrase) else left, right.text if isinstance(right, Phrase) else right
    )


@lru_cache(maxsize=65536)
def _match(left: str, right: str) -> Match | None:
    lp, rp = phrase(left), phrase(right)
    ls, rs = lp.word_set, rp.word_set
    if not ls or not rs:
        return None
    how: MatchHow
    if ls == rs:
        how = "same"
    elif ls <= rs or rs <= ls:
        how = "subset"
    elif lp.pairs & rp.pairs:
        how = "phrase"
    else:
        return None
    common = ls & rs
    if how == "phrase":  # only the shared phrases' words, not stray common words
        common = frozenset().union(*(lp.pairs & rp.pairs))
    words = tuple(s for w, s in zip(lp.words, lp.surface, strict=True) if w in common)
    return Match(lp.text, rp.text, words, how)


def all_matches(lefts: Iterable[str | Phrase], rights: Iterable[str | Phrase]) -> list[Match]:
    """Every matching (left, right) pair, in the order given."""
    right_list = list(rights)
    found = []
    for left in lefts:
        for right in right_list:
            m = match(left, right)
            if m is not None:
                found.append(m)
    return found


def best_match(lefts: Iterable[str | Phrase], rights: Iterable[str | Phrase]) -> Match | None:
    """The match sharing the most words (first one on ties), or None."""
    best: Match | None = None
    for m in all_matches(lefts, rights):
        if best is None or len(m.words) > len(best.words):
            best = m
    return best


class PhraseIndex:
    """Phrases owned by keys (person paths), searchable by phrase without comparing against every phrase.

    Phrases with the same normalised words form one group. A query finds groups through three posting lists:
    every word (groups containing the whole query), each group's rarest word (groups inside the query) and
    two-word phrases (groups sharing one). The groups found are exactly those `match` accepts.
    """

    def __init__(self) -> None:
        self._owners: dict[tuple[str, ...], dict[str, None]] = {}
        self._phrases: dict[tuple[str, ...], Phrase] = {}
        self._by_word: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self._by_pair: dict[frozenset[str], set[tuple[str, ...]]] = defaultdict(set)
        self._by_rarest: dict[str, list[tuple[str, ...]]] | None = None

    def add(self, key: str, text: str) -> None:
        self.add_phrase(key, phrase(text))

    def add_phrase(self, key: str, p: Phrase) -> None:
        """`add` for a phrase already normalised with `phrase`."""
        group = p.words
        if not group:
            return
        if group not in self._owners:
            self._owners[group] = {}
            self._phrases[group] = p
            for w in group:
                self._by_word[w].add(group)
            for pair in p.pairs:
                self._by_pair[pair].add(group)
            self._by_rarest = None
        self._owners[group][key] = None

    def add_all(self, key: str, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(key, text)

    def __len__(self) -> int:
        return len(self._owners)

    def _rarest(self) -> dict[str, list[tuple[str, ...]]]:
        if self._by_rarest is None:
            rarest: dict[str, list[tuple[str, ...]]] = defaultdict(list)
            for group in self._owners:
                word = min(group, key=lambda w: (len(self._by_word[w]), w))
                rarest[word].append(group)
            self._by_rarest = rarest
        return self._by_rarest

    def groups(self, text: str | Phrase) -> list[tuple[str, ...]]:
        """The normalised words of indexed phrases that match `text`, sorted."""
        q = text if isinstance(text, Phrase) else phrase(text)
        qs = q.word_set
        if not qs:
            return []
        found: set[tuple[str, ...]] = set()
        postings = [self._by_word.get(w) for w in qs]
        if all(postings):
            smallest = min(postings, key=lambda s: len(s or ()))
            found.update(g for g in smallest or () if qs <= self._phrases[g].word_set)
        rarest = self._rarest()
        for w in qs:
            found.update(g for g in rarest.get(w, ()) if self._phrases[g].word_set <= qs)
        for pair in q.pairs:
            found.update(self._by_pair.get(pair, ()))
        return sorted(found)

    def owners(self, group: tuple[str, ...]) -> list[str]:
        """The keys owning phrases with these normalised words, in the order added."""
        return list(self._owners.get(group, {}))

    def keys(self, text: str | Phrase) -> list[str]:
        """Every key with a phrase matching `text`, sorted."""
        found: set[str] = set()
        for group in self.groups(text):
            found.update(self._owners[group])
        return sorted(found)
