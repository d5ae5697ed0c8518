"""The OpenAPI 3.1 document of ``glossary serve``'s JSON API (served at ``GET /api/openapi.json``).

Written as data, not generated: Starlette routes carry no types, and its ``SchemaGenerator``
only collects YAML written in docstrings, so the document would be hand-written either way.
Here it is one place, and the tests hold it to the app: every route the app has is in it and
every path in it is a route (``tests/test_openapi.py``), the document is valid OpenAPI, and real
answers validate against the schemas it gives them.

Shapes are those of the library's ``as_dict`` methods (:class:`glossary.models.Entity`,
:class:`~glossary.models.Match`, :class:`~glossary.tm.TMHit`, …); limits are the server's.
This module imports nothing from Starlette, so it can be read without the ``serve`` extra.
"""

from __future__ import annotations

from typing import Any, get_args

from .formats import FORMATS
from .glossary import MAX_QUERY_CHARS
from .models import ALONE, KINDS, ROLES, STATUSES, Reason

# Limits the document states; the server imports them from here (one number, one place).
#: Largest JSON request body (bytes): an article to normalize is a few tens of kilobytes.
MAX_JSON_BYTES = 1_000_000
#: Largest file an import may post (bytes).
MAX_UPLOAD_BYTES = 20_000_000
#: Longest TM query or concordance phrase (characters): a segment, not a document.
MAX_SEGMENT_CHARS = 2_000
#: Longest text ``/api/mentions`` and ``/api/normalize`` take (characters).
MAX_TEXT_CHARS = 200_000
#: Most results any list endpoint gives in one answer.
MAX_LIMIT = 200
#: Longest note on an entity or a TM unit (characters).
MAX_NOTE_CHARS = 5_000

#: Why a lookup matched (``Match.reason``; ``prefix`` from :meth:`glossary.Glossary.prefix`).
REASONS: tuple[str, ...] = get_args(Reason)

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Schema], required: list[str] | None = None, *, closed: bool = True) -> Schema:
    """An object schema: every listed property required unless ``required`` says otherwise."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties) if required is None else required}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


_STR: Schema = {"type": "string"}
_INT: Schema = {"type": "integer"}
_BOOL: Schema = {"type": "boolean"}
_SCORE: Schema = {"type": "number", "minimum": 0, "maximum": 100}
_NULL_STR: Schema = {"type": ["string", "null"]}
_ID: Schema = {"type": "integer", "minimum": 1}
_FILE: Schema = {"type": "string", "contentMediaType": "application/octet-stream"}


def _schemas() -> dict[str, Schema]:
    name = _obj({
        "id": _ID, "text": _STR, "lang": {"type": "string", "enum": ["ar", "en"]},
        "role": {"type": "string", "enum": list(ROLES)}, "status": {"type": "string", "enum": list(STATUSES)},
        "source": _NULL_STR, "alone": {"type": ["string", "null"], "enum": [*ALONE, None]}, "curated": _BOOL,
    })
    entity = _obj({
        "id": _ID, "english": _STR, "arabic": _STR, "kind": {"type": "string", "enum": list(KINDS)},
        "note": _NULL_STR, "source": _NULL_STR, "frequency": {"type": ["integer", "null"]},
        "created": _NULL_STR, "updated": _NULL_STR, "names": _array(_ref("Name")),
    })
    match = _obj({
        "entity_id": _ID, "english": _STR, "arabic": _STR, "kind": {"type": "string", "enum": list(KINDS)},
        "matched": {"type": "string", "description": "the stored spelling that matched"},
        "score": _SCORE, "reason": {"type": "string", "enum": list(REASONS)},
        "role": {"type": "string", "enum": list(ROLES)},
    })
    mention = _obj({
        "start": {"type": "integer", "minimum": 0, "description": "offset of the name in the posted text (characters)"},
        "end": {"type": "integer", "minimum": 0}, "surface": _STR,
        "prefix": {"type": "string", "description": "a proclitic written before start and kept outside the name"},
        "entity_id": _ID, "english": _STR, "arabic": _STR, "score": _SCORE,
        "reason": {"type": "string", "enum": list(REASONS)},
        "ambiguous": {"type": "boolean", "description": "another entity matches as well: never rewritten"},
        "replaced": _BOOL, "replacement": _NULL_STR,
        "stored": {"type": "boolean", "description": "false: the spelling was found through its keys only"},
        "kind": {"type": "string", "enum": list(KINDS)},
    })
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
    stats = _obj({
        "entities": _INT, "names": _INT, "suggested": _INT, "tm_units": _INT,
        "by_kind": counts, "names_by_lang": counts, "schema": _array(_STR),
    })
    review_item = _obj({"id": _ID, "entity_id": _ID, "english": _STR, "arabic": _STR, "spelling": _STR,
                        "source": _NULL_STR})
    tm_hit = _obj({
        "unit_id": _ID, "score": _SCORE, "source": _STR, "target": _STR, "source_lang": _STR, "target_lang": _STR,
        "repaired_target": {"type": ["string", "null"],
                            "description": "the target with the names and numbers of the query put in"},
        "repairs": _array({"type": "array", "items": _STR, "minItems": 2, "maxItems": 2}),
        "note": _NULL_STR, "origin": _NULL_STR, "updated": _NULL_STR,
        "reversed": {"type": "boolean", "description": "matched on the unit's target side"},
    })
    tm_unit = _obj({
        "id": _ID, "source": _STR, "target": _STR, "source_lang": _STR, "target_lang": _STR,
        "note": _NULL_STR, "origin": _NULL_STR, "props": {"type": "object"}, "created": _STR, "updated": _STR,
    })
    short: Schema = {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}
    return {
        "Error": _obj({"error": {"type": "string", "pattern": "^[^\\n]+$",
                                 "description": "one line; never a traceback"}}),
        "Name": name,
        "Entity": entity,
        "Match": match,
        "Mention": mention,
        "Stats": stats,
        "ReviewItem": review_item,
        "TMHit": tm_hit,
        "TMUnit": tm_unit,
        "ImportResult": _obj({"imported": _INT, "added": _INT, "updated": _INT, "skipped": _INT, "merged": _INT,
                              "bad_rows": {**_array(_STR), "maxItems": 100}}),
        "NewEntity": _obj({
            "english": short, "arabic": short, "kind": {"type": "string", "enum": list(KINDS), "default": "other"},
            "variants": _array(short), "aliases": _array(short),
            "note": {"type": ["string", "null"], "maxLength": MAX_NOTE_CHARS},
            "frequency": {"type": ["integer", "null"]},
        }, ["english", "arabic"], closed=False),
        "EntityEdit": _obj({
            "english": short, "arabic": short, "kind": {"type": "string", "enum": list(KINDS)},
            "note": {"type": ["string", "null"], "maxLength": MAX_NOTE_CHARS},
            "frequency": {"type": ["integer", "null"]},
        }, [], closed=False),
        "NewName": _obj({
            "text": short, "role": {"type": "string", "enum": ["variant", "alias"], "default": "variant"},
            "alone": {"type": ["string", "null"], "enum": [*ALONE, None]},
        }, ["text"], closed=False),
        "Text": _obj({
            "text": {"type": "string", "maxLength": MAX_TEXT_CHARS},
            "min_score": {**_SCORE, "type": ["number", "null"]},
            "annotate": {"type": "boolean", "default": False,
                         "description": "normalize only: keep each rewritten spelling beside its canonical one"},
            "expand_aliases": {"type": "boolean", "default": False, "description": "normalize only"},
        }, ["text"], closed=False),
        "NewTMUnit": _obj({
            "source": {"type": "string", "maxLength": MAX_SEGMENT_CHARS},
            "target": {"type": "string", "maxLength": MAX_SEGMENT_CHARS},
            "source_lang": {"type": "string", "default": "ar"}, "target_lang": {"type": "string", "default": "en"},
            "note": {"type": ["string", "null"], "maxLength": MAX_NOTE_CHARS},
        }, ["source", "target"], closed=False),
        "TmserverLanguages": _obj({"sourceLanguages": _array(_STR), "targetLanguages": _array(_STR)}),
        "TmserverUnit": _obj({"source": _STR, "target": _STR, "quality": _SCORE, "rank": _SCORE}),
    }


_ERRORS: dict[str, str] = {
    "400": "Bad input: a missing or malformed parameter or field, or what the library refuses.",
    "401": "A write without the server's token (Authorization: Bearer TOKEN).",
    "403": "A write to a read-only server, or from another site's page.",
    "404": "No such id, or no such endpoint.",
    "413": "A request body (or a field of it) over its limit.",
    "414": "A query parameter over its length.",
    "500": "An unexpected failure (its traceback only in the server log).",
}


def _json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _answer(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": _json_content(schema)}


def _param(name: str, where: str, schema: Schema, description: str, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema,
            "description": description}


def _q(required: bool = True, max_chars: int = MAX_QUERY_CHARS) -> dict[str, Any]:
    return _param("q", "query", {"type": "string", "minLength": 1, "maxLength": max_chars}, "the text to look up",
                  required=required)


def _limit(default: int) -> dict[str, Any]:
    return _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default},
                  "most results")


_MIN_SCORE = _param("min_score", "query", _SCORE, "nothing scored below this (0..100)")
_PATH_ID = _param("id", "path", _ID, "the id")


def _op(summary: str, ok: dict[str, Any], *, status: str = "200", params: list[dict[str, Any]] | None = None,
        body: Schema | None = None, writes: bool = False, errors: tuple[str, ...] = ("400",),
        tag: str = "glossary", op_id: str) -> dict[str, Any]:
    codes = set(errors) | {"500"}
    if writes:
        codes |= {"401", "403", "413"}
    if body is not None:
        codes |= {"400", "413"}
    op: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [tag], "parameters": params or [],
                          "responses": {status: ok, **{c: {"$ref": f"#/components/responses/E{c}"}
                                                       for c in sorted(codes)}}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": _json_content(body)}
    if writes:
        op["security"] = [{"bearer": []}]
    return op


def document(version: str = "0.0.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route under ``/api/`` and ``/tmserver/``."""
    fmt_names = list(FORMATS)
    export_types = {t: {"schema": {"type": "string"}} for t in
                    ("application/jsonl", "text/csv", "text/tab-separated-values", "application/x-tbx+xml")}
    deleted = _obj({"deleted": _ID})
    paths: dict[str, dict[str, Any]] = {
        "/api/openapi.json": {"get": _op("This document.", _answer("OpenAPI 3.1", {"type": "object"}),
                                         errors=(), op_id="openapi")},
        "/api/stats": {"get": _op("Counts: entities, names, suggested spellings, TM units.",
                                  _answer("counts", _ref("Stats")), errors=(), op_id="stats")},
        "/api/lookup": {"get": _op(
            "Entities whose spellings match q, best first: the list `glossary lookup --json` prints.",
            _answer("matches", _array(_ref("Match"))), params=[_q(), _limit(5), _MIN_SCORE],
            errors=("400", "414"), op_id="lookup")},
        "/api/prefix": {"get": _op(
            "Entities with a spelling starting with q, in either script (search as you type).",
            _answer("matches", _array(_ref("Match"))), params=[_q(), _limit(10)], errors=("400", "414"),
            op_id="prefix")},
        "/api/entities": {
            "get": _op("A page of entities with their names.", _answer("entities", _array(_ref("Entity"))), params=[
                _param("kind", "query", {"type": "string", "enum": list(KINDS)}, "only this kind"),
                _param("text", "query", {"type": "string", "maxLength": MAX_QUERY_CHARS}, "a spelling contains it"),
                _param("status", "query", {"type": "string", "enum": list(STATUSES)}, "only names of this status"),
                _limit(50), _param("offset", "query", {"type": "integer", "minimum": 0, "default": 0}, "skip these"),
            ], errors=("400", "414"), op_id="listEntities"),
            "post": _op("Add an entity (Glossary.add).", _answer("the new entity", _ref("Entity")), status="201",
                        body=_ref("NewEntity"), writes=True, op_id="addEntity"),
        },
        "/api/entities/{id}": {
            "get": _op("An entity with every spelling, its role, status and source.",
                       _answer("the entity", _ref("Entity")), params=[_PATH_ID], errors=("400", "404"),
                       op_id="getEntity"),
            "patch": _op("Change canonical spellings (a rename keeps the old one as a variant), kind, note, frequency.",
                         _answer("the entity", _ref("Entity")), params=[_PATH_ID], body=_ref("EntityEdit"),
                         writes=True, errors=("400", "404"), op_id="editEntity"),
            "delete": _op("Delete an entity and its names.", _answer("deleted", deleted), params=[_PATH_ID],
                          writes=True, errors=("400", "404"), op_id="deleteEntity"),
        },
        "/api/entities/{id}/names": {"post": _op(
            "Add a spelling (variant or alias) to an entity.",
            _answer("the new name's id and the entity", _obj({"name_id": _ID, "entity": _ref("Entity")})),
            status="201", params=[_PATH_ID], body=_ref("NewName"), writes=True, errors=("400", "404"),
            op_id="addName")},
        "/api/names/{id}": {"delete": _op("Remove one spelling.", _answer("deleted", deleted), params=[_PATH_ID],
                                          writes=True, errors=("400", "404"), op_id="removeName")},
        "/api/mentions": {"post": _op(
            "Every name mentioned in a posted text, with character offsets into it.",
            _answer("mentions", _obj({"mentions": _array(_ref("Mention"))})), body=_ref("Text"), op_id="mentions")},
        "/api/normalize": {"post": _op(
            "A posted text with every name in its canonical spelling; offsets are into the posted text.",
            _answer("the text and its mentions",
                    _obj({"text": _STR, "changed": _BOOL, "mentions": _array(_ref("Mention"))})),
            body=_ref("Text"), op_id="normalize")},
        "/api/review": {"get": _op("The review queue: suggested spellings, as `glossary review --json`.",
                                   _answer("the queue", _array(_ref("ReviewItem"))), errors=(), op_id="review")},
        "/api/review/{id}/approve": {"post": _op(
            "Approve a suggested spelling.", _answer("approved", _obj({"approved": _ID})), params=[_PATH_ID],
            writes=True, errors=("400", "404"), op_id="approve")},
        "/api/review/{id}/reject": {"post": _op(
            "Reject (remove) a suggested spelling.", _answer("rejected", _obj({"rejected": _ID})), params=[_PATH_ID],
            writes=True, errors=("400", "404"), op_id="reject")},
        "/api/export": {"get": _op(
            "The glossary as a file, in a format of `glossary export`.",
            {"description": "the file (content-disposition: attachment)", "content": export_types},
            params=[_param("format", "query", {"type": "string", "enum": fmt_names, "default": "jsonl"}, "the format"),
                    _param("direction", "query", {"type": "string", "enum": ["ar-en", "en-ar"], "default": "ar-en"},
                           "source and target columns (omegat)")],
            op_id="export")},
        "/api/import": {"post": {
            **_op("Import a glossary file (the request body) in one transaction.",
                  _answer("what the import did", _ref("ImportResult")),
                  params=[_param("format", "query", {"type": "string", "enum": fmt_names}, "the file's format",
                                 required=True),
                          _param("on_conflict", "query", {"type": "string", "enum": ["update", "skip", "fail"],
                                                          "default": "update"}, "an entity already stored"),
                          _param("curated", "query", {"type": "boolean", "default": False},
                                 "the names were checked by a person"),
                          _param("skip_bad_rows", "query", {"type": "boolean", "default": False},
                                 "skip rows that cannot be imported instead of failing")],
                  writes=True, op_id="import"),
            "requestBody": {"required": True, "description": f"the file, at most {MAX_UPLOAD_BYTES:,} bytes",
                            "content": {"application/octet-stream": {"schema": _FILE}}},
        }},
        "/api/tm/search": {"get": _op(
            "Fuzzy TM matches of a segment, best first, with the score and the entity-repaired target.",
            _answer("hits", _array(_ref("TMHit"))), params=[_q(max_chars=MAX_SEGMENT_CHARS), _limit(5), _MIN_SCORE],
            errors=("400", "414"), tag="tm", op_id="tmSearch")},
        "/api/tm/concordance": {"get": _op(
            "TM units containing a phrase (an entity in any of its spellings), newest first.",
            _answer("hits", _array(_ref("TMHit"))), params=[_q(max_chars=MAX_SEGMENT_CHARS), _limit(20)],
            errors=("400", "414"), tag="tm", op_id="tmConcordance")},
        "/api/tm/units": {"post": _op("Add a TM unit.", _answer("the new unit", _ref("TMUnit")), status="201",
                                      body=_ref("NewTMUnit"), writes=True, tag="tm", op_id="tmAdd")},
        "/api/tm/units/{id}": {
            "get": _op("A TM unit.", _answer("the unit", _ref("TMUnit")), params=[_PATH_ID], errors=("400", "404"),
                       tag="tm", op_id="tmGet"),
            "delete": _op("Delete a TM unit.", _answer("deleted", deleted), params=[_PATH_ID], writes=True,
                          errors=("400", "404"), tag="tm", op_id="tmRemove"),
        },
        "/tmserver/languages/": {"get": _op(
            "amaGama: the languages of the TM's units.", _answer("languages", _ref("TmserverLanguages")),
            errors=(), tag="tmserver", op_id="tmserverLanguages")},
    }
    amagama = [
        _param("src", "path", _STR, "source language (a tag: ar, ar-SA, en_US …)"),
        _param("tgt", "path", _STR, "target language"),
        _param("min_similarity", "query", {"type": "integer", "minimum": 30, "maximum": 100, "default": 70},
               "lowest quality (a value that is not a number is the default, as amaGama takes it)"),
        _param("max_candidates", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 5},
               "most units"),
    ]
    units = _answer("units, best first ([] for a pair the TM does not hold)", _array(_ref("TmserverUnit")))
    paths["/tmserver/{src}/{tgt}/unit/"] = {"get": _op(
        "amaGama: TM units for the segment in ?source=.", units,
        params=[*amagama, _param("source", "query", {"type": "string", "maxLength": MAX_SEGMENT_CHARS},
                                 "the segment", required=True)],
        errors=("404", "414"), tag="tmserver", op_id="tmserverUnitQuery")}
    paths["/tmserver/{src}/{tgt}/unit/{text}"] = {"get": _op(
        "amaGama: TM units for the segment in the path (URL-encoded).", units,
        params=[*amagama, _param("text", "path", {"type": "string", "maxLength": MAX_SEGMENT_CHARS}, "the segment")],
        errors=("404", "414"), tag="tmserver", op_id="tmserverUnit")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "glossary serve",
            "version": version,
            "summary": "A bilingual Arabic–English glossary and translation memory for a desk.",
            "description": "Every endpoint calls the public library API (glossary.Glossary). Errors are "
                           '{"error": "one line"} with a 4xx status (500 only for an unexpected failure). '
                           f"JSON bodies are at most {MAX_JSON_BYTES:,} bytes, uploads {MAX_UPLOAD_BYTES:,}.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "tags": [{"name": "glossary", "description": "entities, names, running text, review, files"},
                 {"name": "tm", "description": "the translation memory"},
                 {"name": "tmserver", "description": "the amaGama/tmserver API that CAT tools speak (Weblate)"}],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "responses": {f"E{code}": _answer(text, _ref("Error")) for code, text in _ERRORS.items()},
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "only when the server was started with --token-file; then every write needs it"}},
        },
    }


__all__ = [
    "MAX_JSON_BYTES", "MAX_LIMIT", "MAX_NOTE_CHARS", "MAX_SEGMENT_CHARS", "MAX_TEXT_CHARS", "MAX_UPLOAD_BYTES",
    "REASONS", "document",
]
