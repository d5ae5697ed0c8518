"""What every command group shares: the Typer app and its ``--db``/``--version`` options,
the ``out``/``err`` consoles, ``open_glossary``, ``fail`` and the top-level error handling.

Command modules import this module and the library, never each other.
"""

from __future__ import annotations

import json
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
