"""``glossary serve``: the glossary and translation memory of a desk, over HTTP.

A newsroom desk shares one store; translators use it from a browser (the page at ``/``)
or a CAT tool (the amaGama/tmserver API under ``/tmserver/``), scripts from the JSON API
under ``/api/``.  Every endpoint calls the public library API (:class:`glossary.Glossary`,
:class:`glossary.TranslationMemory`): the server adds HTTP, not behaviour.

Threads and the store (:class:`Desk`).  Reads share one :class:`~glossary.Glossary` under a
lock and writes use another under a second lock, both run in a small pool of threads
(``threads``, 2 by default) so that the event loop never waits on SQLite.  The server writes
one at a time (the store's ``BEGIN IMMEDIATE`` and busy timeout queue it behind other
processes); the readers' index catches up with a write through the store's change log, as any
process's does (:mod:`glossary.indexing`).

Errors are JSON, ``{"error": "one line"}``, with a 4xx status for bad input (400), a
missing id (404), a refused write (401, 403), a body or query over its limit (413, 414);
an unexpected failure is a 500 with the same shape, its traceback only in the server log.

This module imports Starlette: ``import glossary`` and the other commands never load it
(only ``glossary serve`` does, from :mod:`glossary.cli.serve`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._version import __version__
from .errors import GlossaryError, InputError, NotFoundError
from .formats import FORMATS, format_for
from .glossary import MAX_QUERY_CHARS, Glossary
from .models import DEFAULT_MIN_SIMILARITY
from .openapi import (
    MAX_JSON_BYTES,
    MAX_LIMIT,
    MAX_NOTE_CHARS,
    MAX_SEGMENT_CHARS,
    MAX_TEXT_CHARS,
    MAX_UPLOAD_BYTES,
    document,
)
from .tmx import primary_lang

log = logging.getLogger("glossary.server")

#: Threads running the library (each with its own connection and indexes).
DEFAULT_THREADS = 2
#: The page and what it loads (package data: no build step, nothing from the internet).
WEB = resources.files("glossary") / "web"
#: Media types of the export formats.
_MEDIA = {"jsonl": "application/jsonl", "tbx": "application/x-tbx+xml", "tbx2": "application/x-tbx+xml",
          "tsv": "text/tab-separated-values", "omegat": "text/tab-separated-values"}
#: Headers on every answer: no sniffing a JSON answer into HTML, the page runs only its own
#: script and style files (no inline script: stored text can never run), and is not framed.
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_T = TypeVar("_T")


class ApiError(Exception):
    """An answer other than 200, with its one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# ---------------------------------------------------------------------- the store, per thread
class Desk:
    """The store the server serves: one :class:`Glossary` shared by every read, one for writes.

    Reads share one glossary, so its index (:mod:`glossary.indexing`) catches up once after a
    write and every reader keeps the entries it has read; a lock takes them one at a time
    (Python runs one lookup at a time anyway).  Writes use a glossary of their own, under
    another lock, so a long import does not hold up lookups: SQLite's WAL lets them read meanwhile.
    """

    def __init__(self, path: str, threads: int) -> None:
        self.path = path
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="glossary-serve")
        self._reader: Glossary | None = None
        self._writer: Glossary | None = None
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def glossary(self) -> Glossary:
        """The readers' glossary, opened on first use (call it holding the read lock)."""
        if self._reader is None:
            self._reader = Glossary.open(self.path)
        return self._reader

    def _writing(self) -> Glossary:
        if self._writer is None:
            self._writer = Glossary.open(self.path)
        return self._writer

    async def read(self, fn: Callable[[Glossary], _T]) -> _T:
        """Run ``fn`` with the readers' glossary in the pool (the event loop never touches SQLite)."""

        def run() -> _T:
            with self._read_lock:
                return fn(self.glossary())

        return await asyncio.get_running_loop().run_in_executor(self.pool, run)

    async def write(self, fn: Callable[[Glossary], _T]) -> _T:
        """Run ``fn`` in the pool holding the write lock: this server writes one at a time."""

        def run() -> _T:
            with self._write_lock:
                return fn(self._writing())

        return await asyncio.get_running_loop().run_in_executor(self.pool, run)

    def warm(self) -> None:
        """Open the readers' glossary and its lookup index now, not on a translator's first query."""
        with self._read_lock:
            _ = self.glossary().matcher

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        for g in (self._reader, self._writer):
            if g is not None:
                g.close()
        self._reader = self._writer = None


class _SecurityHeaders:
    """ASGI middleware: :data:`_SECURITY_HEADERS` on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------- request helpers
def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def _check_write(request: Request) -> None:
    """Refuse a write: on a read-only server (403), without the token when one is set (401),
    or from another site's page (403: a page elsewhere must not write to a desk on loopback)."""
    state = request.app.state
    if state.read_only:
        raise ApiError(403, "this server is read-only")
    token: str | None = state.token
    if token is not None:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise ApiError(401, "this write needs the header Authorization: Bearer TOKEN")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise ApiError(403, f"a write from another site ({origin}) is refused")


def _query(request: Request, name: str, *, required: bool = False, max_chars: int = MAX_QUERY_CHARS) -> str | None:
    value = request.query_params.get(name)
    if value is None or not value.strip():
        if required:
            raise ApiError(400, f"the query parameter {name} is required")
        return None
    if len(value) > max_chars:
        raise ApiError(414, f"{name} is too long ({len(value):,} characters; at most {max_chars:,})")
    return value


def _query_number(request: Request, name: str, kind: type[int] | type[float], low: float, high: float) -> float | None:
    """A numeric query parameter from ``low`` to ``high`` (None when absent); a 400 otherwise."""
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        number = kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ApiError(400, f"{name} must be {what}, not {value[:40]!r}") from None
    if not low <= number <= high:  # (NaN too)
        raise ApiError(400, f"{name} must be from {low} to {high}, not {value[:40]}")
    return number


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    number = _query_number(request, name, int, low, high)
    return default if number is None else int(number)


def _score(request: Request, name: str) -> float | None:
    return _query_number(request, name, float, 0, 100)


def _id(request: Request, name: str = "id") -> int:
    value = request.path_params[name]
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"{name} must be a whole number, not {value[:40]!r}") from None
    if not 0 < number < 2**63:
        raise ApiError(404, f"no such {name}: {number}")
    return number


def _bool(request: Request, name: str) -> bool:
    value = (request.query_params.get(name) or "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ApiError(400, f"{name} must be true or false, not {value[:40]!r}")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the request body is too large (at most {limit:,} bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the request body is too large (at most {limit:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


async def _json(request: Request) -> dict[str, Any]:
    raw = await _body(request, MAX_JSON_BYTES)
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the request body is not JSON (UTF-8)") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return data


def _field(data: dict[str, Any], name: str, *, required: bool = False, max_chars: int = MAX_QUERY_CHARS) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"the field {name!r} is required")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"the field {name!r} must be a string")
    if len(value) > max_chars:
        raise ApiError(413, f"the field {name!r} is too long ({len(value):,} characters; at most {max_chars:,})")
    return value


def _strings(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= MAX_QUERY_CHARS for v in value):
        raise ApiError(400, f"the field {name!r} must be a list of strings")
    return value


def _number(data: dict[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ApiError(400, f"the field {name!r} must be a number from 0 to 100")
    return float(value)


def _whole(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ApiError(400, f"the field {name!r} must be a whole number")
    return value


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status)


Handler = Callable[[Request], Awaitable[Response]]


def _api(handler: Callable[[Request], Awaitable[Any]], *, writes: bool = False) -> Handler:
    """An endpoint: its value as JSON; library and request errors as ``{"error"}`` with a 4xx."""

    async def endpoint(request: Request) -> Response:
        try:
            if writes:
                _check_write(request)
            result = await handler(request)
        except ApiError as exc:
            return _error(exc.status, exc.message)
        except NotFoundError as exc:
            return _error(404, str(exc))
        except GlossaryError as exc:
            return _error(400, str(exc))
        except Exception:  # never a traceback to the client; the log has it
            log.exception("%s %s failed", request.method, request.url.path)
            return _error(500, "internal error (see the server log)")
        if isinstance(result, Response):
            return result
        return JSONResponse(result, headers={"cache-control": "no-store"})

    return endpoint


# ---------------------------------------------------------------------- glossary endpoints
async def openapi(request: Request) -> Any:
    """The OpenAPI 3.1 document of this API (:mod:`glossary.openapi`)."""
    doc: dict[str, Any] = request.app.state.openapi
    return doc


async def stats(request: Request) -> Any:
    def run(g: Glossary) -> dict[str, Any]:
        found = g.stats()
        found.pop("path", None)  # where the file lives on the server is none of a client's business
        return found

    return await _desk(request).read(run)


async def lookup(request: Request) -> Any:
    """``glossary lookup --json``'s list for one query."""
    q = _query(request, "q", required=True)
    limit = _int(request, "limit", 5, 1, MAX_LIMIT)
    min_score = _score(request, "min_score")
    assert q is not None
    matches = await _desk(request).read(lambda g: g.lookup(q, limit=limit, min_score=min_score))
    return [m.as_dict() for m in matches]


async def prefix(request: Request) -> Any:
    q = _query(request, "q", required=True)
    limit = _int(request, "limit", 10, 1, MAX_LIMIT)
    assert q is not None
    matches = await _desk(request).read(lambda g: g.prefix(q, limit))
    return [m.as_dict() for m in matches]


async def list_entities(request: Request) -> Any:
    kind = _query(request, "kind")
    text = _query(request, "text")
    status = _query(request, "status")
    limit = _int(request, "limit", 50, 1, MAX_LIMIT)
    offset = _int(request, "offset", 0, 0, 2**62)
    found = await _desk(request).read(
        lambda g: g.list_entities(kind=kind, text=text, status=status, limit=limit, offset=offset)
    )
    return [e.as_dict() for e in found]


async def add_entity(request: Request) -> Any:
    data = await _json(request)
    english = _field(data, "english", required=True)
    arabic = _field(data, "arabic", required=True)
    kind = _field(data, "kind") or "other"
    variants, aliases = _strings(data, "variants"), _strings(data, "aliases")
    note = _field(data, "note", max_chars=MAX_NOTE_CHARS)
    frequency = _whole(data, "frequency")
    assert english is not None and arabic is not None

    def run(g: Glossary) -> dict[str, object]:
        eid = g.add(english, arabic, kind=kind, variants=variants, aliases=aliases, note=note,
                    frequency=frequency, source="serve")
        return g.entity(eid).as_dict()

    return JSONResponse(await _desk(request).write(run), status_code=201)


async def get_entity(request: Request) -> Any:
    eid = _id(request)
    return (await _desk(request).read(lambda g: g.entity(eid))).as_dict()


async def edit_entity(request: Request) -> Any:
    """Change canonical spellings (a rename keeps the old one as a variant), kind, note or frequency."""
    eid = _id(request)
    data = await _json(request)
    fields = {name: _field(data, name) for name in ("english", "arabic", "kind")}
    note = _field(data, "note", max_chars=MAX_NOTE_CHARS)
    frequency = _whole(data, "frequency")

    def run(g: Glossary) -> dict[str, object]:
        g.update(eid, english=fields["english"], arabic=fields["arabic"], kind=fields["kind"], note=note,
                 frequency=frequency)
        return g.entity(eid).as_dict()

    return await _desk(request).write(run)


async def delete_entity(request: Request) -> Any:
    eid = _id(request)
    await _desk(request).write(lambda g: g.delete(eid))
    return {"deleted": eid}


async def add_name(request: Request) -> Any:
    """Another spelling of an entity: ``{"text", "role": "variant"|"alias", "alone"}``."""
    eid = _id(request)
    data = await _json(request)
    text = _field(data, "text", required=True)
    role = _field(data, "role") or "variant"
    alone = _field(data, "alone")
    if role not in ("variant", "alias"):
        raise ApiError(400, f"role must be variant or alias, not {role[:40]!r}")
    assert text is not None

    def run(g: Glossary) -> dict[str, object]:
        nid = g.add_variant(eid, text, role=role, source="serve", alone=alone)
        return {"name_id": nid, "entity": g.entity(eid).as_dict()}

    return JSONResponse(await _desk(request).write(run), status_code=201)


async def remove_name(request: Request) -> Any:
    nid = _id(request)
    await _desk(request).write(lambda g: g.remove_name(nid))
    return {"deleted": nid}


# ---------------------------------------------------------------------- running text
def _mention(m: Any) -> dict[str, Any]:
    return {**m.as_dict(), "stored": m.stored, "kind": m.kind}


async def mentions(request: Request) -> Any:
    """Every mention in a posted text, with character offsets for highlighting."""
    data = await _json(request)
    text = _field(data, "text", required=True, max_chars=MAX_TEXT_CHARS)
    min_score = _number(data, "min_score")
    assert text is not None
    found = await _desk(request).read(lambda g: g.find_mentions(text, min_score=min_score))
    return {"mentions": [_mention(m) for m in found]}


async def normalize(request: Request) -> Any:
    """A posted text with every name in its canonical spelling, and the mentions (offsets into the input)."""
    data = await _json(request)
    text = _field(data, "text", required=True, max_chars=MAX_TEXT_CHARS)
    min_score = _number(data, "min_score")
    annotate = bool(data.get("annotate", False))
    expand = bool(data.get("expand_aliases", False))
    assert text is not None
    result = await _desk(request).read(
        lambda g: g.normalize_text(text, annotate=annotate, min_score=min_score, expand_aliases=expand)
    )
    return {"text": result.text, "changed": result.changed, "mentions": [_mention(m) for m in result.mentions]}


# ---------------------------------------------------------------------- review queue
def _pending(g: Glossary) -> list[dict[str, Any]]:
    """The queue as ``glossary review --json`` lists it."""
    rows = []
    for n in g.suggestions():
        e = g.entity(n.entity_id)
        rows.append({"id": n.id, "entity_id": e.id, "english": e.english, "arabic": e.arabic,
                     "spelling": n.text, "source": n.source})
    return rows


def _suggested(g: Glossary, nid: int) -> None:
    if nid not in {n.id for n in g.suggestions()}:
        raise NotFoundError(f"no suggested spelling with id {nid}")


async def review(request: Request) -> Any:
    return await _desk(request).read(_pending)


async def approve(request: Request) -> Any:
    nid = _id(request)

    def run(g: Glossary) -> dict[str, int]:
        _suggested(g, nid)
        g.set_status(nid, "approved")
        return {"approved": nid}

    return await _desk(request).write(run)


async def reject(request: Request) -> Any:
    nid = _id(request)

    def run(g: Glossary) -> dict[str, int]:
        _suggested(g, nid)
        g.remove_name(nid)
        return {"rejected": nid}

    return await _desk(request).write(run)


# ---------------------------------------------------------------------- files
def _format(request: Request, default: str, write: bool) -> str:
    name = request.query_params.get("format") or default
    try:
        fmt = format_for("request", name)
    except InputError as exc:
        raise ApiError(400, exc.reason) from None
    if not FORMATS[fmt][2 if write else 1]:
        raise ApiError(400, f"cannot {'export' if write else 'import'} format {fmt!r}")
    return fmt


async def export(request: Request) -> Any:
    """The glossary as a file (``format``: jsonl, csv, tsv, excel-csv, omegat, tbx, tbx2)."""
    fmt = _format(request, "jsonl", write=True)
    direction = request.query_params.get("direction") or "ar-en"

    def run(g: Glossary) -> bytes:
        with tempfile.TemporaryDirectory(prefix="glossary-export-") as work:
            path = Path(work) / "export"
            try:
                g.export_file(path, format=fmt, direction=direction)
            except InputError as exc:
                raise InputError(exc.reason) from None  # the temporary file's name means nothing to a client
            return path.read_bytes()

    content = await _desk(request).read(run)
    suffix = "csv" if fmt == "excel-csv" else "txt" if fmt == "omegat" else fmt.rstrip("2")
    return Response(content, media_type=_MEDIA.get(fmt, "text/csv"),
                    headers={"content-disposition": f'attachment; filename="glossary.{suffix}"'})


async def import_(request: Request) -> Any:
    """A glossary file as the request body, imported in one transaction (``format`` required)."""
    if "format" not in request.query_params:
        raise ApiError(400, "the query parameter format is required (csv, tsv, jsonl, tbx, …)")
    fmt = _format(request, "csv", write=False)
    on_conflict = request.query_params.get("on_conflict") or "update"
    curated, skip = _bool(request, "curated"), _bool(request, "skip_bad_rows")
    content = await _body(request, MAX_UPLOAD_BYTES)

    def run(g: Glossary) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="glossary-import-") as work:
            path = Path(work) / "upload"
            path.write_bytes(content)
            try:
                imported = g.import_file(path, format=fmt, on_conflict=on_conflict, skip_bad_rows=skip,
                                         source="serve:import", curated=curated)
            except InputError as exc:
                raise InputError(exc.reason, "upload", exc.line) from None
        report = g.last_import
        assert report is not None
        return {"imported": imported, "added": report.added, "updated": report.updated,
                "skipped": report.skipped, "merged": report.merged, "bad_rows": report.bad_rows[:100]}

    return await _desk(request).write(run)


# ---------------------------------------------------------------------- translation memory
async def tm_search(request: Request) -> Any:
    """Fuzzy matches of a segment, best first, with the score and the entity-repaired target."""
    q = _query(request, "q", required=True, max_chars=MAX_SEGMENT_CHARS)
    limit = _int(request, "limit", 5, 1, MAX_LIMIT)
    min_score = _score(request, "min_score")
    threshold = DEFAULT_MIN_SIMILARITY if min_score is None else min_score
    assert q is not None
    hits = await _desk(request).read(lambda g: g.tm.search(q, limit=limit, min_score=threshold))
    return [h.as_dict() for h in hits]


async def tm_concordance(request: Request) -> Any:
    q = _query(request, "q", required=True, max_chars=MAX_SEGMENT_CHARS)
    limit = _int(request, "limit", 20, 1, MAX_LIMIT)
    assert q is not None
    hits = await _desk(request).read(lambda g: g.tm.concordance(q, limit=limit))
    return [h.as_dict() for h in hits]


async def tm_add(request: Request) -> Any:
    data = await _json(request)
    source = _field(data, "source", required=True, max_chars=MAX_SEGMENT_CHARS)
    target = _field(data, "target", required=True, max_chars=MAX_SEGMENT_CHARS)
    source_lang = _field(data, "source_lang") or "ar"
    target_lang = _field(data, "target_lang") or "en"
    note = _field(data, "note", max_chars=MAX_NOTE_CHARS)
    assert source is not None and target is not None

    def run(g: Glossary) -> dict[str, Any]:
        uid = g.tm.add(source, target, source_lang=source_lang, target_lang=target_lang, note=note, origin="serve")
        return g.tm.get(uid).as_dict()

    return JSONResponse(await _desk(request).write(run), status_code=201)


async def tm_get(request: Request) -> Any:
    uid = _id(request)
    return (await _desk(request).read(lambda g: g.tm.get(uid))).as_dict()


async def tm_remove(request: Request) -> Any:
    uid = _id(request)
    await _desk(request).write(lambda g: g.tm.remove(uid))
    return {"deleted": uid}


# ---------------------------------------------------------------------- amaGama / tmserver
def _tm_languages(g: Glossary) -> list[str]:
    """The languages of the TM's units, either side (a search goes both ways); ar and en when empty."""
    found = {lang for pair in g.tm.stats()["by_pair"] for lang in pair.split("→")}
    return sorted(found or {"ar", "en"})


async def tmserver_languages(request: Request) -> Any:
    """amaGama's ``/tmserver/languages/``: ``{"sourceLanguages": […], "targetLanguages": […]}``."""
    langs = await _desk(request).read(_tm_languages)
    return {"sourceLanguages": langs, "targetLanguages": langs}


def _amagama_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An option as amaGama reads it: a value that is not a whole number is the default."""
    try:
        return min(max(int(request.query_params.get(name, "")), low), high)
    except ValueError:
        return default


async def tmserver_unit(request: Request) -> Any:
    """amaGama's ``/tmserver/{src}/{tgt}/unit/{text}`` (or ``unit/?source=text``):
    ``[{"source", "target", "quality", "rank"}]``, best first.

    ``quality`` is the TM's score (0..100); ``target`` is the repaired target where the
    unit differs from the query only in names or numbers; ``min_similarity`` (default 70,
    at least 30) and ``max_candidates`` (default 5) as amaGama takes them.  A language pair
    the TM does not hold answers ``[]``, as amaGama does.
    """
    text = request.path_params.get("text") or request.query_params.get("source") or ""
    if not text.strip():
        raise ApiError(404, "no text to look up")
    if len(text) > MAX_SEGMENT_CHARS:
        raise ApiError(414, f"the text is too long ({len(text):,} characters; at most {MAX_SEGMENT_CHARS:,})")
    src, tgt = primary_lang(request.path_params["src"]), primary_lang(request.path_params["tgt"])
    min_similarity = _amagama_int(request, "min_similarity", int(DEFAULT_MIN_SIMILARITY), 30, 100)
    max_candidates = _amagama_int(request, "max_candidates", 5, 1, MAX_LIMIT)
    if src == tgt:
        return []
    hits = await _desk(request).read(lambda g: g.tm.search(text, limit=max_candidates * 2, min_score=min_similarity))
    return [
        {"source": h.source, "target": h.repaired_target or h.target, "quality": h.score, "rank": h.score}
        for h in hits
        if h.source_lang == src and h.target_lang == tgt
    ][:max_candidates]


# ---------------------------------------------------------------------- the page
async def page(request: Request) -> Response:
    """The desk's page: static HTML; all store text reaches it as JSON and is set as text."""
    return Response((WEB / "index.html").read_bytes(), media_type="text/html; charset=utf-8",
                    headers={"cache-control": "no-cache"})


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such route, method not allowed) in the API's shape."""
    assert isinstance(exc, HTTPException)
    messages = {404: f"no such endpoint: {request.url.path}", 405: f"{request.method} is not allowed here"}
    return _error(exc.status_code, messages.get(exc.status_code, str(exc.detail)))


def routes() -> list[Route | Mount]:
    """Every route of the app: what the README's table lists."""

    def read(path: str, fn: Callable[[Request], Awaitable[Any]], methods: Iterable[str] = ("GET",)) -> Route:
        return Route(path, _api(fn), methods=list(methods))

    def write(path: str, fn: Callable[[Request], Awaitable[Any]], method: str) -> Route:
        return Route(path, _api(fn, writes=True), methods=[method])

    return [
        Route("/", page, methods=["GET"]),
        read("/api/openapi.json", openapi),
        read("/api/stats", stats),
        read("/api/lookup", lookup),
        read("/api/prefix", prefix),
        read("/api/entities", list_entities),
        write("/api/entities", add_entity, "POST"),
        read("/api/entities/{id}", get_entity),
        write("/api/entities/{id}", edit_entity, "PATCH"),
        write("/api/entities/{id}", delete_entity, "DELETE"),
        write("/api/entities/{id}/names", add_name, "POST"),
        write("/api/names/{id}", remove_name, "DELETE"),
        read("/api/mentions", mentions, ["POST"]),
        read("/api/normalize", normalize, ["POST"]),
        read("/api/review", review),
        write("/api/review/{id}/approve", approve, "POST"),
        write("/api/review/{id}/reject", reject, "POST"),
        read("/api/export", export),
        write("/api/import", import_, "POST"),
        read("/api/tm/search", tm_search),
        read("/api/tm/concordance", tm_concordance),
        write("/api/tm/units", tm_add, "POST"),
        read("/api/tm/units/{id}", tm_get),
        write("/api/tm/units/{id}", tm_remove, "DELETE"),
        read("/tmserver/languages/", tmserver_languages),
        read("/tmserver/{src}/{tgt}/unit/", tmserver_unit),
        read("/tmserver/{src}/{tgt}/unit/{text:path}", tmserver_unit),
        Mount("/static", StaticFiles(directory=str(WEB)), name="static"),
    ]


def create_app(
    glossary_path: str | Path | None,
    *,
    read_only: bool = False,
    token: str | None = None,
    threads: int = DEFAULT_THREADS,
    warm: bool = False,
) -> Starlette:
    """The ASGI app serving one store (None: the per-user default store, created and filled on first use).

    ``read_only``: every write answers 403.  ``token``: every write needs
    ``Authorization: Bearer TOKEN`` (401 without it).  ``threads``: how many threads run
    the library, each with its own glossary.  ``warm``: open them all and load their lookup
    indexes at startup, so that no request pays for it.
    """
    if token is not None and not token.strip():
        raise InputError("the token is empty")
    if threads < 1:
        raise InputError(f"threads must be at least 1, not {threads}")
    # Open (create, migrate, fill the default store) once, here: a bad store fails the start, not a request.
    with Glossary.open(glossary_path) as g:
        path = g.path

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        desk = Desk(path, threads)
        app.state.desk = desk
        try:
            if warm:
                await asyncio.get_running_loop().run_in_executor(None, desk.warm)
            yield
        finally:
            desk.close()

    app = Starlette(routes=routes(), lifespan=lifespan, exception_handlers={HTTPException: _http_error})
    app.state.read_only = read_only
    app.state.token = token.strip() if token is not None else None
    app.state.path = path
    app.state.openapi = document(__version__)
    app.add_middleware(_SecurityHeaders)
    return app


__all__ = ["DEFAULT_THREADS", "MAX_JSON_BYTES", "MAX_UPLOAD_BYTES", "ApiError", "Desk", "create_app"]
