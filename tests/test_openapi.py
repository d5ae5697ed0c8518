"""The OpenAPI document of ``glossary serve`` (issue 17): valid OpenAPI 3.1, the same routes as the
app (so that neither can drift from the other), and real answers that validate against the schemas
it documents for them, error answers included."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette 1.x prefers the httpx2 fork for its test client; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.routing import Route
    from starlette.testclient import TestClient

from glossary import Glossary
from glossary.openapi import document
from glossary.server import create_app

jsonschema = pytest.importorskip("jsonschema")

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
TOKEN = "s3cret-token-for-the-desk"
METHODS = {"get", "post", "patch", "delete", "put"}


@pytest.fixture
def client(tmp_path: Path, bundled_db: Path) -> Iterator[TestClient]:
    store = tmp_path / "desk.db"
    shutil.copyfile(bundled_db, store)
    with Glossary.open(store) as g:
        g.tm.add("التقى بوتين مع شويغو في موسكو", "Putin met Shoigu in Moscow", note="seed")
    with TestClient(create_app(store, threads=2, token=TOKEN)) as c:
        yield c


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    doc: dict[str, Any] = answer.json()
    return doc


def test_the_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)  # raises on any error
    assert spec["openapi"] == "3.1.0"


def test_every_route_of_the_app_is_documented_and_nothing_else(client: TestClient, spec: dict[str, Any]) -> None:
    served: set[tuple[str, str]] = set()
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith(("/api/", "/tmserver/")):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {text:path} is {text} to OpenAPI
            served |= {(path, m.lower()) for m in route.methods or () if m != "HEAD"}
    documented = {(path, method) for path, item in spec["paths"].items() for method in item if method in METHODS}
    assert served == documented
    assert len(served) >= 25


def test_every_operation_documents_its_parameters_errors_and_bodies(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            answers = op["responses"]
            ok = [code for code in answers if code.startswith("2")]
            assert len(ok) == 1, (path, method)
            assert "500" in answers and answers["500"]["$ref"] == "#/components/responses/E500"
            named = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert named == set(re.findall(r"\{(\w+)\}", path)), (path, method)
            writes = method in ("post", "patch", "delete") and path not in {"/api/mentions", "/api/normalize"}
            if writes:
                assert "401" in answers and "403" in answers, (path, method)
            if method in ("post", "patch") and not path.startswith("/api/review/"):
                assert "requestBody" in op, (path, method)
    for response in spec["components"]["responses"].values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def check(spec: dict[str, Any], answer: Any, path: str, method: str = "get") -> Any:
    """Validate a real answer against the schema the document gives its path, method and status."""
    responses = spec["paths"][path][method]["responses"]
    documented = responses[str(answer.status_code)]
    if "$ref" in documented:
        documented = spec["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    schema = {**documented["content"]["application/json"]["schema"], "components": spec["components"]}
    body = answer.json()
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
    return body


def test_real_answers_validate_against_their_documented_schemas(client: TestClient, spec: dict[str, Any]) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    check(spec, client.get("/api/stats"), "/api/stats")
    found = check(spec, client.get("/api/lookup", params={"q": "بيونج يانج"}), "/api/lookup")
    assert found and found[0]["english"] == "Pyongyang"
    check(spec, client.get("/api/prefix", params={"q": "Pyong"}), "/api/prefix")
    check(spec, client.get("/api/entities", params={"limit": 3}), "/api/entities")
    body = {"english": "Grigory Yavlinsky", "arabic": "غريغوري يافلينسكي", "kind": "person"}
    added = check(spec, client.post("/api/entities", json=body, headers=auth), "/api/entities", "post")
    eid = added["id"]
    check(spec, client.get(f"/api/entities/{eid}"), "/api/entities/{id}")
    named = check(spec, client.post(f"/api/entities/{eid}/names", json={"text": "جريجوري يافلينسكي"}, headers=auth),
                  "/api/entities/{id}/names", "post")
    check(spec, client.patch(f"/api/entities/{eid}", json={"note": "Russian politician"}, headers=auth),
          "/api/entities/{id}", "patch")
    check(spec, client.delete(f"/api/names/{named['name_id']}", headers=auth), "/api/names/{id}", "delete")
    text = {"text": "التقى بوتين مع كيم جونج أون في بيونجيانج"}
    assert check(spec, client.post("/api/mentions", json=text), "/api/mentions", "post")["mentions"]
    check(spec, client.post("/api/normalize", json=text), "/api/normalize", "post")
    check(spec, client.get("/api/review"), "/api/review")
    hits = check(spec, client.get("/api/tm/search", params={"q": "التقى بوتين مع شويغو في موسكو"}), "/api/tm/search")
    assert hits
    check(spec, client.get("/api/tm/concordance", params={"q": "شويغو"}), "/api/tm/concordance")
    check(spec, client.get(f"/api/tm/units/{hits[0]['unit_id']}"), "/api/tm/units/{id}")
    check(spec, client.get("/tmserver/languages/"), "/tmserver/languages/")
    units = check(spec, client.get("/tmserver/ar/en/unit/التقى بوتين مع شويغو في موسكو"),
                  "/tmserver/{src}/{tgt}/unit/{text}")
    assert units
    check(spec, client.delete(f"/api/entities/{eid}", headers=auth), "/api/entities/{id}", "delete")


def test_error_answers_validate_against_the_error_shape(client: TestClient, spec: dict[str, Any]) -> None:
    check(spec, client.get("/api/lookup"), "/api/lookup")  # 400: q is required
    check(spec, client.get("/api/lookup", params={"q": "x" * 5000}), "/api/lookup")  # 414
    check(spec, client.get("/api/entities/999999"), "/api/entities/{id}")  # 404
    check(spec, client.post("/api/entities", json={"english": "X", "arabic": "س"}), "/api/entities", "post")  # 401
    check(spec, client.post("/api/mentions", content=b"{not json"), "/api/mentions", "post")  # 400
    check(spec, client.post("/api/mentions", content=b"x" * 1_000_001), "/api/mentions", "post")  # 413


def test_the_document_needs_no_server(spec: dict[str, Any]) -> None:
    """glossary.openapi is plain data: the same document without Starlette's app around it."""
    assert document(spec["info"]["version"]) == spec
