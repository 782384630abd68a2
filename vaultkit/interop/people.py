"""``vaultkit people``: list people, filtered by tag, org or place ("who's in Lisbon")."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vaultkit.insights.common import last_touch
from vaultkit.model import Person, Vault


@dataclass(frozen=True, slots=True)
class PersonRow:
    path: str
    name: str
    org: str | None
    role: str | None
    location: str | None
    tags: tuple[str, ...]
    emails: tuple[str, ...]
    cadence: str | None
    last_contact: dt.date | None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": self.path,
            "org": self.org,
            "role": self.role,
            "location": self.location,
            "tags": list(self.tags),
            "emails": list(self.emails),
            "cadence": self.cadence,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
        }


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: "São Paulo" and "sao paulo" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _matches(person: Person, tags: Sequence[str], org: str | None, place: str | None) -> bool:
    have = {_fold(t) for t in person.tags}
    if any(_fold(t.lstrip("#")) not in have for t in tags):
        return False
    if org is not None and (person.org is None or _fold(org) not in _fold(person.org)):
        return False
    return place is None or (person.location is not None and _fold(place) in _fold(person.location))


def list_people(
    vault: Vault,
    today: dt.date,
    *,
    tags: Sequence[str] = (),
    org: str | None = None,
    place: str | None = None,
) -> list[PersonRow]:
    """People having every tag in ``tags`` whose org and location contain ``org`` and ``place``
    (case- and accent-insensitive), sorted by name."""
    rows = []
    for path, p in vault.people.items():
        if not _matches(p, tags, org, place):
            continue
        touch = last_touch(vault, path, today)
        cadence = str(p.cadence) if p.cadence else None
        rows.append(PersonRow(path, p.name, p.org, p.role, p.location, p.tags, p.emails, cadence,
                              touch.date if touch else None))  # fmt: skip
    return sorted(rows, key=lambda r: (r.name.casefold(), r.path))
