"""Capture and interop: new vaults and notes, LinkedIn and vCard imports, vCard and iCalendar exports, git.

Library code here never prints or exits: refusals are :class:`InteropError` (a message that names the
file and, where there is one, the line); everything else comes back as dataclasses for the CLI to show.
"""

from __future__ import annotations


class InteropError(Exception):
    """A refusal or failure to show the user as is: ``str(error)`` names the file (and line) concerned."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
