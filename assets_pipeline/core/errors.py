"""What can go wrong, each with the exit code the command line gives it.

One error type for everything a user can get wrong (`SpecError`): printed as `file:line: message`, exit 2.
The build failing for another reason (`BuildError`, exit 1), or the machinery it runs on failing
(`InfrastructureError`, exit 3: a Dask scheduler that is not there), is never reported as the spec's fault.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

from assets_pipeline.core.i18n import N_, _, ngettext

# a line break or a control character inside one message, which must stay one line on the terminal
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Where:
    """A place in a spec file, for error messages."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class AssetsError(Exception):
    """An error the command line shows as its message alone, never a traceback, and exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str):
        message = _BREAKS.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m[0], f"U+{ord(m[0]):04X}"), message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class SpecError(AssetsError):
    """A problem in the user's input. Shown as one line, never a traceback."""

    exit_code = 2
    repeats = 0  # other pieces the same mistake was found in (ErrorList)

    def __init__(self, message: str, where: Where | None = None):
        super().__init__(message)
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class BuildError(AssetsError):
    """The build itself could not go on (not the specs' fault): one line, exit 1."""


class InfrastructureError(AssetsError):
    """What the build runs on failed (a scheduler unreachable): nothing in the specs to fix. Exit 3."""

    exit_code = 3


class SpecErrors(SpecError):
    """Several problems found at once: `assets check` lists them, the first SHOWN of them, one per line."""

    SHOWN = 100

    def __init__(self, errors: list[SpecError]):
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:self.SHOWN]]
        if len(self.errors) > self.SHOWN:
            more = len(self.errors) - self.SHOWN
            lines.append(ngettext("… and {count:,} more problem like these", "… and {count:,} more problems like these",
                                  more, count=more))
        super().__init__("")
        self.message = "\n".join(lines)

    def __str__(self) -> str:
        return self.message


def display_path(path: Path, root: Path) -> str:
    """The path as the user should read it: relative to the project when it is inside it. By the name
    it was found under: a link is not followed (and one that leads round in a loop is still shown)."""
    try:
        return str(path.absolute().relative_to(root.absolute()))
    except ValueError:
        return str(path)


class ErrorList:
    """Collects SpecErrors so that a check can report every problem, not just the first."""

    def __init__(self) -> None:
        self.errors: list[SpecError] = []
        self._first_at: dict[Where, SpecError] = {}
        self._said: dict[int, str] = {}  # a repeated error's message as first said, by id

    def add(self, error: SpecError) -> None:
        for one in error.errors if isinstance(error, SpecErrors) else [error]:
            # One mistake in a design repeats for every unit, variant and format it covers:
            # say it once, at its line, with how many pieces it affects.
            first = self._first_at.get(one.where) if one.where is not None else None
            if first is None:
                self.errors.append(one)
                if one.where is not None:
                    self._first_at[one.where] = one
            elif str(one) != str(first):
                first.repeats += 1
                base = self._said.setdefault(id(first), first.message)
                first.message = base + " " + ngettext("(and in {count} more piece)", "(and in {count} more pieces)",
                                                      first.repeats, count=first.repeats)

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else SpecErrors(self.errors)


# faults of the machine a command runs on, said in the user's words (the system's own are English)
FAULTS = {errno.ENOSPC: N_("the disk is full"), errno.EDQUOT: N_("the disk quota is used up"),
          errno.EROFS: N_("the folder is read-only"), errno.EACCES: N_("permission denied"),
          errno.EPERM: N_("permission denied"), errno.EFBIG: N_("the file is larger than this system allows")}


def machine_fault(exc: OSError) -> str | None:
    """The one line for a file the machine would not let a command write, or None for another error."""
    if exc.errno not in FAULTS:
        return None
    shown = "?"
    if isinstance(exc.filename, str):
        path = Path(exc.filename)
        final = re.fullmatch(r"\.(.+)\.\d+\.tmp", path.name)  # a temporary of engine/output.py's atomic_path
        shown = display_path(path.with_name(final[1]) if final else path, Path.cwd())
    return _("{path}: cannot write: {reason}; what was written before is kept: fix this and run the command again",
             path=shown, reason=_(FAULTS[exc.errno]))
