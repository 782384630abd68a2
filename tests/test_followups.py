"""The follow-up agenda, rule by rule, at its edges. Tiny vaults in tmp_path, an explicit today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import TODAY, VaultFactory
from vaultkit.insights.followups import agenda_json, compute_agenda
from vaultkit.load import load_vault


def agenda(root: Path, today: dt.date = TODAY) -> dict:
    return agenda_json(load_vault(root).vault, compute_agenda(load_vault(root).vault, today))


def interaction(date: str, *people: str, kind: str = "coffee", extra: str = "", body: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\nkind: {kind}\n{extra}---\n{body}\n"


def names(rows: list[dict]) -> list[str]:
    return [r["person"] for r in rows]


def test_due_today_is_listed_with_zero_days(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 30d\n---\n",
            "interactions/a.md": interaction("2026-10-26", "Ann"),
        }
    )
    rows = agenda(root)["follow_ups"]
    assert rows == [
        {
            "person": "Ann",
            "due": "2026-11-25",
            "last_contact": "2026-10-26",
            "days_overdue": 0,
            "never_contacted": False,
            "cadence": "30d",
            "last_contact_note": "interactions/a.md",
        }
    ]


def test_due_tomorrow_is_not_listed(make_vault: VaultFactory) -> None:
    root = make_vault(
        {"people/Ann.md": "---\ncadence: 30d\n---\n", "interactions/a.md": interaction("2026-10-27", "Ann")}
    )
    assert agenda(root)["follow_ups"] == []


def test_most_overdue_first(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 2w\n---\n",
            "people/Bob.md": "---\ncadence: weekly\n---\n",
            "interactions/a.md": interaction("2026-11-01", "Ann"),
            "interactions/b.md": interaction("2026-10-01", "Bob"),
        }
    )
    rows = agenda(root)["follow_ups"]
    assert names(rows) == ["Bob", "Ann"]
    assert [r["days_overdue"] for r in rows] == [48, 10]


def test_calendar_months_at_month_end(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: monthly\n---\n",
            "interactions/a.md": interaction("2026-01-31", "Ann"),
        }
    )
    rows = agenda(root, dt.date(2026, 2, 28))["follow_ups"]
    assert rows[0]["due"] == "2026-02-28" and rows[0]["days_overdue"] == 0
    assert agenda(root, dt.date(2026, 2, 27))["follow_ups"] == []


def test_quarterly_from_leap_day(make_vault: VaultFactory) -> None:
    root = make_vault(
        {"people/Ann.md": "---\ncadence: 12m\n---\n", "interactions/a.md": interaction("2024-02-29", "Ann")}
    )
    assert agenda(root, dt.date(2025, 2, 28))["follow_ups"][0]["due"] == "2025-02-28"


def test_never_contacted_listed_after_overdue(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Zed.md": "---\ncadence: 30d\n---\n",
            "people/Ann.md": "---\ncadence: 7d\n---\n",
            "interactions/a.md": interaction("2026-11-01", "Ann"),
        }
    )
    rows = agenda(root)["follow_ups"]
    assert names(rows) == ["Ann", "Zed"]
    assert rows[1]["never_contacted"] is True and rows[1]["due"] is None


def test_alias_and_lower_case_links_count(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Jane Doe.md": "---\naliases: [Janie]\ncadence: 30d\n---\n",
            "people/Bob Li.md": "---\ncadence: 30d\n---\n",
            "interactions/a.md": interaction("2026-11-20", "Janie"),
            "interactions/b.md": interaction("2026-11-21", "bob li"),
        }
    )
    assert agenda(root)["follow_ups"] == []


def test_contact_only_in_a_daily_note(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 30d\n---\n",
            "daily/2026-11-20.md": "Ran into [[Ann]] at the station.\n",
            "journal/2026-11-01.md": "A daily note outside daily/: [[Ann]]\n",
        }
    )
    assert agenda(root)["follow_ups"] == []
    assert agenda(root, dt.date(2026, 12, 20))["follow_ups"][0]["last_contact"] == "2026-11-20"


def test_manual_last_contact_newer_than_any_note(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 30d\nlast_contact: 2026-11-10\n---\n",
            "interactions/a.md": interaction("2026-01-01", "Ann"),
        }
    )
    assert agenda(root)["follow_ups"] == []
    rows = agenda(root, dt.date(2026, 12, 15))["follow_ups"]
    assert rows[0]["last_contact"] == "2026-11-10" and rows[0]["last_contact_note"] == "people/Ann.md"


def test_snoozed_hidden_until_the_date(make_vault: VaultFactory) -> None:
    root = make_vault({"people/Ann.md": "---\ncadence: 7d\nsnooze_until: 2026-12-01\n---\n"})
    assert agenda(root)["follow_ups"] == []
    assert names(agenda(root, dt.date(2026, 12, 1))["follow_ups"]) == ["Ann"]


def test_datetime_with_offset_counts_on_its_own_date(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 1d\n---\n",
            "interactions/a.md": interaction("2026-11-24T23:30:00-08:00", "Ann"),
        }
    )
    rows = agenda(root)["follow_ups"]
    assert rows[0]["last_contact"] == "2026-11-24" and rows[0]["days_overdue"] == 0


def test_future_interaction_is_not_a_contact(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: 7d\n---\n",
            "interactions/a.md": interaction("2026-11-01", "Ann"),
            "interactions/b.md": interaction("2026-12-01", "Ann"),
        }
    )
    assert agenda(root)["follow_ups"][0]["last_contact"] == "2026-11-01"


def test_promises_due_within_a_week_or_overdue(make_vault: VaultFactory) -> None:
    body = (
        "- [ ] Send [[Bob]] the deck 📅 2026-11-20\n"
        "- [ ] Book the venue 📅 2026-12-02\n"
        "- [ ] Next month 📅 2026-12-03\n"
        "- [x] Done already 📅 2026-11-21 ✅ 2026-11-21\n"
        "- [ ] Cancelled ❌ 2026-11-22 📅 2026-11-22\n"
        "- [-] Dropped 📅 2026-11-22\n"
        "- [ ] Dataview style [due:: 2026-11-26]\n"
    )
    root = make_vault(
        {
            "people/Ann.md": "---\n---\n",
            "people/Bob.md": "---\n---\n",
            "interactions/a.md": interaction("2026-11-19", "Ann", body=body),
        }
    )
    rows = agenda(root)["tasks"]
    assert [(r["text"], r["due"], r["people"], r["line"]) for r in rows] == [
        ("Send [[Bob]] the deck", "2026-11-20", ["Bob"], 6),
        ("Dataview style", "2026-11-26", ["Ann"], 12),
        ("Book the venue", "2026-12-02", ["Ann"], 7),
    ]
    assert rows[0]["path"] == "interactions/a.md"


def test_follow_up_date_is_a_promise_until_acted_on(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\n---\n",
            "interactions/a.md": interaction("2026-11-01", "Ann", extra="follow_up: 2026-11-20\n"),
        }
    )
    rows = agenda(root)["tasks"]
    assert rows[0]["due"] == "2026-11-20" and rows[0]["people"] == ["Ann"] and rows[0]["line"] == 5
    root2 = make_vault({"interactions/b.md": interaction("2026-11-10", "Ann")})
    assert agenda(root2)["tasks"] == []


def test_birthdays_next_two_weeks_no_year_and_leap_day(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\nbirthday: 1990-11-25\n---\n",
            "people/Bob.md": "---\nbirthday: --12-09\n---\n",
            "people/Cy.md": "---\nbirthday: --12-10\n---\n",
            "people/Leap.md": "---\nbirthday: 1996-02-29\n---\n",
        }
    )
    rows = agenda(root)["birthdays"]
    assert [(r["person"], r["date"], r["age"]) for r in rows] == [
        ("Ann", "2026-11-25", 36),
        ("Bob", "2026-12-09", None),
    ]
    leap = agenda(root, dt.date(2027, 2, 20))["birthdays"]
    assert [(r["person"], r["date"]) for r in leap] == [("Leap", "2027-02-28")]
    assert agenda(root, dt.date(2028, 2, 20))["birthdays"][0]["date"] == "2028-02-29"


def test_congratulate_recent_milestones_without_contact_since(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\nmilestones:\n  - {date: 2026-11-15, what: Promoted to CTO}\n---\n",
            "people/Bob.md": "---\nmilestones:\n  - {date: 2026-11-10, what: New job}\n---\n",
            "people/Old.md": "---\nmilestones:\n  - {date: 2026-10-25, what: Too old}\n---\n",
            "interactions/b.md": interaction("2026-11-10", "Bob"),
        }
    )
    assert agenda(root)["congratulate"] == [
        {"person": "Ann", "date": "2026-11-15", "what": "Promoted to CTO"}
    ]


def test_after_events_how_met_or_attendees(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "events/Meetup.md": '---\ndate: 2026-11-18\nattendees: ["[[Ann]]", "[[Bob]]"]\n---\n',
            "events/Old Conf.md": '---\ndate: 2026-10-01\nattendees: ["[[Cy]]"]\n---\n',
            "people/Ann.md": "---\n---\n",
            "people/Bob.md": "---\n---\n",
            "people/Cy.md": "---\n---\n",
            "people/Dee.md": '---\nhow_met: "[[Meetup]]"\n---\n',
            "interactions/b.md": interaction("2026-11-20", "Bob"),
        }
    )
    rows = agenda(root)["after_events"]
    assert [(r["person"], r["event"], r["date"]) for r in rows] == [
        ("Ann", "Meetup", "2026-11-18"),
        ("Dee", "Meetup", "2026-11-18"),
    ]


def test_drifting_silence_over_twice_the_median_gap(make_vault: VaultFactory) -> None:
    files = {"people/Ann.md": "---\n---\n", "people/Bob.md": "---\n---\n"}
    for i, day in enumerate(["2026-03-01", "2026-03-22", "2026-04-12", "2026-05-03", "2026-05-24"]):
        files[f"interactions/a{i}.md"] = interaction(day, "Ann")
    for i, day in enumerate(["2026-10-01", "2026-10-22", "2026-11-12", "2026-11-20"]):
        files[f"interactions/b{i}.md"] = interaction(day, "Bob")
    rows = agenda(make_vault(files))["drifting"]
    assert rows == [{"person": "Ann", "last_contact": "2026-05-24", "usual_gap_days": 21, "silent_days": 185}]
