"""What every command group shares: the Typer app and its ``--db``/``--version`` options,
the ``out``/``err`` consoles, ``open_glossary``, ``fail`` and the top-level error handling.

Command modules import this module and the library, never each other.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..errors import GlossaryError

if TYPE_CHECKING:
    from ..glossary import Glossary

app = typer.Typer(
    name="glossary",
    help="Bilingual Arabic–English glossary: every spelling of a name resolves to one entity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    db: Path | None = None


state = State()


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit."""
    err.print(f"glossary: error: {message}", markup=False)
    raise typer.Exit(code)


def parse_id(label: str) -> Callable[[str], int]:
    """A parser for an id argument: a mistyped id is one line naming the argument, exit code 2.

    (Typer's own message is about Python: "Input should be a valid integer, unable to
    parse string as an integer".)
    """

    def parse(value: str | int) -> int:
        if isinstance(value, int):
            return value
        try:
            return int(value.strip())
        except ValueError:
            fail(f"{label} must be a whole number, not {value!r}")

    return parse


def id_argument(label: str, help: str) -> Any:
    """A ``typer.Argument`` for an entity, name or unit id, shown as ``label`` in help and errors."""
    return typer.Argument(metavar=label, parser=parse_id(label), help=help, show_default=False)


def open_glossary() -> Glossary:
    """The store named by ``--db``, else the default (``$GLOSSARY_DB`` or the per-user store)."""
    from ..glossary import Glossary  # here, not at the top: ``glossary --help`` needs no store

    return Glossary.open(state.db)


#: Messages of one kind shown before the rest are only counted (``--verbose`` shows every one).
FEW = 3
#: ``path:line: `` (after an optional ``skipped ``) at the start of a message: where, not what.
_WHERE = re.compile(r"^(skipped )?\S.*?:\d+: ")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"\d[\d,]*")


def message_kind(message: str) -> str:
    """What a warning or error says without where and about what: its file and line, the quoted
    text and the numbers go (``names.csv:7: duplicate of line 3 …`` -> ``duplicate of line N …``)."""
    where = _WHERE.match(message)
    text = ("skipped: " if where and where.group(1) else "") + message[where.end() if where else 0 :]
    return _NUMBER.sub("N", _QUOTED.sub("'…'", text))


#: ``--quiet`` and ``--verbose`` of the long commands (import, normalize, tm import).
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar; warnings only counted, one line per kind.")
]
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", help=f"Print every warning (default: the first {FEW} of each kind and a count)."),
]


def report_messages(messages: list[str], *, quiet: bool = False, verbose: bool = False, label: str = "warning") -> None:
    """Print warnings (or a run's errors) on stderr, summarized by kind.

    ``verbose``: every one.  By default: the first :data:`FEW` of each kind, then
    one line counting the rest.  ``quiet``: one line per kind with its count.
    """
    if verbose:
        for m in messages:
            err.print(f"glossary: {label}: {m}", markup=False)
        return
    kinds: dict[str, list[str]] = {}
    for m in messages:
        kinds.setdefault(message_kind(m), []).append(m)
    for kind, group in kinds.items():
        n = len(group)
        if quiet and n > 1:
            err.print(f"glossary: {n:,} {label}s: {kind} (--verbose shows each)", markup=False)
            continue
        shown = group if quiet or n <= FEW + 1 else group[:FEW]
        for m in shown:
            err.print(f"glossary: {label}: {m}", markup=False)
        if len(shown) < n:
            err.print(
                f"glossary: {label}: … and {n - len(shown):,} more like these ({n:,} in all): {kind} "
                "(--verbose shows each)",
                markup=False,
            )


def check_quiet_verbose(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        fail("--quiet and --verbose exclude each other")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def version_callback(value: bool) -> None:
    if value:
        from .._version import __version__

        print(f"glossary {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Store to use (default: $GLOSSARY_DB, else the per-user store).",
            dir_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    state.db = db


def run() -> None:
    """Run the app: library errors become one line and exit code 2, Ctrl-C exit code 130."""
    try:
        app()
    except GlossaryError as exc:
        err.print(f"glossary: error: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("glossary: interrupted")
        sys.exit(130)
