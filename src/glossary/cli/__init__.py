"""The ``glossary`` command: a thin Typer layer, one command per library method.

Exit codes: 0 success, 1 a lookup (or ``mentions``) found nothing, 2 bad usage or bad input
(one line on stderr, no traceback).

:mod:`._base` holds what every command group shares (the app, the consoles, the
``--db`` state, ``open_glossary``, error handling); each command group is a module
that imports only it and the library: :mod:`.entries` (the glossary's commands),
:mod:`.normalize` (``normalize``, ``mentions``, ``review``), :mod:`.tm` (``tm …``),
:mod:`.serve` (``serve``).  Importing them here registers their commands, in this order.
"""

from __future__ import annotations

import sys

from . import entries, normalize, serve, tm  # noqa: F401  (registers the commands)
from ._base import app, run
from .normalize import fix_optional_annotate


def main() -> None:
    """Console-script entry point: library errors become one line and exit code 2."""
    sys.argv[1:] = fix_optional_annotate(sys.argv[1:])
    run()


__all__ = ["app", "main"]
