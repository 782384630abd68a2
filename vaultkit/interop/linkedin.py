"""LinkedIn's ``Connections.csv`` (Settings > Data privacy > Get a copy of your data) -> contacts.

The export starts with a ``Notes:`` preamble of a few lines, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``. Columns are found by name, so an
export with columns in another order, or extra ones, works too. Dates look like ``12 Mar 2024``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from vaultkit.interop import InteropError
from vaultkit.interop.contacts import Contact, Parsed, SourceProblem, normalize_linkedin
from vaultkit.interop.names import clean_name

REQUIRED = ("first name", "last name")
_COLUMNS = {
    "first": "first name",
    "last": "last name",
    "url": "url",
    "email": "email address",
    "company": "company",
    "position": "position",
    "connected": "connected on",
}
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3})[A-Za-z]*\.?[ \-,]+(\d{2}|\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def parse_connected_on(text: str) -> dt.date:
    """``12 Mar 2024``, ``12-Mar-24`` or ``2024-03-12`` (English month names whatever the locale)."""
    text = text.strip()
    m = _DAY_MON_YEAR.match(text)
    if m is not None and m.group(2).lower() in _MONTHS:
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        return dt.date(year, _MONTHS[m.group(2).lower()], int(m.group(1)))
    return dt.date.fromisoformat(text)


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without a byte-order mark); anything else is refused, naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InteropError(
            f"{source}:{line}: not UTF-8 (byte 0x{data[exc.start]:02X}); save the file as UTF-8 and try again"
        ) from None


def read_linkedin(path: Path) -> Parsed:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{source}: cannot read ({exc.strerror or exc})") from None
    return parse_linkedin(decode_text(data, source), source)


def parse_linkedin(text: str, source: str) -> Parsed:
    """Contacts from the CSV text; each bad row is reported with its line and skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    width = 0
    contacts: list[Contact] = []
    problems: list[SourceProblem] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            cells = [c.strip() for c in row]
            if columns is None:
                lowered = [c.casefold() for c in cells]
                if all(r in lowered for r in REQUIRED):
                    columns = {k: lowered.index(v) for k, v in _COLUMNS.items() if v in lowered}
                    width = len(cells)
                continue
            if not any(cells):
                continue
            if len(cells) != width:
                problems.append(
                    SourceProblem(
                        source, start, f"{len(cells)} fields where the header has {width}; skipped", True
                    )
                )
                continue
            contact = _contact(cells, columns, start, source, problems)
            if contact is not None:
                contacts.append(contact)
    except csv.Error as exc:
        raise InteropError(f"{source}:{reader.line_num}: not readable as CSV ({exc})") from None
    if columns is None:
        raise InteropError(
            f"{source}: no header row with 'First Name' and 'Last Name' (is this LinkedIn's Connections.csv?)"
        )
    return Parsed(source, tuple(contacts), tuple(problems))


def _contact(
    cells: list[str], columns: dict[str, int], line: int, source: str, problems: list[SourceProblem]
) -> Contact | None:
    def cell(key: str) -> str:
        return cells[columns[key]] if key in columns else ""

    name = clean_name(f"{cell('first')} {cell('last')}")  # a quoted newline is not part of a name
    if not name:
        problems.append(SourceProblem(source, line, "no first or last name; skipped", True))
        return None
    met_on = None
    if cell("connected"):
        try:
            met_on = parse_connected_on(cell("connected"))
        except ValueError:
            message = f"Connected On {cell('connected')!r} is not a date like 12 Mar 2024; {name} skipped"
            problems.append(SourceProblem(source, line, message, True))
            return None
    url = cell("url") or None
    if url and normalize_linkedin(url) is None:
        problems.append(SourceProblem(source, line, f"URL {url!r} is not a LinkedIn profile; left out"))
        url = None
    emails: tuple[str, ...] = ()
    if cell("email"):
        if _EMAIL.match(cell("email")):
            emails = (cell("email"),)
        else:
            message = f"email {cell('email')!r} is not an e-mail address; left out"
            problems.append(SourceProblem(source, line, message))
    return Contact(
        line=line,
        name=name,
        emails=emails,
        org=cell("company") or None,
        role=cell("position") or None,
        linkedin=url,
        met_on=met_on,
    )
