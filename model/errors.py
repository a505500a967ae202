"""Errors a user can fix: each names the file, the line and the field, and says what to do."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Bad input (exit code 2). Printed as ``file:line: field: message``."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class InputErrors(InputError):
    """Several problems in one input, reported together (sorted by line), exit code 2.

    Also an InputError: its file, line, field and message are those of the first problem, so
    code that handles one error handles these too."""

    def __init__(self, errors: list[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.field))
        first = self.errors[0]
        super().__init__(first.file, first.line, first.field, first.message)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def to_json(self) -> dict:
        return {"errors": [e.to_json() for e in self.errors]}


def shorten(value, limit: int = 60) -> str:
    """A user's value, quoted and cut short, for a message that must stay on one line."""
    text = repr(value) if not isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit - 4] + "...'"


def display_path(path: Path | str) -> str:
    """A path as the user would recognise it: relative to the working directory when possible."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def refuse_pipes(path, shown: str) -> None:
    """A named pipe or a socket would wait for a writer for ever: refuse it, as a file the
    command cannot read (a missing path is left to the caller's own message)."""
    import stat
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise InputError(shown, None, "", "is a pipe or a socket, not a file; save the input to a file first")
