"""Commands for introductions, mentorship and briefings: `intros`, `mentors`, `prep`.

`register(cli)` adds them to the main click group. Each command loads the vault, calls one library function
and prints text, or JSON with `--json`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from vaultkit.load import Loaded
    from vaultkit.model import Vault

Row = dict[str, Any]


def _load(vault: Path, as_json: bool) -> Loaded:
    from vaultkit.cli import load_or_fail

    return load_or_fail(vault, show_progress=not as_json)


def _person(vault: Vault, query: str) -> str:
    from vaultkit.insights.prep import PersonNotFound, find_person

    try:
        return find_person(vault, query)
    except PersonNotFound as exc:
        raise click.ClickException(str(exc)) from None


def _heading(title: str) -> None:
    click.secho(title, bold=True, underline=True)
    click.echo()


def _section(title: str, lines: list[str], empty: str = "none", count: int | str | None = -1) -> None:
    """A titled block; the title shows `count` (default: the number of lines; None: no count)."""
    shown = len(lines) if count == -1 else count
    click.secho(title if shown is None else f"{title} ({shown})", bold=True)
    for line in lines:
        click.echo(f"  {line}")
    if not lines:
        click.secho(f"  {empty}", dim=True)
    click.echo()


def _print_intros(rows: list[Row], check_ins: list[Row], today: dt.date) -> None:
    _heading(f"Introductions as of {today.isoformat()}")
    lines = []
    for r in rows:
        lines.append(f"{r['score']:5.2f}  {r['a']} + {r['b']}")
        lines.extend(f"       {reason}" for reason in r["reasons"])
    _section("Suggested introductions", lines, "no suggestions", len(rows))
    if check_ins:
        _section(
            "How did the intro go?",
            [
                f"{' and '.join(c['people'])}: introduced {c['date']} ({c['days_ago']} days ago)"
                for c in check_ins
            ],
        )


def _mentoring_line(r: Row) -> str:
    late = r["days_overdue"]
    when = f"{late} days overdue" if late > 0 else "due today" if late == 0 else f"due {r['next_due']}"
    last = f"last check-in {r['last_check_in']}" if r["last_check_in"] else "no check-in yet"
    return f"{r['person']}: {when} ({last}, cadence {r['cadence']})"


def _print_mentors(data: dict[str, list[Row]], today: dt.date) -> None:
    _heading(f"Mentorship as of {today.isoformat()}")
    _section("Progress updates I owe", [_mentoring_line(r) for r in data["updates_owed"]])
    _section("My mentors", [_mentoring_line(r) for r in data["mentors"]])
    _section("My mentees", [_mentoring_line(r) for r in data["mentees"]])
    _section(
        "Potential mentors for my goals",
        [
            f"{r['person']}: offers {r['offer']} (goal: {r['goal']}; {r['warmth_label']})"
            for r in data["potential_mentors"]
        ],
    )
    _section(
        "People I could help",
        [
            f"{r['person']}: needs {r['need']} (I offer {r['offer']}; {r['warmth_label']})"
            for r in data["could_help"]
        ],
    )


def _print_prep(d: Row, today: dt.date) -> None:
    _heading(f"{d['person']} (as of {today.isoformat()})")
    about = [
        f"{label}: {value}"
        for label, value in (
            ("Org", d["org"]),
            ("Role", d["role"]),
            ("Location", d["location"]),
            ("How we met", " on ".join(x for x in (d["how_met"], d["met_on"]) if x) or None),
            ("Relationship", ", ".join(d["relationship"]) or None),
            ("Last contact", f"{d['last_contact']} ({d['warmth_label']})" if d["last_contact"] else "never"),
        )
        if value
    ]
    _section("Who", about, count=None)
    seen = []
    for i in d["interactions"]:
        extra = "".join(f"; gave {g}" for g in i["gave"]) + "".join(f"; received {g}" for g in i["received"])
        kind = f" ({i['kind']})" if i["kind"] else ""
        seen.append(f"{i['date'] or 'undated'}  {i['name']}{kind}{extra}")
        if i["summary"]:
            seen.append(f"    {i['summary']}")
    shown = len(d["interactions"])
    _section("Last interactions", seen, count=f"{shown} of {d['interaction_count']}")
    _section("I promised", [f"{p['due'] or 'no date'}  {p['text']}" for p in d["i_owe"]])
    _section("They promised", [f"{p['due'] or 'no date'}  {p['text']}" for p in d["they_owe"]])
    _section("Needs", list(d["needs"]))
    _section("Offers", list(d["offers"]))
    talk = [f"#{t}" for t in d["tags"]] + [f"{m['date']}: {m['what']}" for m in d["milestones"]]
    _section("To talk about", talk, count=None)
    _section("Mutual connections", list(d["mutual"]), count=f"{len(d['mutual'])} of {d['mutual_count']}")
    _section("Intros I could make", [f"{r['a']} + {r['b']}: {'; '.join(r['reasons'])}" for r in d["intros"]])


def _print_giving(data: dict[str, list[Row]], today: dt.date) -> None:
    _heading(f"Giving back as of {today.isoformat()}")
    _section(
        "Help given and received",
        [f"{r['person']}: gave {r['given']}, received {r['received']}" for r in data["reciprocity"]],
    )
    _section(
        "Helped me; not helped back yet",
        [f"{o['person']}: {o['received']['what']} ({o['days_ago']} days ago)" for o in data["owe_back"]],
    )
    _section(
        "Resources to share",
        [
            f"{r['resource']}: " + ", ".join(f"{w['person']} ({w['topic']})" for w in r["people"])
            for r in data["resources"]
        ],
    )


def _print_network(data: dict[str, Any], today: dt.date) -> None:
    _heading(f"Network as of {today.isoformat()}")
    for key in ("people", "orgs", "events", "interactions_this_year", "with_cadence", "on_time"):
        click.echo(f"  {key.replace('_', ' ')}: {data[key]}")
    click.echo()
    for key in ("by_org", "by_tag"):
        _section(key.replace("_", " "), [f"{r['label']}: {r['count']}" for r in data[key]])


def register(cli: click.Group) -> None:
    """Add `intros`, `mentors` and `prep` to the `cli` group."""
    from vaultkit.cli import JSON_OPT, VAULT_ARG, as_date, print_json, today_option, vault_option

    @cli.command()
    @VAULT_ARG
    @JSON_OPT
    @today_option
    @click.option("--for", "for_person", metavar="PERSON", help="Only introductions for this person.")
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N suggestions.")
    def intros(
        vault: Path, as_json: bool, today: dt.datetime | None, for_person: str | None, limit: int | None
    ) -> None:
        """Suggest introductions between people who would gain from knowing each other.

        Pairs whose needs and offers meet, or who share interests, and who do not know each other yet;
        people you are in touch with come first. JSON: a list of {a, b, score, reasons}, best first.

        \b
        Example:
          vaultkit intros ~/Notes --for "Jane Doe" --limit 5
        """
        from vaultkit.insights.intros import check_ins_json, intro_check_ins, intros_json, suggest_intros

        loaded = _load(vault, as_json)
        day = as_date(today)
        path = _person(loaded.vault, for_person) if for_person else None
        rows = intros_json(loaded.vault, suggest_intros(loaded.vault, day, for_person=path, limit=limit))
        if as_json:
            print_json(rows)
            return
        check_ins = [] if path else check_ins_json(loaded.vault, intro_check_ins(loaded.vault, day))
        _print_intros(rows, check_ins, day)

    @cli.command()
    @VAULT_ARG
    @JSON_OPT
    @today_option
    def mentors(vault: Path, as_json: bool, today: dt.datetime | None) -> None:
        """Show mentors and mentees, updates I owe, potential mentors and people I could help.

        \b
        Example:
          vaultkit mentors ~/Notes --json
        """
        from vaultkit.insights.mentorship import mentorship, mentorship_json

        loaded = _load(vault, as_json)
        day = as_date(today)
        data = mentorship_json(loaded.vault, mentorship(loaded.vault, day))
        if as_json:
            print_json(data)
        else:
            _print_mentors(data, day)

    @cli.command()
    @click.argument("person")
    @vault_option
    @JSON_OPT
    @today_option
    def prep(person: str, vault: Path, as_json: bool, today: dt.datetime | None) -> None:
        """Brief me before meeting PERSON (a name, an alias or a unique prefix).

        \b
        Example:
          vaultkit prep jane --vault ~/Notes
        """
        from vaultkit.insights.prep import PersonNotFound, prep_json
        from vaultkit.insights.prep import prep as briefing

        loaded = _load(vault, as_json)
        day = as_date(today)
        try:
            data = prep_json(loaded.vault, briefing(loaded.vault, person, day))
        except PersonNotFound as exc:
            raise click.ClickException(str(exc)) from None
        if as_json:
            print_json(data)
        else:
            _print_prep(data, day)

    @cli.command()
    @VAULT_ARG
    @JSON_OPT
    @today_option
    def giving(vault: Path, as_json: bool, today: dt.datetime | None) -> None:
        """Show help given and received, whom I owe help, and resources to share with whom.

        \b
        Example:
          vaultkit giving ~/Notes --json
        """
        from vaultkit.insights.giving import giving as giving_report
        from vaultkit.insights.giving import giving_json

        loaded = _load(vault, as_json)
        day = as_date(today)
        data = giving_json(loaded.vault, giving_report(loaded.vault, day))
        if as_json:
            print_json(data)
        else:
            _print_giving(data, day)

    @cli.command()
    @VAULT_ARG
    @JSON_OPT
    @today_option
    def network(vault: Path, as_json: bool, today: dt.datetime | None) -> None:
        """Show the network at a glance: counts, on-time share, people by org and tag, busiest months.

        \b
        Example:
          vaultkit network ~/Notes --json
        """
        from vaultkit.insights.network import network as network_report
        from vaultkit.insights.network import network_json

        loaded = _load(vault, as_json)
        day = as_date(today)
        data = network_json(loaded.vault, network_report(loaded.vault, day))
        if as_json:
            print_json(data)
        else:
            _print_network(data, day)
