"""Typed field values. YAML hands over strings; each field's own type reads them (vault-format "Values")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_BIRTHDAY_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_CADENCE = re.compile(r"^(\d+)\s*(d|w|m|y|days?|weeks?|months?|years?)$")
_WIKILINK = re.compile(r"^\s*!?\[\[([^\[\]]*)\]\]\s*$")

NAMED_CADENCES: dict[str, tuple[int, int]] = {
    "daily": (1, 0),
    "weekly": (7, 0),
    "biweekly": (14, 0),
    "fortnightly": (14, 0),
    "monthly": (0, 1),
    "bimonthly": (0, 2),
    "quarterly": (0, 3),
    "biannually": (0, 6),
    "yearly": (0, 12),
    "annually": (0, 12),
}


class ValueError_(ValueError):
    """A field value that its field cannot read; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class Cadence:
    """Keep in touch every `days` days or every `months` calendar months."""

    days: int = 0
    months: int = 0
    label: str = field(default="", compare=False)  # as written: "monthly", "30d"

    def after(self, day: dt.date) -> dt.date:
        if self.months:
            return add_months(day, self.months)
        return day + dt.timedelta(days=self.days)

    @property
    def approx_days(self) -> int:
        return self.days or round(self.months * 30.44)

    def __str__(self) -> str:
        if self.label:
            return self.label
        if self.months:
            return f"{self.months}m"
        return f"{self.days}d"


@dataclass(frozen=True, slots=True)
class Birthday:
    month: int
    day: int
    year: int | None = None

    def next_on_or_after(self, today: dt.date) -> dt.date:
        """The next birthday on or after `today`; 29 February falls on 28 February in common years."""
        for year in (today.year, today.year + 1):
            day = self.on_year(year)
            if day >= today:
                return day
        return self.on_year(today.year + 1)  # pragma: no cover - unreachable

    def on_year(self, year: int) -> dt.date:
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return dt.date(year, 2, 28)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months: 31 January + 1 month = 28/29 February."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _scalar_text(value: object, what: str) -> str:
    if isinstance(value, dt.datetime | dt.date):  # only if a caller passes real dates
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError_(f"{what} {value!r} is not a {what}")
    return str(value).strip()


KNOWN_DATES: dict[str, dt.date] = {}  # text as written -> its date: vaults repeat the same few thousand days
KNOWN_DATES_MAX = 1 << 16


def parse_date(value: object) -> dt.date:
    """`YYYY-MM-DD` or an ISO date-time; a date-time counts on its own date (in the note's own offset)."""
    if type(value) is str:
        known = KNOWN_DATES.get(value)
        if known is not None:
            return known
        day = _parse_date(value)
        if len(KNOWN_DATES) < KNOWN_DATES_MAX:
            KNOWN_DATES[value] = day
        return day
    return _parse_date(value)


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _scalar_text(value, "date")
    m = _DATE.match(text) or _DATETIME.match(text)
    if m is None:
        raise ValueError_(f"date {text!r} is not a date (expected YYYY-MM-DD)")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError_(f"date {text!r} is not a real date") from None


_CADENCES: dict[str, Cadence | None] = {}  # as for KNOWN_DATES
_BIRTHDAYS: dict[str, Birthday] = {}


def parse_cadence(value: object) -> Cadence | None:
    """`30d`, `2w`, `3m`, `1y`, `weekly`, `monthly`, ... or `none` (None)."""
    if type(value) is str:
        try:
            return _CADENCES[value]
        except KeyError:
            cadence = _parse_cadence(value)
            if len(_CADENCES) < KNOWN_DATES_MAX:
                _CADENCES[value] = cadence
            return cadence
    return _parse_cadence(value)


def _parse_cadence(value: object) -> Cadence | None:
    text = _scalar_text(value, "cadence").lower()
    if text in ("none", "never", "off", ""):
        return None
    if text in NAMED_CADENCES:
        days, months = NAMED_CADENCES[text]
        return Cadence(days, months, text)
    m = _CADENCE.match(text)
    if m is None or int(m.group(1)) == 0:
        raise ValueError_(f"cadence {text!r} is not a cadence (try 30d, 2w, 3m, monthly, quarterly or none)")
    n, unit = int(m.group(1)), m.group(2)[0]
    if unit == "d":
        return Cadence(days=n, label=text)
    if unit == "w":
        return Cadence(days=7 * n, label=text)
    if unit == "m":
        return Cadence(months=n, label=text)
    return Cadence(months=12 * n, label=text)


def parse_birthday(value: object) -> Birthday:
    if type(value) is str:
        known = _BIRTHDAYS.get(value)
        if known is None:
            known = _parse_birthday(value)
            if len(_BIRTHDAYS) < KNOWN_DATES_MAX:
                _BIRTHDAYS[value] = known
        return known
    return _parse_birthday(value)


def _parse_birthday(value: object) -> Birthday:
    text = _scalar_text(value, "birthday")
    m = _BIRTHDAY_NO_YEAR.match(text)
    if m is not None:
        month, day = int(m.group(1)), int(m.group(2))
        try:
            dt.date(2000, month, day)  # a leap year: 29 February is a real birthday
        except ValueError:
            raise ValueError_(f"birthday {text!r} is not a real day") from None
        return Birthday(month, day)
    try:
        d = parse_date(text)
    except ValueError_:
        raise ValueError_(
            f"birthday {text!r} is not a date (YYYY-MM-DD, or --MM-DD without the year)"
        ) from None
    return Birthday(d.month, d.day, d.year)


def str_list(value: object, *, comma_split: bool = False) -> list[str]:
    """A list of strings; a single value counts as a list of one. Non-text items are stringified."""
    if value is None:
        return []
    if isinstance(value, str):
        if comma_split:
            return [p.strip() for p in value.split(",") if p.strip()]
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if type(item) is not str:
                if (
                    isinstance(item, list)
                    and len(item) == 1
                    and isinstance(item[0], list)
                    and len(item[0]) == 1
                ):
                    item = f"[[{item[0][0]}]]"  # unquoted [[X]] in YAML is a nested flow list
                if not isinstance(item, str | int | float) or isinstance(item, bool):
                    continue
                item = str(item)
            text = item.strip()
            if text:
                out.append(text)
        return out
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    return []


def link_target(text: str) -> tuple[str, bool]:
    """`"[[Jane Doe|Jane]]"` -> ("Jane Doe", True); plain text -> (text, False). Subpaths are dropped."""
    m = _WIKILINK.match(text)
    if m is None:
        return text.strip(), False
    inner = m.group(1).replace("\\|", "|")
    target = inner.split("|", 1)[0].split("#", 1)[0].strip()
    return target, True
