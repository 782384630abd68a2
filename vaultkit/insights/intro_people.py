"""What the intro suggestions need to know about everyone from the people notes alone (intros.py uses it).

Everyone's needs, offers, tags and place, normalised and indexed (needs -> offers, tags -> people), with the
matches between them. None of it depends on the day, on warmth or on interactions: only on the people's
`name`, `needs`, `offers`, `tags` and `location`, the order of their paths, and which note is me. So the watch
keeps the index of the build before when those are unchanged (`intro_people`), which on a large vault is most
of the Introductions page's work after a save.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import TypeVar

from vaultkit.insights.carry import same_records
from vaultkit.insights.matching import Phrase, PhraseIndex, all_matches, phrase
from vaultkit.insights.shared import Insights
from vaultkit.model import Person
from vaultkit.model.people import name_key

__all__ = ["PEOPLE_FIELDS", "IntroPeople", "intro_people"]

PEOPLE_FIELDS = ("name", "needs", "offers", "tags", "location")  # all IntroPeople reads of a person
_KEY = "intro_people"  # where `intro_people` keeps the index on an Insights
_NAME, _NEEDS, _OFFERS, _TAGS, _LOCATION = map(attrgetter, ("name", "needs", "offers", "tags", "location"))
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
T = TypeVar("T")


class IntroPeople:
    """Everyone but me, indexed for pairing (read only once made, but for the `met` memo and `tags` and
    `tag_sets`, made per person on first use).

    People with the same needs (offers) share an id, so matching is done once per distinct pair of lists."""

    def __init__(self, people: Mapping[str, Person], me: str | None) -> None:
        self.me = me
        paths, names = list(people), list(map(_NAME, people.values()))
        self.names = dict(zip(paths, names, strict=True))  # name_of, for people
        self.sort_key = dict(zip(paths, zip(map(str.casefold, names), paths, strict=True), strict=True))
        self.needs: dict[str, tuple[Phrase, ...]] = {}
        self.offers: dict[str, tuple[Phrase, ...]] = {}
        self.tags: Mapping[str, dict[str, str]] = {}  # normalised tag -> as written (shared: read only)
        self.tag_sets: Mapping[str, frozenset[str]] = {}
        self.location: dict[str, str] = {}
        self.offer_index = PhraseIndex()
        self.need_index = PhraseIndex()
        self.need_owners: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.need_phrase: dict[tuple[str, ...], Phrase] = {}
        self.place_owners: dict[str, list[str]] = defaultdict(list)
        self.tag_owners: dict[str, list[str]] = defaultdict(list)
        self.need_id: dict[str, int] = {}
        self.offer_id: dict[str, int] = {}
        self._met: dict[tuple[int, int], tuple[tuple[str, str], ...]] = {}
        # for scoring: each need's matching offer groups, and each person's offer groups
        self.need_meets: dict[str, frozenset[tuple[str, ...]]] = {}
        self.offer_groups: dict[str, frozenset[tuple[str, ...]]] = {}
        self._index(people)

    def _index(self, people: Mapping[str, Person]) -> None:
        """Everyone's lists, a column at a time: each distinct list (or place, or tag) is normalised once, and
        most of the indexes are made at C speed. Who owns what is listed in the order of `people`. `tags`
        and `tag_sets` are made per person on first use."""
        lists = _Lists()
        paths, persons = list(people), list(people.values())
        if self.me in people:
            at = paths.index(self.me)
            del paths[at], persons[at]
        needs = list(map(lists.phrases, map(_NEEDS, persons)))
        offers = list(map(lists.phrases, map(_OFFERS, persons)))
        self.needs = dict(zip(paths, map(_FIRST, needs), strict=True))
        self.need_id = dict(zip(paths, map(_SECOND, needs), strict=True))
        self.offers = dict(zip(paths, map(_FIRST, offers), strict=True))
        self.offer_id = dict(zip(paths, map(_SECOND, offers), strict=True))
        written = dict(zip(paths, map(_TAGS, persons), strict=True))
        self.tags = _PerPerson(written, lambda tags: lists.tags(tags)[0])
        self.tag_sets = _PerPerson(written, lambda tags: lists.tags(tags)[1])
        self._index_tags(paths, list(written.values()), lists)
        locations = list(map(_LOCATION, persons))
        places = {location: lists.place(location) for location in dict.fromkeys(locations) if location}
        located = list(compress(paths, locations))
        at = list(map(places.__getitem__, filter(None, locations)))
        self.location = dict(zip(located, at, strict=True))
        deque(map(list.append, map(self.place_owners.__getitem__, at), located), maxlen=0)
        add_offer = self.offer_index.add_phrase
        for path, phrases in compress(self.offers.items(), self.offers.values()):
            for p in phrases:
                add_offer(path, p)
        need_owners, need_phrase, add_need = self.need_owners, self.need_phrase, self.need_index.add_phrase
        for path, phrases in compress(self.needs.items(), self.needs.values()):
            for p in phrases:
                add_need(path, p)
                owners = need_owners[p.words]
                if not owners or owners[-1] != path:  # people come one at a time: only the last can be them
                    owners.append(path)
                if p.words not in need_phrase:
                    need_phrase[p.words] = p
        for phrases in dict(map(reversed, needs)).values():  # each distinct list of needs
            for p in phrases:
                if p.text not in self.need_meets:
                    self.need_meets[p.text] = frozenset(self.offer_index.groups(p))
        groups = {
            n: frozenset(p.words for p in phrases) for n, phrases in dict(map(reversed, offers)).items()
        }
        self.offer_groups = dict(zip(paths, map(groups.__getitem__, map(_SECOND, offers)), strict=True))

    def _index_tags(self, paths: list[str], tags: list[tuple[str, ...]], lists: _Lists) -> None:
        """`tag_owners`: normalised tag -> everyone with a tag written so, once each, in their order.

        Everyone with each tag as written is listed first, at C speed; then the lists of the tags that
        normalise alike are put together."""
        written: dict[str, list[str]] = defaultdict(list)  # tags in the order met
        owners = map(written.__getitem__, chain.from_iterable(tags))
        deque(map(list.append, owners, chain.from_iterable(map(repeat, paths, map(len, tags)))), maxlen=0)
        alike: dict[str, list[str]] = defaultdict(list)  # normalised tag -> the tags written so
        for tag in written:
            key = lists.tag_key(tag)
            if key:
                alike[key].append(tag)
        position: dict[str, int] = {}
        for key, same in alike.items():
            if len(same) == 1:
                found = written[same[0]]
            else:  # in people's order again
                position = position or {path: n for n, path in enumerate(paths)}
                found = sorted(chain.from_iterable(map(written.__getitem__, same)), key=position.__getitem__)
            # a person with two tags written alike is listed once
            self.tag_owners[key] = found if len(set(found)) == len(found) else list(dict.fromkeys(found))

    def met(self, needer: str, offerer: str) -> tuple[tuple[str, str], ...]:
        """(need, offer) for each of `needer`'s needs that `offerer` offers (the offer sharing most words)."""
        key = (self.need_id[needer], self.offer_id[offerer])
        found = self._met.get(key)
        if found is None:
            best: dict[str, tuple[int, str]] = {}
            for m in all_matches(self.needs[needer], self.offers[offerer]):
                if m.left not in best or len(m.words) > best[m.left][0]:
                    best[m.left] = (len(m.words), m.right)
            found = self._met[key] = tuple((need, offer) for need, (_, offer) in best.items())
        return found

    def met_count(self, needer: str, offerer: str) -> int:
        """How many of `needer`'s needs `offerer` offers (what `met` lists, without building it)."""
        offers = self.offer_groups[offerer]
        return sum(1 for p in self.needs[needer] if not offers.isdisjoint(self.need_meets[p.text]))

    def same_place(self, a: str, b: str) -> bool:
        return a in self.location and self.location[a] == self.location.get(b)


def intro_people(shared: Insights) -> IntroPeople:
    """The index of `shared`'s vault (made once per Insights): the previous build's when the people are the
    same paths, in the same order, with the same PEOPLE_FIELDS, and the same note is me."""
    found = shared.__dict__.get(_KEY)
    if isinstance(found, IntroPeople):
        return found
    me = shared.me
    previous = shared.previous
    old = previous.__dict__.get(_KEY) if previous is not None else None
    if (
        previous is not None
        and isinstance(old, IntroPeople)
        and old.me == me
        and same_records(previous.vault.people, shared.vault.people, PEOPLE_FIELDS)
    ):
        found = old
    else:
        found = IntroPeople(shared.vault.people, me)
    shared.__dict__[_KEY] = found
    return found


class _Lists:
    """Many people share the same needs, offers, tags or place: each distinct one is normalised once."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[tuple[Phrase, ...], int]] = {}
        self._ids: dict[tuple[str, ...], int] = {}
        self._tags: dict[tuple[str, ...], tuple[dict[str, str], frozenset[str]]] = {}
        self._tag_keys: dict[str, str] = {}
        self._places: dict[str, str] = {}

    def phrases(self, texts: tuple[str, ...]) -> tuple[tuple[Phrase, ...], int]:
        """The phrases with words, and an id shared by every list with the same phrases."""
        found = self._phrases.get(texts)
        if found is None:
            phrases = tuple(p for p in map(phrase, texts) if p.words)
            key = tuple(p.text for p in phrases)
            found = self._phrases[texts] = (phrases, self._ids.setdefault(key, len(self._ids)))
        return found

    def tag_key(self, tag: str) -> str:
        """A tag normalised ("" when it has no words)."""
        key = self._tag_keys.get(tag)
        if key is None:
            key = self._tag_keys[tag] = phrase(tag).key
        return key

    def tags(self, tags: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str]]:
        """Normalised tag -> the first tag written so (empty ones left out), and the normalised tags."""
        found = self._tags.get(tags)
        if found is None:
            keyed: dict[str, str] = {}
            for tag in tags:
                key = self.tag_key(tag)
                if key and key not in keyed:
                    keyed[key] = tag
            found = self._tags[tags] = (keyed, frozenset(keyed))
        return found

    def place(self, location: str) -> str:
        found = self._places.get(location)
        if found is None:
            found = self._places[location] = name_key(location)
        return found


class _PerPerson(Mapping[str, T]):
    """Person path -> `make(what is written)`, made on first use (the scores look at a few people only)."""

    def __init__(self, written: dict[str, tuple[str, ...]], make: Callable[[tuple[str, ...]], T]) -> None:
        self._written = written
        self._make = make
        self._made: dict[str, T] = {}

    def __getitem__(self, path: str) -> T:
        found = self._made.get(path)
        if found is None:
            found = self._made[path] = self._make(self._written[path])
        return found

    def __contains__(self, path: object) -> bool:
        return path in self._written

    def __iter__(self) -> Iterator[str]:
        return iter(self._written)

    def __len__(self) -> int:
        return len(self._written)
