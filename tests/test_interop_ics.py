"""`vaultkit export ics`: events, stable UIDs, deterministic bytes, validated by parsing back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import icalendar
import pytest
from click.testing import CliRunner, Result

from vaultkit.cli_interop import register
from vaultkit.interop.capture import init_vault
from vaultkit.interop.ics import export_ics
from vaultkit.load import load_vault

TODAY = dt.date(2026, 11, 25)
NOTES = {
    "people/Ann Overdue.md": "---\ncadence: 30d\nbirthday: 1988-04-12\n---\n",
    "people/Ben Soon.md": "---\ncadence: 2w\nbirthday: --02-29\n---\n",
    "people/Cleo Never.md": "---\ncadence: monthly\n---\n",
    "people/Dan Snoozed.md": "---\ncadence: 7d\nsnooze_until: 2026-12-15\nlast_contact: 2026-11-01\n---\n",
    "people/Mia Mentor.md": "---\nrelationship: [mentor]\ncadence: 30d\nmentorship: {since: 2026-01-10, goals: [become a manager]}\n---\n",
    "people/Ned Mentee.md": "---\nrelationship: mentee\n---\n",
    "people/Bob]] Evil.md": "---\nname: 'Bob]] [[Evil|x, y; z'\nbirthday: 1990-01-02\n---\n",
    "interactions/2026/2026-10-01 Coffee with Ann.md": "---\ndate: 2026-10-01\nwith: ['[[Ann Overdue]]']\n---\n",
    "interactions/2026/2026-11-20 Call with Ben.md": (
        "---\ndate: 2026-11-20\nwith: ['[[Ben Soon]]', '[[Mia Mentor]]']\nfollow_up: 2026-12-01\n---\n"
        "- [ ] Send [[Ben Soon|Ben]] the deck 📅 2026-11-28\n"
        "- [ ] Send [[Ben Soon|Ben]] the deck 📅 2026-12-28\n"
        "- [x] Done already 📅 2026-11-10\n"
        "- [ ] No date\n"
        "- [ ] Late one 📅 2026-11-01\n"
    ),
}


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = init_vault(tmp_path / "vault").root
    for rel, text in NOTES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def events(data: bytes) -> dict[str, icalendar.cal.Component]:
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and "vaultkit" in str(cal["PRODID"])
    found: dict[str, icalendar.cal.Component] = {}
    for e in cal.walk("VEVENT"):
        summary = str(e["SUMMARY"])
        found[summary if summary not in found else summary + " #2"] = e
    return found


def test_calendar_content(vault: Path) -> None:
    loaded = load_vault(vault)
    assert loaded.diagnostics == ()
    found = events(export_ics(loaded, TODAY))
    day = {summary: e.decoded("DTSTART") for summary, e in found.items()}
    assert day["Get in touch: Ann Overdue (overdue since 2026-10-31)"] == TODAY
    assert day["Get in touch: Ben Soon"] == dt.date(2026, 12, 4)
    assert day["Get in touch: Cleo Never"] == TODAY
    assert day["Get in touch: Dan Snoozed"] == dt.date(2026, 12, 15)
    assert day["Mentorship check-in: Mia Mentor (my mentor)"] == dt.date(2026, 12, 20)
    assert day["Mentorship check-in: Ned Mentee (my mentee)"] == TODAY
    assert not any(s.startswith("Get in touch: Mia") for s in found)  # the check-in replaces the follow-up
    assert {day["Send Ben the deck (Ben Soon)"], day["Send Ben the deck (Ben Soon) #2"]} == {
        dt.date(2026, 11, 28), dt.date(2026, 12, 28),
    }  # fmt: skip
    assert day["Late one (Ben Soon, Mia Mentor) (overdue since 2026-11-01)"] == TODAY
    assert day["Follow up: 2026-11-20 Call with Ben (Ben Soon, Mia Mentor)"] == dt.date(2026, 12, 1)
    assert not any("Done already" in s or "No date" in s for s in found)
    ann = found["Birthday: Ann Overdue"]
    assert ann.decoded("DTSTART") == dt.date(1988, 4, 12) and ann.decoded("RRULE")["FREQ"] == ["YEARLY"]
    ben = found["Birthday: Ben Soon"]
    assert ben.decoded("DTSTART") == dt.date(2000, 2, 29)
    assert ben.decoded("RRULE")["BYMONTH"] == [2] and ben.decoded("RRULE")["BYMONTHDAY"] == [-1]
    assert "Birthday: Bob]] [[Evil|x, y; z" in found  # the true name, escaped by icalendar
    for e in found.values():
        assert e.decoded("DTEND") == e.decoded("DTSTART") + dt.timedelta(days=1)
        assert e.decoded("DTSTAMP") == dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
        assert str(e["UID"]).endswith("@vaultkit") and e["TRANSP"] == "TRANSPARENT"
    assert len({str(e["UID"]) for e in found.values()}) == len(found)


def test_bytes_are_deterministic_and_uids_stable(vault: Path) -> None:
    loaded = load_vault(vault)
    first = export_ics(loaded, TODAY)
    assert first == export_ics(load_vault(vault), TODAY)
    assert b"\r\n" in first and all(len(line) <= 75 for line in first.split(b"\r\n"))
    uids = {s.split(" (overdue")[0]: str(e["UID"]) for s, e in events(first).items()}
    later = {str(e["UID"]) for e in events(export_ics(loaded, TODAY.replace(day=30))).values()}
    assert {str(e["UID"]) for e in events(first).values()} == later  # same UIDs: calendars update events
    note = vault / "interactions/2026/2026-11-20 Call with Ben.md"
    note.write_text(note.read_text(encoding="utf-8").replace("2026-11-01", "2026-11-02"), encoding="utf-8")
    moved = events(export_ics(load_vault(vault), TODAY))
    assert (
        str(moved["Late one (Ben Soon, Mia Mentor) (overdue since 2026-11-02)"]["UID"])
        == uids["Late one (Ben Soon, Mia Mentor)"]
    )


def test_cli_out_file(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "vaultkit.ics"
    result = run("export", "ics", vault, "--today", "2026-11-25", "--out", out)
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    assert out.read_bytes() == export_ics(load_vault(vault), TODAY)
    assert f"unchanged {out}" in run("export", "ics", vault, "--today", "2026-11-25", "--out", out).output
    printed = run("export", "ics", vault, "--today", "2026-11-25")
    assert printed.stdout_bytes == out.read_bytes()
    foreign = tmp_path / "calendar.ics"
    foreign.write_text("BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    refused = run("export", "ics", vault, "--out", foreign)
    assert refused.exit_code == 1 and f"{foreign}: exists and was not written by vaultkit" in refused.output
    folder = run("export", "ics", vault, "--out", tmp_path)
    assert folder.exit_code != 0


def test_missing_vault(tmp_path: Path) -> None:
    result = run("export", "ics", tmp_path / "nope")
    assert result.exit_code == 1 and "not a folder" in result.output
