"""Errors a user sees (one line, naming the file and line where there is one), and the warning
an import gives for what it ignored."""

from __future__ import annotations

from pathlib import Path


class GlossaryError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(GlossaryError):
    """Bad input file or value: the message names the file and line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}")


class StoreError(GlossaryError):
    """The store cannot be opened or used (newer schema, not a glossary, locked)."""


class NotFoundError(GlossaryError):
    """An entity or name id that does not exist."""


class GlossaryWarning(UserWarning):
    """Something in an input file was ignored (an unknown column, a skipped row)."""
