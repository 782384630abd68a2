"""vCard files <-> person notes; ``vobject`` does the vCard work (content lines, parameters, escaping,
quoted-printable, structured values, writing).

Reading is forgiving, and says what it forgave. We split a file into cards and unfold its lines ourselves,
because real exports break the rules in ways that make ``vobject.readComponents`` drop a whole file or a
value: a card without ``END:VCARD`` (it then ends where the next begins, with a warning), a truncated base64
photo (photos, logos, sounds and keys are not imported, so their lines are left out), a line vobject cannot
parse (reported with its line number and left out), and text with an unescaped comma (``FN:Doe, Jane``), which
vobject's text behaviour cuts at the comma. Each line then goes through vobject's own line parser
(``textLineToContentLine``: name, parameters, quoted-printable) and value decoders (``stringToTextValues``,
``splitFields``). vCard 2.1, 3.0 and 4.0 are read; files must be UTF-8 unless ``encoding`` is given (vCard
2.1's per-line ``CHARSET`` is not trusted: exports in the wild declare ``windows-1251`` on UTF-8 text).

Writing produces vCard 4.0 (RFC 6350) with vobject, one card per person, in note-path order, with a UID
derived from the note's path, so the same vault always gives the same bytes and re-exports update contacts
instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import vobject
from vobject.base import ContentLine, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from vaultkit import __version__
from vaultkit.interop import InteropError
from vaultkit.interop.contacts import Contact, Parsed, SourceProblem, normalize_linkedin
from vaultkit.interop.names import clean_name
from vaultkit.load import Loaded

PRODID = f"-//vaultkit//vaultkit {__version__}//EN"
SKIPPED_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY"}
NOT_A_PERSON = {"org", "organization", "group", "location"}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CHARSET = re.compile(rb"CHARSET=([A-Za-z0-9_\-]+)", re.IGNORECASE)
_BDAY = re.compile(r"^(?:(\d{4})|--)-?(\d{2})-?(\d{2})(?:T.*)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_NAMESPACE = uuid.UUID("6f1d3c5e-6a8e-4d0b-9a57-7661756c746b")


@dataclass
class _Card:
    start: int
    lines: list[tuple[int, ContentLine]] = field(default_factory=list)

    def raw(self, name: str) -> list[tuple[int, str]]:
        return [(n, str(line.value)) for n, line in self.lines if line.name == name]

    def texts(self, name: str) -> list[tuple[int, str]]:
        """Single text values; an unescaped comma is kept as a comma (common, if not quite RFC)."""
        return [(n, ",".join(stringToTextValues(v)).strip()) for n, v in self.raw(name)]

    def lists(self, name: str) -> list[str]:
        return [t.strip() for _n, v in self.raw(name) for t in stringToTextValues(v) if t.strip()]

    def fields(self, name: str) -> list[list[str]]:
        """Structured values (N, ADR, ORG): each component as text, its own list items joined by ", "."""
        return [
            [", ".join(f) if isinstance(f, list) else f for f in splitFields(v)] for _n, v in self.raw(name)
        ]


def decode_vcard(data: bytes, source: str, encoding: str | None) -> str:
    if encoding is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            declared = _CHARSET.search(data)
            charset = declared.group(1).decode("ascii") if declared else "windows-1251"
            said = f"; it declares CHARSET={charset}" if declared else ""
            raise InteropError(
                f"{source}:{line}: not UTF-8 (byte 0x{data[exc.start]:02X}{said}): nothing imported. "
                f"If you know its encoding, run again with e.g. --encoding {charset}, or save it as UTF-8"
            ) from None
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise InteropError(f"{source}: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InteropError(f"{source}:{line}: not valid {encoding} (byte 0x{data[exc.start]:02X})") from None


def read_vcard(path: Path, encoding: str | None = None) -> Parsed:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{source}: cannot read ({exc.strerror or exc})") from None
    return parse_vcard(decode_vcard(data, source, encoding), source)


def _logical(physical: list[str]) -> list[tuple[int, str]]:
    """(first line number, unfolded text) per logical line: a line starting with a space or tab continues
    the one before (RFC 6350 folding); so does the line after a quoted-printable soft break."""
    out: list[tuple[int, list[str]]] = []
    for number, line in enumerate(physical, start=1):
        if out and line[:1] in (" ", "\t"):
            out[-1][1].append(line[1:])
            continue
        if out:
            previous = out[-1][1]
            head = previous[0].split(":", 1)[0].upper()
            if "QUOTED-PRINTABLE" in head and previous[-1].endswith("=") and line.strip():
                previous.append("\n" + line)
                continue
        out.append((number, [line]))
    return [(number, "".join(parts)) for number, parts in out]


def _split(text: str, source: str, problems: list[SourceProblem]) -> list[_Card]:
    cards: list[_Card] = []
    card: _Card | None = None
    for number, logical in _logical(_NEWLINE.split(text)):
        upper = logical.strip().upper()
        if not upper:
            continue
        if upper == "BEGIN:VCARD":
            if card is not None:
                message = f"card has no END:VCARD; it ends at line {number}"
                problems.append(SourceProblem(source, card.start, message))
                cards.append(card)
            card = _Card(number)
        elif upper == "END:VCARD" and card is not None:
            cards.append(card)
            card = None
        elif card is None:
            problems.append(SourceProblem(source, number, "outside BEGIN:VCARD ... END:VCARD; ignored"))
        else:
            _add_line(card, number, logical, source, problems)
    if card is not None:
        message = "card has no END:VCARD; it ends at the end of the file"
        problems.append(SourceProblem(source, card.start, message))
        cards.append(card)
    return cards


def _add_line(card: _Card, number: int, logical: str, source: str, problems: list[SourceProblem]) -> None:
    try:
        line = textLineToContentLine(logical, number)
    except Exception:  # ParseError, or a decoding error from a quoted-printable value
        shown = logical if len(logical) <= 60 else logical[:57] + "..."
        problems.append(SourceProblem(source, number, f"unreadable line left out: {shown!r}"))
        return
    if line.name not in SKIPPED_PROPERTIES:
        card.lines.append((number, line))


def parse_vcard(text: str, source: str) -> Parsed:
    """Contacts from vCard text; every card that cannot become a contact is reported with its line."""
    problems: list[SourceProblem] = []
    cards = _split(text, source, problems)
    if not cards:
        raise InteropError(f"{source}: no vCard in this file (no BEGIN:VCARD line)")
    contacts = [c for c in (_contact(card, source, problems) for card in cards) if c is not None]
    return Parsed(source, tuple(contacts), tuple(problems))


def _name(card: _Card) -> str | None:
    for _n, text in card.texts("FN"):
        if text:
            return text
    for parts in card.fields("N"):
        family, given, additional, prefix, suffix = (parts + [""] * 5)[:5]
        name = " ".join(p.strip() for p in (prefix, given, additional, family, suffix) if p.strip())
        if name:
            return name
    for parts in card.fields("ORG"):
        if parts and parts[0].strip():
            return parts[0].strip()
    return None


def parse_bday(text: str) -> str | None:
    """``YYYY-MM-DD`` or ``--MM-DD`` for a BDAY (``19800817``, ``1980-08-17``, ``--0817``, date-times)."""
    m = _BDAY.match(text.strip())
    if m is None:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    try:
        dt.date(int(year) if year else 2000, month, day)
    except ValueError:
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _unique(values: Iterable[str], key: Callable[[str], str] = str.casefold) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for v in values:
        if v:
            seen.setdefault(key(v), v)
    return tuple(seen.values())


def _contact(card: _Card, source: str, problems: list[SourceProblem]) -> Contact | None:
    name = _name(card)
    name = clean_name(name) if name else None
    if not name:
        problems.append(
            SourceProblem(source, card.start, "card has no name (no FN, N or ORG); skipped", True)
        )
        return None
    emails = []
    for number, value in card.texts("EMAIL"):
        address = value.removeprefix("mailto:")
        if _EMAIL.match(address):
            emails.append(address)
        elif value:
            problems.append(
                SourceProblem(source, number, f"email {value!r} is not an e-mail address; left out")
            )
    birthday = None
    for number, value in card.texts("BDAY"):
        birthday = parse_bday(value)
        if birthday is not None:
            break
        problems.append(SourceProblem(source, number, f"BDAY {value!r} is not a date; left out"))
    orgs = [parts[0].strip() for parts in card.fields("ORG") if parts and parts[0].strip()]
    roles = [v for _n, v in card.texts("TITLE") + card.texts("ROLE") if v]
    urls = [v for key in ("URL", "X-SOCIALPROFILE", "SOCIALPROFILE") for _n, v in card.texts(key)]
    cities = [(parts + [""] * 4)[3].strip() for parts in card.fields("ADR")]
    kind = next((v.lower() for _n, v in card.texts("KIND") if v), "")
    notes = "\n\n".join(v for _n, v in card.texts("NOTE") if v)
    return Contact(
        line=card.start,
        name=name,
        aliases=_unique(n for n in card.lists("NICKNAME") if n.casefold() != name.casefold()),
        emails=_unique(emails),
        phones=_unique((v.removeprefix("tel:") for _n, v in card.texts("TEL")), key=_phone_key),
        org=orgs[0] if orgs and orgs[0] != name else None,
        role=roles[0] if roles else None,
        linkedin=next((u for u in urls if normalize_linkedin(u)), None),
        location=next((c for c in cities if c), None),
        tags=_unique(card.lists("CATEGORIES")),
        birthday=birthday,
        notes=notes or None,
        contact_kind=kind if kind in NOT_A_PERSON else None,
    )


def _phone_key(phone: str) -> str:
    return re.sub(r"\D", "", phone) or phone


# --- export ---------------------------------------------------------------------------------------


def _bday_4(text: str) -> str:
    return text.replace("-", "") if not text.startswith("--") else "--" + text[2:].replace("-", "")


def export_vcards(loaded: Loaded) -> str:
    """Every person in the vault as vCard 4.0 text (CRLF line endings, lines folded at 75 octets)."""
    meta = {n.path: n.meta for n in loaded.notes}
    out: list[str] = []
    for path, person in sorted(loaded.vault.people.items()):
        fields = meta.get(path, {})
        true_name = fields.get("name") if isinstance(fields.get("name"), str) else None
        name = (true_name or person.name).strip()
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("prodid").value = PRODID
        card.add("uid").value = f"urn:uuid:{uuid.uuid5(_NAMESPACE, path)}"
        kind = fields.get("contact_kind")
        if isinstance(kind, str) and kind.lower() in NOT_A_PERSON:
            card.add("kind").value = kind.lower()
        card.add("fn").value = name
        given, _, family = name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        for alias in person.aliases:
            if alias.casefold() != name.casefold():
                card.add("nickname").value = alias
        for email in person.emails:
            card.add("email").value = email
        for phone in person.phones:
            card.add("tel").value = phone
        if person.org:
            card.add("org").value = [person.org]
        if person.role:
            card.add("title").value = person.role
        if person.birthday is not None:
            card.add("bday").value = _bday_4(str(person.birthday))
        if person.linkedin:
            card.add("url").value = person.linkedin
        if person.location:
            card.add("adr").value = vobject.vcard.Address(city=person.location)
        if person.tags:
            card.add("categories").value = list(person.tags)
        out.append(card.serialize())
    return "".join(out)
