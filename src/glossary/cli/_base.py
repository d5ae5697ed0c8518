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
from typer.core import TyperCommand, TyperGroup

from ..errors import GlossaryError

if TYPE_CHECKING:
    from ..glossary import Glossary

# Typer carries its own copy of Click (``typer._click``, private), so parameters are told apart by
# their public attributes (``param_type_name``, ``display_type``), never by class.


#: Options whose value is one of a few words, or better named than by the parameter.
_METAVARS = {
    "on_duplicate": "skip|update|keep", "on_conflict": "update|skip|fail", "alone": "always|never|stored|auto",
    "status": "approved|suggested", "direction": "ar-en|en-ar", "fmt": "FORMAT", "variant": "TEXT",
    "alias": "TEXT", "english": "TEXT", "arabic": "TEXT", "text": "TEXT", "note": "TEXT",
    "source_lang": "LANG", "target_lang": "LANG", "columns": "FIELD=HEADER,...",
}


def _metavar(param: Any, ctx: Any) -> str:
    """What an option takes, in the user's words: N, SCORE, FILE, DIR, or its own name in capitals."""
    shown = str(param.display_type(ctx)) if hasattr(param, "display_type") else ""  # Typer's "<int range>"
    name = (param.name or "value").upper()
    if param.name in _METAVARS:
        return _METAVARS[param.name]
    if shown.startswith("<int"):
        return "N"
    if shown.startswith("<float"):
        return "SCORE" if "SCORE" in name else "N"
    return {"<file>": "FILE", "<dir>": "DIR", "<path>": "PATH"}.get(shown, name)


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", None) == "argument"


def _argument_usage(param: Any) -> str:
    name = param.metavar or (param.name or "value").upper()
    name = f"{name}..." if param.nargs != 1 else name
    return name if param.required else f"[{name}]"


def _user_words(params: list[Any], ctx: Any, formatter: Any) -> None:
    """The Arguments and Options sections of a help page, with names instead of Python types."""
    args: list[tuple[str, str]] = []
    opts: list[tuple[str, str]] = []
    for param in params:
        if _is_argument(param):
            args.append((_argument_usage(param).strip("[]"), getattr(param, "help", None) or ""))
            continue
        if param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = _metavar(param, ctx)
        record = param.get_help_record(ctx)
        if record is not None:
            opts.append(record)
    for title, rows in (("Arguments", args), ("Options", opts)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


class Command(TyperCommand):
    """A command whose help speaks the user's words: ``lookup [OPTIONS] QUERY...``,
    ``--limit N``, ``--db FILE`` (Typer's default shows ``{queries}...``, ``<list[str]>``,
    ``<int range>``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_argument_usage(p) for p in self.get_params(ctx) if _is_argument(p)]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _user_words(self.get_params(ctx), ctx, formatter)


class Group(TyperGroup):
    """The ``glossary`` and ``glossary tm`` groups: options named as :class:`Command` names them."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _user_words(self.get_params(ctx), ctx, formatter)
        self.format_commands(ctx, formatter)


class App(typer.Typer):
    """A Typer app whose commands are :class:`Command` and groups :class:`Group`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=Group, **kwargs)

    def command(self, name: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        return super().command(name, **kwargs)


app = App(
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


def check_store_folder(path: Path | None) -> None:
    """A store named on the command line must be in a folder that exists: a mistyped path is an
    error, not a new empty store somewhere (the default store's folder is made on first use)."""
    if path is not None and not path.exists() and not path.parent.is_dir():
        fail(f"{path}: no such folder {str(path.parent)!r}; a new store is only created in a folder that exists")


def open_glossary() -> Glossary:
    """The store named by ``--db``, else the default (``$GLOSSARY_DB`` or the per-user store)."""
    from ..glossary import Glossary  # here, not at the top: ``glossary --help`` needs no store
    from ..store import default_path

    check_store_folder(state.db)
    if state.db is None and not (first := default_path()).exists():
        # the first command of a new install waits several seconds: say why, once
        err.print(f"glossary: first use: creating {first} from the bundled glossary "
                  "(about 16,500 entities) and its index; this takes a few seconds, once")
    return Glossary.open(state.db)


#: Said after "nothing found" when the store has no entity (a store made with ``init`` without ``--defaults``).
EMPTY_STORE_HINT = " (the store is empty: run `glossary init --defaults` to load the bundled glossary)"


def empty_store_hint(g: Glossary) -> str:
    """:data:`EMPTY_STORE_HINT` if ``g`` holds no entity, else nothing (asked only once nothing was found:
    counting a store of a million names takes a while)."""
    return EMPTY_STORE_HINT if g.stats()["entities"] == 0 else ""


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
