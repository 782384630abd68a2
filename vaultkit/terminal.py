"""Readable, grouped terminal output (coloured only when click says the stream is a terminal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

Row = dict[str, Any]


def _section(title: str, rows: list[Row], line: Callable[[Row], str]) -> None:
    click.secho(f"{title} ({len(rows)})", bold=True)
    for row in rows:
        click.echo(f"  {line(row)}")
    if not rows:
        click.secho("  none", dim=True)
    click.echo()


def _follow_up(r: Row) -> str:
    if r["never_contacted"]:
        return f"{r['person']}: never contacted (cadence {r['cadence']})"
    late = r["days_overdue"]
    when = "due today" if late == 0 else click.style(f"{late} days overdue", fg="red")
    return f"{r['person']}: {when}, last contact {r['last_contact']}"


def _task(r: Row) -> str:
    people = f" ({', '.join(r['people'])})" if r["people"] else ""
    where = f"{r['path']}:{r['line']}" if r["line"] else r["path"]
    return f"{r['due']}  {r['text']}{people}  " + click.style(where, dim=True)


def print_agenda(data: dict[str, list[Row]], today: dt.date) -> None:
    click.secho(f"Agenda as of {today.isoformat()}", bold=True, underline=True)
    click.echo()
    _section("Keep in touch", data["follow_ups"], _follow_up)
    _section("Promises", data["tasks"], _task)
    _section("Birthdays", data["birthdays"], lambda r: f"{r['date']}  {r['person']}")
    _section("Congratulate", data["congratulate"], lambda r: f"{r['person']}: {r['what']} ({r['date']})")
    _section(
        "After events", data["after_events"], lambda r: f"{r['person']}: met at {r['event']} ({r['date']})"
    )
    _section(
        "Drifting",
        data["drifting"],
        lambda r: (
            f"{r['person']}: last contact {r['last_contact']}, usually every {r['usual_gap_days']} days"
        ),
    )
