"""``glossary serve``: the store over HTTP for a desk (the JSON API, the tmserver API and the page).

Starlette and uvicorn are an optional extra (``pip install 'glossary[serve]'``) and are imported
only when the command runs, so ``glossary --help`` and the other commands never load them.
"""

from __future__ import annotations

import ipaddress
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer

from ._base import app, fail, out, state

#: The default port (unassigned by IANA, clear of the usual development servers).
DEFAULT_PORT = 8321
DEFAULT_HOST = "127.0.0.1"
#: Threads running the library (``glossary.server.DEFAULT_THREADS``; not imported from there, which
#: would load Starlette for ``--help``).  Two: each thread catches up with every write on its own.
DEFAULT_THREADS = 2


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(path: Path) -> str:
    """The token in ``path`` (its first line, stripped); a missing, unreadable or empty file stops the start."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read the token file ({exc.__class__.__name__}: {exc})")
    lines = text.strip().splitlines()
    token = lines[0].strip() if lines else ""
    if len(token) < 16:
        fail(f"{path}: the token must be at least 16 characters "
             "(make one: python3 -c 'import secrets; print(secrets.token_urlsafe())')")
    return token


@app.command("serve")
def serve(
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; one other than loopback needs --token-file or --read-only."),
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    read_only: Annotated[bool, typer.Option("--read-only", help="Serve reads only: every write answers 403.")] = False,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", dir_okay=False, help="A file holding the token every write must send "
                     "(Authorization: Bearer TOKEN)."),
    ] = None,
    threads: Annotated[
        int,
        typer.Option("--threads", min=1, max=64, help="Threads running the library, each with its own connection "
                     "and indexes (every write makes each of them catch up)."),
    ] = DEFAULT_THREADS,
) -> None:
    """Serve the store over HTTP: a page for translators at /, a JSON API at /api/, the amaGama TM API at /tmserver/."""
    if find_spec("starlette") is None or find_spec("uvicorn") is None:
        fail("glossary serve needs the serve extra: pip install 'glossary[serve]'")
    token = read_token(token_file) if token_file is not None else None
    if not is_loopback(host) and token is None and not read_only:
        fail(f"--host {host} is reachable from other machines: give --token-file (writes need the token) "
             "or --read-only")
    import uvicorn

    from ..server import create_app

    application = create_app(state.db, read_only=read_only, token=token, threads=threads, warm=True)
    mode = "read-only" if read_only else "writes need the token" if token else "writes open to this machine"
    shown = f"[{host}]" if ":" in host else host
    out.print(f"glossary: serving {application.state.path} on http://{shown}:{port}/ ({mode})", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
