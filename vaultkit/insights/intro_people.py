"""What the intro suggestions need to know about everyone from the people notes alone (intros.py uses it).

Everyone's needs, offers, tags and place, normalised and indexed (needs -> offers, tags -> people), with the
matches between them. None of it depends on the day, on warmth or on interactions: only on the people's
`name`, `needs`, `offers`, `tags` and `location`, the order of their paths, and which note is me. So the watch
keeps the index of the build before when those are unchanged (`intro_people`), which on a large vault is most
of the Introductions page's work after a save.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from vaultkit.insights.carry import same_records
from vaultkit.insights.matching import Phrase, PhraseIndex, all_matches, phrase
from vaultkit.insights.shared import Insights
from vaultkit.model import Person
from vaultkit.model.people import name_key

__all__ = ["PEOPLE_FIELDS", "IntroPeople", "intro_people"]

PEOPLE_FIELDS = ("name", "needs", "offers", "tags", "location")  # all IntroPeople reads of a person
_KEY = "intro_people"  # where `intro_people` keeps the index on an Insights


class IntroPeople:
    """Everyone but me, indexed for pairing (read only once made, but for the `met` memo).

    People with the same needs (offers) share an id, so matching is done once per distinct pair of lists."""

    def __init__(self, people: Mapping[str, Person], me: str | None) -> None:
        self.me = me
        self.names = {p: person.name for p, person in people.items()}  # name_of, for people
        self.sort_key = {p: (n.casefold(), p) for p, n in self.names.items()}
        self.needs: dict[str, tuple[Phrase, ...]] = {}
        self.offers: dict[str, tuple[Phrase, ...]] = {}
        self.tags: dict[str, dict[str, str]] = {}  # normalised tag -> as written (shared: read only)
        self.tag_sets: dict[str, frozenset[str]] = {}
        self.location: dict[str, str] = {}
        self.offer_index = PhraseIndex()
        self.need_index = PhraseIndex()
        self.need_owners: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.need_phrase: dict[tuple[str, ...], Phrase] = {}
        self.place_owners: dict[str, list[str]] = defaultdict(list)
        self.tag_owners: dict[str, list[str]] = defaultdict(list)
        self.need_id: dict[str, int] = {}
        self.offer_id: dict[str, int] = {}
        self._index(people)
        self._met: dict[tuple[int, int], tuple[tuple[str, str], ...]] = {}
        # for scoring: each need's matching offer groups, and each person's offer groups
        self.need_meets: dict[str, frozenset[tuple[str, ...]]] = {}
        for ps in self.needs.values():
            for p in ps:
                if p.text not in self.need_meets:
                    self.need_meets[p.text] = frozenset(self.offer_index.groups(p))
        self.offer_groups = {path: frozenset(p.words for p in ps) for path, ps in self.offers.items()}

    def _index(self, people: Mapping[str, Person]) -> None:
        lists = _Lists()
        need_owners, need_phrase, tag_owners = self.need_owners, self.need_phrase, self.tag_owners
        add_offer, add_need = self.offer_index.add_phrase, self.need_index.add_phrase
        for path, person in people.items():
            if path == self.me:
                continue
            needs, self.need_id[path] = lists.phrases(person.needs)
            offers, self.offer_id[path] = lists.phrases(person.offers)
            self.needs[path] = needs
            self.offers[path] = offers
            tags, self.tag_sets[path] = lists.tags(person.tags)
            self.tags[path] = tags
            for key in tags:
                tag_owners[key].append(path)
            if person.location:
                place = self.location[path] = lists.place(person.location)
                self.place_owners[place].append(path)
            for p in offers:
                add_offer(path, p)
            for p in needs:
                add_need(path, p)
                owners = need_owners[p.words]
                if not owners or owners[-1] != path:  # people come one at a time: only the last can be them
                    owners.append(path)
                if p.words not in need_phrase:
                    need_phrase[p.words] = p

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

    def tags(self, tags: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str]]:
        """Normalised tag -> the first tag written so (empty ones left out), and the normalised tags."""
        found = self._tags.get(tags)
        if found is None:
            keys = self._tag_keys
            keyed: dict[str, str] = {}
            for tag in tags:
                key = keys.get(tag)
                if key is None:
                    key = keys[tag] = phrase(tag).key
                if key and key not in keyed:
                    keyed[key] = tag
            found = self._tags[tags] = (keyed, frozenset(keyed))
        return found

    def place(self, location: str) -> str:
        found = self._places.get(location)
        if found is None:
            found = self._places[location] = name_key(location)
        return found
