"""Commands for capture and interop: init, add person, log, import, export, people, git-setup.

``register(cli)`` adds them to the main click group (vaultkit.cli calls it). Each command parses its
arguments, calls one library function in :mod:`vaultkit.interop` and prints; refusals exit 1 with the
library's message, which names the file (and line) concerned.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from vaultkit.interop import InteropError

OUT_OPT = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of printing (a file vaultkit did not write is never overwritten).",
)
DRY_RUN_OPT = click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn a library refusal into `Error: <message>` and exit status 1."""
    try:
        yield
    except InteropError as exc:
        raise click.ClickException(exc.message) from None


def _group(cli: click.Group, name: str, help_text: str) -> click.Group:
    existing = cli.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    group = click.Group(name, help=help_text)
    cli.add_command(group)
    return group


def _print_import(result: Any) -> None:
    plan = result.plan
    for item in plan.items:
        c = item.contact
        where = f"line {c.line}"
        if item.action == "create":
            click.echo(f"create  {item.path}  ({where})")
        elif item.action == "match":
            adds = f"; would add {'; '.join(item.would_add)}" if item.would_add else ""
            click.echo(f"match   {item.path}  ({where}, {item.reason}): not changed{adds}")
        else:
            click.echo(f"skip    {where} {c.name!r}: {item.reason}")
    for name, path in plan.orgs:
        click.echo(f"create  {path}  (org {name!r})")
    for problem in plan.problems:
        click.echo(str(problem), err=True)
    for failure in result.failed:
        click.echo(f"failed: {failure}", err=True)
    from vaultkit.render import plural

    matched, skipped = plan.count("match"), plan.count("skip") + plan.bad_rows
    if result.dry_run:
        people, orgs = plan.count("create"), len(plan.orgs)
    else:
        org_paths = {path for _name, path in plan.orgs}
        people = sum(path not in org_paths for path in result.created)
        orgs = len(result.created) - people
    made = plural(people, "person") + (f" and {plural(orgs, 'org note')}" if orgs else "")
    counts = f"{matched} matched; {skipped} skipped"
    if result.dry_run:
        click.echo(f"dry run: would create {made}; {counts}; nothing written")
    else:
        failed = f"; {len(result.failed)} failed" if result.failed else ""
        click.echo(f"created {made}; {counts}{failed}")


def _run_import(vault: Path, parse: Callable[[], Any], dry_run: bool, create_orgs: bool) -> None:
    from vaultkit.interop.capture import load_or_refuse
    from vaultkit.interop.contacts import ImportResult, apply_import, plan_import

    with _refusals():
        loaded = load_or_refuse(vault)
        plan = plan_import(loaded, parse(), create_orgs=create_orgs)
        result = ImportResult(plan, True) if dry_run else apply_import(loaded, plan, dt.date.today())
    _print_import(result)
    if result.failed:
        sys.exit(1)


def register(cli: click.Group) -> None:
    """Add the capture and interop commands to ``cli``."""
    from vaultkit.cli import JSON_OPT, VAULT_ARG, as_date, print_json, today_option, vault_option

    @cli.command("init")
    @click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
    def init_command(path: Path) -> None:
        """Make PATH (default: here) a vault: folders, a commented vaultkit.toml, a welcome note.

        Files that already exist are never touched; each is listed as kept.

        \b
        Example:
          vaultkit init ~/Notes
        """
        from vaultkit.interop.capture import init_vault

        with _refusals():
            result = init_vault(path)
        for rel in result.created:
            click.echo(f"created {rel}")
        for rel in result.kept:
            click.echo(f"kept    {rel} (already there; not changed)")
        click.echo(f"vault ready in {result.root}: add people with `vaultkit add person`")

    add = _group(cli, "add", "Add a new note.")

    @add.command("person")
    @click.argument("name")
    @vault_option
    @click.option("--org", help="Company or organisation (linked as [[ORG]]).")
    @click.option("--role", help="Their role or title.")
    @click.option("--in", "location", help="Where they live or work, e.g. Lisbon.")
    @click.option("--cadence", help="Keep in touch every: 30d, 2w, 3m, monthly, quarterly, none.")
    @click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
    @click.option("--email", "emails", multiple=True, help="An e-mail address (repeatable).")
    @click.option("--linkedin", help="LinkedIn profile URL.")
    @today_option
    def add_person_command(
        name: str, vault: Path, org: str | None, role: str | None, location: str | None,
        cadence: str | None, tags: tuple[str, ...], emails: tuple[str, ...], linkedin: str | None,
        today: dt.datetime | None,
    ) -> None:  # fmt: skip
        """Create a person note for NAME in the people folder (never over an existing note).

        \b
        Example:
          vaultkit add person "Jane Doe" --org "Acme Corp" --cadence 30d --email jane@acme.example
        """
        from vaultkit.interop.capture import add_person

        with _refusals():
            made = add_person(vault, name, today=as_date(today), org=org, role=role, location=location,
                              cadence=cadence, tags=tags, emails=emails, linkedin=linkedin)  # fmt: skip
        click.echo(f"created {made.path}")
        for note in made.notes:
            click.echo(f"note: {note}", err=True)

    @cli.command("log")
    @click.argument("people", nargs=-1, required=True)
    @vault_option
    @click.option(
        "--kind", default="meeting", show_default=True, help="coffee, call, meeting, email, intro..."
    )
    @click.option("--date", "date", help="When it happened (YYYY-MM-DD). Default: today.")
    @click.option("--note", help="Text for the note's body.")
    @click.option(
        "--follow-up", "follow_up", help="Get back to them on this date (YYYY-MM-DD) or after 2w, 10d."
    )
    @click.option("--title", help="Name the note '<date> TITLE' instead of '<date> <Kind> with <names>'.")
    @click.option("--create", is_flag=True, help="Create a person note for each unknown name.")
    @today_option
    def log_command(
        people: tuple[str, ...], vault: Path, kind: str, date: str | None, note: str | None,
        follow_up: str | None, title: str | None, create: bool, today: dt.datetime | None,
    ) -> None:  # fmt: skip
        """Record an interaction with PEOPLE (by name, alias or unique prefix, any case).

        \b
        Example:
          vaultkit log jane "Bob Li" --kind coffee --note "Talked about hiring" --follow-up 2w
        """
        from vaultkit.interop.capture import log_interaction

        with _refusals():
            logged = log_interaction(vault, people, today=as_date(today), kind=kind, date=date, note=note,
                                     follow_up=follow_up, title=title, create=create)  # fmt: skip
        for path in logged.created_people:
            click.echo(f"created {path}")
        click.echo(f"created {logged.path}")

    import_group = _group(cli, "import", "Import contacts into person notes (never changes existing notes).")

    @import_group.command("linkedin")
    @click.argument("csv_file", metavar="CONNECTIONS.CSV", type=click.Path(dir_okay=False, path_type=Path))
    @vault_option
    @DRY_RUN_OPT
    def import_linkedin_command(csv_file: Path, vault: Path, dry_run: bool) -> None:
        """Import LinkedIn's Connections.csv: person notes (met_on, linkedin) and org notes for companies.

        Existing people are matched by e-mail, LinkedIn URL, then name, and reported, never changed.

        \b
        Example:
          vaultkit import linkedin ~/Downloads/Connections.csv --vault ~/Notes --dry-run
        """
        from vaultkit.interop.linkedin import read_linkedin

        _run_import(vault, lambda: read_linkedin(csv_file), dry_run, create_orgs=True)

    @import_group.command("vcard")
    @click.argument("vcf_file", metavar="FILE.VCF", type=click.Path(dir_okay=False, path_type=Path))
    @vault_option
    @DRY_RUN_OPT
    @click.option("--encoding", help="The file's text encoding when it is not UTF-8, e.g. windows-1251.")
    def import_vcard_command(vcf_file: Path, vault: Path, dry_run: bool, encoding: str | None) -> None:
        """Import vCards (2.1, 3.0, 4.0): names, emails, phones, org, title, birthday, notes, categories.

        Existing people are matched by e-mail, LinkedIn URL, then name, and reported, never changed.

        \b
        Example:
          vaultkit import vcard contacts.vcf --vault ~/Notes --dry-run
        """
        from vaultkit.interop.vcard import read_vcard

        _run_import(vault, lambda: read_vcard(vcf_file, encoding), dry_run, create_orgs=False)

    export_group = _group(cli, "export", "Export people and the agenda for other apps.")

    @export_group.command("vcard")
    @VAULT_ARG
    @OUT_OPT
    def export_vcard_command(vault: Path, out: Path | None) -> None:
        """Every person as vCard 4.0 (to import into a phone or address book).

        \b
        Example:
          vaultkit export vcard ~/Notes --out ~/contacts.vcf
        """
        from vaultkit.interop.capture import load_or_refuse
        from vaultkit.interop.output import write_export
        from vaultkit.interop.vcard import PRODID, export_vcards

        with _refusals():
            loaded = load_or_refuse(vault)
            data = export_vcards(loaded).encode("utf-8")
            if out is None:
                click.echo(data, nl=False)
                return
            changed = write_export(out, data, PRODID)
        count = len(loaded.vault.people)
        click.echo(
            f"{'wrote' if changed else 'unchanged'} {out} ({count} {'person' if count == 1 else 'people'})"
        )

    @export_group.command("ics")
    @VAULT_ARG
    @OUT_OPT
    @today_option
    def export_ics_command(vault: Path, out: Path | None, today: dt.datetime | None) -> None:
        """An iCalendar file of follow-ups, dated promises, birthdays and mentorship check-ins.

        Subscribe to it from a synced folder; stable UIDs make calendars update events, not duplicate them.

        \b
        Example:
          vaultkit export ics ~/Notes --out ~/Dropbox/vaultkit.ics
        """
        from vaultkit.interop.capture import load_or_refuse
        from vaultkit.interop.ics import PRODID, export_ics
        from vaultkit.interop.output import write_export

        with _refusals():
            loaded = load_or_refuse(vault)
            data = export_ics(loaded, as_date(today))
            if out is None:
                click.echo(data, nl=False)
                return
            changed = write_export(out, data, PRODID)
        click.echo(f"{'wrote' if changed else 'unchanged'} {out}")

    @cli.command("people")
    @VAULT_ARG
    @click.option("--tag", "tags", multiple=True, help="Only people with this tag (repeatable: all of them).")
    @click.option("--org", help="Only people whose org contains this (any case).")
    @click.option("--in", "place", help="Only people whose location contains this, e.g. Lisbon.")
    @today_option
    @JSON_OPT
    def people_command(
        vault: Path, tags: tuple[str, ...], org: str | None, place: str | None, today: dt.datetime | None,
        as_json: bool,
    ) -> None:  # fmt: skip
        """List people, optionally filtered by tag, org or place ("who's in Lisbon").

        \b
        Example:
          vaultkit people ~/Notes --in Lisbon --tag python
        """
        from vaultkit.interop.capture import load_or_refuse
        from vaultkit.interop.people import list_people

        with _refusals():
            loaded = load_or_refuse(vault)
        rows = list_people(loaded.vault, as_date(today), tags=tags, org=org, place=place)
        if as_json:
            print_json([r.to_json() for r in rows])
            return
        for r in rows:
            bits = [r.name, r.org, r.role, r.location, " ".join(f"#{t}" for t in r.tags)]
            last = f"last contact {r.last_contact.isoformat()}" if r.last_contact else "no contact yet"
            click.echo(" · ".join(b for b in bits if b) + f" · {last}")
        click.echo(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}")

    @cli.command("git-setup")
    @VAULT_ARG
    @click.option(
        "--print-hook",
        type=click.Choice(["post-merge", "post-checkout", "post-rewrite"]),
        help="Only print the lines vaultkit adds to this hook (to add them by hand).",
    )
    def git_setup_command(vault: Path, print_hook: str | None) -> None:
        """Make a git-synced vault merge cleanly: no cache in git, no conflicts in Agenda/, rebuilds on pull.

        Idempotent; never overwrites your hooks (appends to shell hooks, or says what to add by hand).

        \b
        Example:
          vaultkit git-setup ~/Notes
        """
        from vaultkit.config import load_config
        from vaultkit.interop.gitsetup import git_setup, hook_block

        with _refusals():
            if print_hook:
                click.echo(hook_block(vault, print_hook), nl=False)
                return
            if not vault.is_dir():
                raise InteropError(f"{vault}: not a folder")
            config, _problems = load_config(vault)  # the notes themselves are not needed here
            result = git_setup(vault, config.folders.output)
        for step in result.steps:
            click.echo(f"{step.status:<9} {step.target}: {step.explain}")
        if result.changed:
            click.echo("Commit .gitignore and .gitattributes. Run `vaultkit git-setup` once in every clone: "
                       "git does not copy hooks or merge drivers.")  # fmt: skip
        else:
            click.echo("Nothing to change: already set up.")
        if result.refused:
            sys.exit(1)
