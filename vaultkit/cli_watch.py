"""`vaultkit watch`: added to the main group with ``register(cli)`` (kept apart so cli.py stays small)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

__all__ = ["register"]

_POLLING_HELP = "Poll the vault instead of using the OS's notifications (network drives, Docker mounts)."
_INTERVAL_HELP = "Seconds between two polls when polling."
_RECONCILE_HELP = "Seconds without any change after which the pages are rebuilt anyway (the date may change)."


def register(cli: click.Group) -> None:
    """Add the ``watch`` command to ``cli``."""
    from vaultkit.cli import VAULT_ARG, fail, today_option

    @cli.command()
    @VAULT_ARG
    @today_option
    @click.option("--polling", is_flag=True, help=_POLLING_HELP)
    @click.option(
        "--poll-interval", type=click.FloatRange(min=0.1), default=1.0, show_default=True, help=_INTERVAL_HELP
    )
    @click.option(
        "--reconcile", type=click.FloatRange(min=1.0), default=300.0, show_default=True, help=_RECONCILE_HELP
    )
    def watch(
        vault: Path, today: dt.datetime | None, polling: bool, poll_interval: float, reconcile: float
    ) -> None:
        """Rebuild the agenda pages whenever a note changes, until Ctrl-C.

        Prints one line per rebuild: what changed, how long it took, which pages were written.
        Without --today the date is read again at every rebuild.

        \b
        Example:
          vaultkit watch ~/Notes
        """
        from vaultkit.load import VaultNotFound
        from vaultkit.watch import RebuildReport, Watcher

        def on_report(report: RebuildReport) -> None:
            if report.reason == "reconcile" and report.ok and not report.written and not report.rechecking:
                return  # a periodic check that found nothing to do stays silent
            click.echo(f"{time.strftime('%H:%M:%S')} {report.line()}")
            for problem in report.page_errors:
                click.echo(f"  {problem.format()}", err=True)

        def on_notice(message: str) -> None:
            click.echo(f"vaultkit watch: {message}", err=True)

        watcher = Watcher(
            vault,
            today=today.date() if today is not None else None,
            polling=polling,
            polling_interval=poll_interval,
            reconcile_every=reconcile,
            on_report=on_report,
            on_notice=on_notice,
        )
        if not vault.is_dir():
            fail(f"{vault}: not a folder")
        click.echo(f"watching {vault} (Ctrl-C to stop)")
        try:
            watcher.run()
        except VaultNotFound as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("stopped")
