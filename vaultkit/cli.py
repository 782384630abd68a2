"""The command line: each command parses its arguments, calls one library function and prints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultkit import __version__

if TYPE_CHECKING:
    from vaultkit.load import Loaded

VAULT_ARG = click.argument(
    "vault", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
JSON_OPT = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def vault_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--vault",
        default=".",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="The vault folder.",
    )(fn)


def today_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Compute as of this date (YYYY-MM-DD) instead of the real today.",
    )(fn)


def as_date(value: dt.datetime | None) -> dt.date:
    """The `--today` date (default: the real today). Years far outside a lifetime are refused: date
    arithmetic near year 1 or 9999 would overflow."""
    day = value.date() if value is not None else dt.date.today()
    if not 1900 <= day.year <= 9000:
        raise click.BadParameter(f"{day.isoformat()} is out of range (1900 to 9000)", param_hint="--today")
    return day


def print_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def fail(message: str) -> None:
    raise click.ClickException(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vaultkit")
def cli() -> None:
    """vaultkit: a personal CRM for professional relationships, in plain-text notes."""


@cli.command()
@VAULT_ARG
@JSON_OPT
def check(vault: Path, as_json: bool) -> None:
    """Report every problem in the vault as `path:line: severity: message`; exit 1 on errors.

    \b
    Example:
      vaultkit check ~/Notes
    """
    from vaultkit.diagnostics import has_errors

    loaded = load_or_fail(vault, show_progress=not as_json)
    diags = list(loaded.diagnostics)
    if as_json:
        print_json([d.to_json() for d in diags])
    else:
        for d in diags:
            click.echo(d.format())
        errors = sum(d.severity == "error" for d in diags)
        warnings = len(diags) - errors
        click.echo(
            f"{loaded.vault.note_count} note{'s' * (loaded.vault.note_count != 1)} read; "
            f"{errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
    if has_errors(diags):
        sys.exit(1)


def load_or_fail(vault: Path, *, show_progress: bool = True) -> Loaded:
    """Load the vault (a progress bar on stderr when it is a terminal and the parse is slow)."""
    from vaultkit.load import VaultNotFound, load_vault
    from vaultkit.progress import parse_progress

    try:
        with parse_progress(show_progress) as progress:
            return load_vault(vault, progress=progress)
    except VaultNotFound as exc:
        raise click.ClickException(str(exc)) from None


def _report(diags: Any) -> None:
    for d in diags:
        click.echo(d.format(), err=True)
    if diags:
        click.echo(f"{len(diags)} problem{'s' * (len(diags) != 1)} in notes (see `vaultkit check`)", err=True)


@cli.command()
@VAULT_ARG
@today_option
def build(vault: Path, today: dt.datetime | None) -> None:
    """Write the agenda pages into the vault's output folder (`Agenda/`).

    Problems in notes are reported and skipped; exits 1 only when a page could not be written.

    \b
    Example:
      vaultkit build ~/Notes --today 2026-11-25
    """
    from vaultkit.build import build as build_vault
    from vaultkit.load import VaultNotFound
    from vaultkit.progress import parse_progress

    try:
        with parse_progress(True) as progress:
            result = build_vault(vault, as_date(today), progress=progress)
    except VaultNotFound as exc:
        raise click.ClickException(str(exc)) from None
    _report(result.diagnostics)
    for e in result.page_errors:
        click.echo(e.format(), err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(result.written)} written, {len(result.unchanged)} unchanged")
    if not result.ok:
        sys.exit(1)


@cli.command()
@VAULT_ARG
@today_option
@JSON_OPT
def agenda(vault: Path, today: dt.datetime | None, as_json: bool) -> None:
    """Print the follow-up agenda: who to contact, promises, birthdays, congratulations.

    \b
    Example:
      vaultkit agenda ~/Notes --json
    """
    from vaultkit.insights.followups import agenda_json, compute_agenda
    from vaultkit.terminal import print_agenda

    loaded = load_or_fail(vault, show_progress=not as_json)
    data = agenda_json(loaded.vault, compute_agenda(loaded.vault, as_date(today)))
    if as_json:
        print_json(data)
    else:
        print_agenda(data, as_date(today))


# Command modules import the option helpers above, so they are registered here, below them.
from vaultkit.cli_giving import register as _register_giving  # noqa: E402

_register_giving(cli)

from vaultkit.cli_interop import register as _register_interop  # noqa: E402

_register_interop(cli)

from vaultkit.cli_watch import register as _register_watch  # noqa: E402

_register_watch(cli)


def main() -> None:
    cli(prog_name="vaultkit")
