"""``glossary serve`` (issue 17): the JSON API, the amaGama/tmserver API, the page and its security,
through Starlette's test client against a real store file (a copy of the bundled store), and the
command itself in a subprocess on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import warnings

from conftest import console_script

with warnings.catch_warnings():  # Starlette 1.x prefers the httpx2 fork for its test client; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glossary import Glossary
from glossary.cli.serve import is_loopback
from glossary.server import MAX_JSON_BYTES, WEB, create_app

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

EVIL_EN = '<script>alert("x")</script> "onmouseover=alert(1) x="'
EVIL_AR = 'سكربت تجريبي خبيث جدا <i>"'  # the Arabic column takes a few Latin letters, no more
EVIL_VARIANT = '"onmouseover=alert(1) <img src=x onerror=alert(2)>'
TOKEN = "s3cret-token-for-the-desk"


@pytest.fixture
def store(tmp_path: Path, bundled_db: Path) -> Path:
    target = tmp_path / "desk.db"
    shutil.copyfile(bundled_db, target)
    return target


@contextmanager
def serving(path: Path, **options: Any) -> Iterator[TestClient]:
    with TestClient(create_app(path, threads=2, **options)) as client:
        yield client


@pytest.fixture
def client(store: Path) -> Iterator[TestClient]:
    with serving(store) as c:
        yield c


def one_line_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert "\n" not in body["error"] and "Traceback" not in body["error"] and body["error"]
    return str(body["error"])


# ---------------------------------------------------------------------- the fixed points
@pytest.mark.parametrize("query", ["بيونج يانج", "Choi Son-hui", "سيرجي لافروف"])
def test_lookup_answers_what_glossary_lookup_json_prints(
    client: TestClient, store: Path, cli: Callable[..., subprocess.CompletedProcess[str]], query: str
) -> None:
    printed = cli("--db", str(store), "lookup", query, "--json", "--limit", "3")
    assert printed.returncode == 0, printed.stderr
    answer = client.get("/api/lookup", params={"q": query, "limit": 3})
    assert answer.status_code == 200
    assert answer.json() == json.loads(printed.stdout)
    assert answer.json()[0]["english"] in ("Pyongyang", "Choe Son Hui", "Sergei Lavrov")


def test_post_entities_adds_one_the_next_lookup_finds(client: TestClient) -> None:
    added = client.post("/api/entities", json={"english": "Grigory Yavlinsky", "arabic": "غريغوري يافلينسكي",
                                               "kind": "person"})
    assert added.status_code == 201, added.text
    entity = added.json()
    assert (entity["english"], entity["arabic"], entity["kind"]) == ("Grigory Yavlinsky", "غريغوري يافلينسكي", "person")
    found = client.get("/api/lookup", params={"q": "غريغوري يافلينسكي"}).json()
    assert found[0]["entity_id"] == entity["id"] and found[0]["score"] == 100.0
    again = client.post("/api/entities", json={"english": "Grigory Yavlinsky", "arabic": "يافلينسكي", "kind": "person"})
    assert "already exists" in one_line_error(again, 400)


def test_bad_entity_bodies_are_one_line_400s(client: TestClient) -> None:
    cases: list[Any] = [
        {"english": "X"},                                         # no arabic
        {"english": "X", "arabic": "Latin only", "kind": "person"},
        {"english": "X", "arabic": "إكس", "kind": "planet"},
        {"english": 3, "arabic": "إكس"},
        {"english": "X", "arabic": "إكس", "variants": "not a list"},
        [1, 2],
    ]
    for body in cases:
        one_line_error(client.post("/api/entities", json=body), 400)
    one_line_error(client.post("/api/entities", content=b"{not json"), 400)
    one_line_error(client.post("/api/entities", content=b"\xff\xfe"), 400)


# ---------------------------------------------------------------------- search, entities, editing
def test_prefix_search_finds_pyongyang_from_either_script(client: TestClient) -> None:
    for typed in ("بيونغ", "Pyong"):  # (بيون is Pune, a whole name: it comes first)
        answer = client.get("/api/prefix", params={"q": typed}).json()
        assert answer[0]["english"] == "Pyongyang", typed
        assert answer[0]["reason"] == "prefix"
    assert client.get("/api/prefix", params={"q": "ززززز"}).json() == []


def test_an_entity_with_every_spelling_then_edit_rename_variants_and_delete(client: TestClient) -> None:
    pyongyang = client.get("/api/lookup", params={"q": "Pyongyang"}).json()[0]["entity_id"]
    entity = client.get(f"/api/entities/{pyongyang}").json()
    spellings = {n["text"]: n for n in entity["names"]}
    assert {"بيونغ يانغ", "بيونج يانج", "Pyongyang"} <= set(spellings)
    assert spellings["بيونغ يانغ"]["role"] == "canonical" and "source" in spellings["بيونج يانج"]

    added = client.post(f"/api/entities/{pyongyang}/names", json={"text": "بيونغيانغ الكورية", "role": "variant"})
    assert added.status_code == 201
    alias = client.post(f"/api/entities/{pyongyang}/names", json={"text": "عاصمة الشمال", "role": "alias"}).json()
    roles = {n["text"]: n["role"] for n in alias["entity"]["names"]}
    assert roles["بيونغيانغ الكورية"] == "variant" and roles["عاصمة الشمال"] == "alias"
    one_line_error(client.post(f"/api/entities/{pyongyang}/names", json={"text": "x", "role": "canonical"}), 400)

    renamed = client.patch(f"/api/entities/{pyongyang}", json={"arabic": "بيونغيانغ", "note": "capital of the DPRK"})
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert body["arabic"] == "بيونغيانغ" and body["note"] == "capital of the DPRK"
    assert {n["text"]: n["role"] for n in body["names"]}["بيونغ يانغ"] == "variant"  # the old canonical stays

    removed = client.delete(f"/api/names/{alias['name_id']}")
    assert removed.status_code == 200
    assert "عاصمة الشمال" not in {n["text"] for n in client.get(f"/api/entities/{pyongyang}").json()["names"]}
    canonical = next(n["id"] for n in body["names"] if n["role"] == "canonical")
    one_line_error(client.delete(f"/api/names/{canonical}"), 400)

    assert client.delete(f"/api/entities/{pyongyang}").status_code == 200
    assert "no entity" in one_line_error(client.get(f"/api/entities/{pyongyang}"), 404)
    one_line_error(client.delete(f"/api/entities/{pyongyang}"), 404)


def test_entities_are_listed_a_page_at_a_time(client: TestClient) -> None:
    page = client.get("/api/entities", params={"kind": "person", "limit": 3}).json()
    assert len(page) == 3 and all(e["kind"] == "person" for e in page)
    nxt = client.get("/api/entities", params={"kind": "person", "limit": 3, "offset": 3}).json()
    assert {e["id"] for e in page}.isdisjoint(e["id"] for e in nxt)
    one_line_error(client.get("/api/entities", params={"kind": "planet"}), 400)


# ---------------------------------------------------------------------- running text
PARAGRAPH = "التقى فلاديمير بوتين مع كيم جونج أون في بيونجيانج، وقال لافروف إن موسكو ترحب."


def test_mentions_have_offsets_into_the_posted_text(client: TestClient, store: Path) -> None:
    answer = client.post("/api/mentions", json={"text": PARAGRAPH})
    assert answer.status_code == 200
    found = answer.json()["mentions"]
    assert {m["english"] for m in found} >= {"Vladimir Putin", "Kim Jong Un", "Pyongyang", "Sergei Lavrov", "Moscow"}
    for m in found:
        assert PARAGRAPH[m["start"]:m["end"]] == m["surface"]
        assert {"arabic", "score", "reason", "ambiguous", "stored", "kind"} <= set(m)
    pyongyang = next(m for m in found if m["english"] == "Pyongyang")
    assert pyongyang["stored"] is False  # found through its sound, not a stored spelling


def test_normalize_returns_the_librarys_text_and_mentions(client: TestClient, store: Path) -> None:
    answer = client.post("/api/normalize", json={"text": PARAGRAPH}).json()
    with Glossary.open(store) as g:
        expected = g.normalize_text(PARAGRAPH)
    assert answer["text"] == expected.text and answer["changed"] is True
    assert [m["replacement"] for m in answer["mentions"]] == [m.replacement for m in expected.mentions]
    assert "بيونغ يانغ" in answer["text"]


def test_text_bodies_have_limits(client: TestClient) -> None:
    big = "كلمة " * (MAX_JSON_BYTES // 8)
    one_line_error(client.post("/api/mentions", json={"text": big}), 413)
    one_line_error(client.post("/api/mentions", json={}), 400)
    one_line_error(client.get("/api/lookup", params={"q": "x" * 301}), 414)


# ---------------------------------------------------------------------- translation memory
def test_tm_add_search_with_repair_and_concordance(client: TestClient) -> None:
    added = client.post("/api/tm/units", json={"source": "التقى الرئيس مع لافروف في موسكو",
                                               "target": "The president met Lavrov in Moscow"})
    assert added.status_code == 201
    hits = client.get("/api/tm/search", params={"q": "التقى الرئيس مع شويغو في موسكو"}).json()
    assert hits and hits[0]["repaired_target"] == "The president met Shoigu in Moscow"
    assert 80 <= hits[0]["score"] < 100
    concordance = client.get("/api/tm/concordance", params={"q": "لافروف"}).json()
    assert [h["unit_id"] for h in concordance] == [added.json()["id"]]
    assert client.get(f"/api/tm/units/{added.json()['id']}").json()["target"] == "The president met Lavrov in Moscow"
    assert client.delete(f"/api/tm/units/{added.json()['id']}").status_code == 200
    one_line_error(client.get(f"/api/tm/units/{added.json()['id']}"), 404)
    one_line_error(client.post("/api/tm/units", json={"source": "hello", "target": "world", "source_lang": "ar"}), 400)


# ---------------------------------------------------------------------- amaGama / tmserver
@pytest.fixture
def tm_client(client: TestClient) -> TestClient:
    for source, target in [
        ("التقى الرئيس مع لافروف في موسكو", "The president met Lavrov in Moscow"),
        ("وصل الوفد إلى بيونغ يانغ / أمس", "The delegation arrived in Pyongyang / yesterday"),
    ]:
        assert client.post("/api/tm/units", json={"source": source, "target": target}).status_code == 201
    return client


def test_tmserver_languages_has_the_documented_shape(tm_client: TestClient) -> None:
    answer = tm_client.get("/tmserver/languages/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {"sourceLanguages": ["ar", "en"], "targetLanguages": ["ar", "en"]}


def test_tmserver_unit_answers_as_amagama_documents_it(tm_client: TestClient) -> None:
    # as Weblate's tmserver backend asks: every part of the path percent-encoded, "/" too
    text = "التقى الرئيس مع شويغو في موسكو"
    answer = tm_client.get("/tmserver/ar/en/unit/" + quote(text, safe=""))
    assert answer.status_code == 200
    units = answer.json()
    assert units and all(set(u) == {"source", "target", "quality", "rank"} for u in units)
    assert units[0]["source"] == "التقى الرئيس مع لافروف في موسكو"
    assert units[0]["target"] == "The president met Shoigu in Moscow"  # the repaired target
    assert isinstance(units[0]["quality"], float) and 70 <= units[0]["quality"] <= 100

    slash = tm_client.get("/tmserver/ar/en/unit/" + quote("وصل الوفد إلى بيونغ يانغ / أمس", safe="")).json()
    assert slash[0]["quality"] == 100.0 and slash[0]["target"].endswith("/ yesterday")
    by_query = tm_client.get("/tmserver/ar/en/unit/", params={"source": text}).json()
    assert by_query == units
    reverse = tm_client.get("/tmserver/en/ar/unit/" + quote("The president met Lavrov in Moscow", safe="")).json()
    assert reverse[0]["target"] == "التقى الرئيس مع لافروف في موسكو"
    assert tm_client.get("/tmserver/ar_EG/en_US/unit/" + quote(text, safe="")).json() == units  # LANG_COUNTRY


def test_tmserver_options_and_pairs_it_does_not_hold(tm_client: TestClient) -> None:
    text = quote("التقى الرئيس مع شويغو في موسكو", safe="")
    assert tm_client.get(f"/tmserver/ar/en/unit/{text}?min_similarity=99").json() == []
    assert len(tm_client.get(f"/tmserver/ar/en/unit/{text}?max_candidates=1&min_similarity=30").json()) == 1
    assert tm_client.get(f"/tmserver/ar/en/unit/{text}?min_similarity=abc").json()  # amaGama: the default
    assert tm_client.get("/tmserver/en/de/unit/test").json() == []  # Weblate's settings check
    assert tm_client.get(f"/tmserver/ar/fr/unit/{text}").json() == []


# ---------------------------------------------------------------------- review, import, export
def test_review_queue_lists_approves_and_rejects(client: TestClient, store: Path) -> None:
    with Glossary.open(store) as g:
        eid = g.lookup("Moscow")[0].entity_id
        first, second = g.suggest_variants([(eid, "موسكوو"), (eid, "مسكوفا")], source="test")
    queue = client.get("/api/review").json()
    assert [(r["id"], r["spelling"], r["english"]) for r in queue] == [(first, "موسكوو", "Moscow"),
                                                                       (second, "مسكوفا", "Moscow")]
    assert client.post(f"/api/review/{first}/approve").json() == {"approved": first}
    assert client.post(f"/api/review/{second}/reject").json() == {"rejected": second}
    assert client.get("/api/review").json() == []
    names = {n["text"]: n["status"] for n in client.get(f"/api/entities/{eid}").json()["names"]}
    assert names["موسكوو"] == "approved" and "مسكوفا" not in names
    one_line_error(client.post(f"/api/review/{first}/approve"), 404)  # no longer waiting


def test_export_and_import_through_the_api(client: TestClient) -> None:
    exported = client.get("/api/export", params={"format": "csv"})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    assert exported.text.splitlines()[0].startswith("english,arabic")
    jsonl = client.get("/api/export").text.splitlines()
    assert len(jsonl) > 500 and all(json.loads(line) for line in jsonl)

    rows = "english,arabic,kind,variants\nAbiy Ahmed,آبي أحمد,person,أبي أحمد\n"
    imported = client.post("/api/import?format=csv&curated=true", content=rows.encode())
    assert imported.status_code == 200, imported.text
    assert imported.json()["added"] == 1
    assert client.get("/api/lookup", params={"q": "أبي أحمد"}).json()[0]["english"] == "Abiy Ahmed"

    bad = client.post("/api/import?format=csv", content=b"english,arabic\nX,Latin\n")
    message = one_line_error(bad, 400)
    assert message.startswith("upload:2:") and "glossary-import" not in message
    one_line_error(client.post("/api/import", content=rows.encode()), 400)  # format required
    one_line_error(client.get("/api/export", params={"format": "docx"}), 400)


# ---------------------------------------------------------------------- errors
def test_every_error_is_one_json_line_with_a_4xx(client: TestClient) -> None:
    one_line_error(client.get("/api/nothing-here"), 404)
    one_line_error(client.put("/api/lookup"), 405)
    one_line_error(client.get("/api/lookup"), 400)
    one_line_error(client.get("/api/lookup", params={"q": "x", "limit": "many"}), 400)
    one_line_error(client.get("/api/lookup", params={"q": "x", "limit": 0}), 400)
    one_line_error(client.get("/api/lookup", params={"q": "x", "min_score": 101}), 400)
    one_line_error(client.get("/api/entities/abc"), 400)
    one_line_error(client.get(f"/api/entities/{2**70}"), 404)
    one_line_error(client.get("/api/entities/999999"), 404)
    one_line_error(client.post("/api/entities", content=b"x" * (MAX_JSON_BYTES + 1)), 413)


def test_an_unexpected_failure_is_a_500_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals at /srv/path")

    monkeypatch.setattr(Glossary, "lookup", broken)
    message = one_line_error(client.get("/api/lookup", params={"q": "Moscow"}), 500)
    assert "secret" not in message and "RuntimeError" not in message


# ---------------------------------------------------------------------- security
WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/entities", {"english": "Test Person", "arabic": "شخص تجريبي", "kind": "person"}),
    ("POST", "/api/entities/1/names", {"text": "فلاديمير بوتن"}),
    ("PATCH", "/api/entities/1", {"note": "changed"}),
    ("DELETE", "/api/entities/2", None),
    ("POST", "/api/tm/units", {"source": "مرحبا", "target": "hello"}),
    ("POST", "/api/review/1/approve", None),
]


def test_with_a_token_every_write_needs_it_and_reads_do_not(store: Path) -> None:
    with serving(store, token=TOKEN) as c:
        for method, path, body in WRITES:
            assert "Bearer" in one_line_error(c.request(method, path, json=body), 401)
            one_line_error(c.request(method, path, json=body, headers={"Authorization": "Bearer wrong"}), 401)
            one_line_error(c.request(method, path, json=body, headers={"Authorization": TOKEN}), 401)
        assert c.get("/api/entities/1").json()["note"] != "changed"  # nothing was written
        assert c.get("/api/entities/2").status_code == 200
        ok = c.post("/api/entities", json=WRITES[0][2], headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 201
        assert c.get("/api/lookup", params={"q": "شخص تجريبي"}).json()[0]["english"] == "Test Person"


def test_read_only_refuses_every_write_and_serves_reads(store: Path) -> None:
    with serving(store, read_only=True) as c:
        for method, path, body in WRITES:
            assert "read-only" in one_line_error(c.request(method, path, json=body), 403)
        one_line_error(c.post("/api/import?format=csv", content=b"english,arabic\n"), 403)
        assert c.get("/api/lookup", params={"q": "Moscow"}).json()[0]["english"] == "Moscow"
        assert c.post("/api/mentions", json={"text": "موسكو"}).status_code == 200  # a read, posted
    with Glossary.open(store) as g:
        assert g.find_entity(english="Test Person") is None


def test_a_write_from_another_sites_page_is_refused(client: TestClient) -> None:
    body = {"english": "Forged", "arabic": "مزور", "kind": "other"}
    one_line_error(client.post("/api/entities", json=body, headers={"Origin": "http://evil.example"}), 403)
    same = client.post("/api/entities", json=body, headers={"Origin": "http://testserver"})
    assert same.status_code == 201


def test_store_text_is_never_markup_in_the_page_or_the_api(client: TestClient) -> None:
    added = client.post("/api/entities", json={"english": EVIL_EN, "arabic": EVIL_AR, "kind": "person",
                                               "variants": [EVIL_VARIANT]})
    assert added.status_code == 201, added.text
    eid = added.json()["id"]
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in page.text and "onmouseover" not in page.text and "onerror" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for path in (f"/api/entities/{eid}", "/api/prefix?q=" + quote("سكربت"), "/api/lookup?q=" + quote(EVIL_AR)):
        answer = client.get(path)
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.status_code == 200 and answer.json()  # the text comes back as JSON strings, as stored
    names = {n["text"] for n in client.get(f"/api/entities/{eid}").json()["names"]}
    assert {EVIL_EN, EVIL_AR, EVIL_VARIANT} <= names
    # the page's script sets store text only as text nodes: no HTML parsing anywhere in it
    script = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert "createTextNode" in script and "textContent" in script


def test_the_page_and_its_files_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/").text
    assert 'role="combobox"' in page and 'aria-controls="q-list"' in page and 'dir="auto"' in page
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset
    css = client.get("/static/app.css").text
    font = re.search(r'url\("([^"]+\.ttf)"\)', css)
    assert font is not None
    served = client.get("/static/" + font.group(1))
    assert served.status_code == 200 and served.content[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert "OFL" in (WEB / "fonts" / "NotoNaskhArabic-LICENSE.txt").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page  # nothing from the internet


# ---------------------------------------------------------------------- the command
def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost", "LOCALHOST"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""))


def test_another_host_without_a_token_refuses_to_start(
    cli: Callable[..., subprocess.CompletedProcess[str]], store: Path, tmp_path: Path
) -> None:
    done = cli("--db", str(store), "serve", "--host", "0.0.0.0", "--port", "1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--token-file" in done.stderr and "Traceback" not in done.stderr
    short = tmp_path / "short.token"
    short.write_text("abc\n", encoding="utf-8")
    done = cli("--db", str(store), "serve", "--host", "0.0.0.0", "--token-file", str(short))
    assert done.returncode == 2 and "at least 16" in done.stderr
    done = cli("--db", str(store), "serve", "--token-file", str(tmp_path / "missing.token"))
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_without_the_extra_serve_says_how_to_install_it(tmp_path: Path) -> None:
    code = (
        "import sys\nsys.modules['uvicorn'] = None\n"  # as if the extra were not installed
        "from glossary.cli import main\nsys.argv = ['glossary', 'serve']\nmain()\n"
    )
    env = {**os.environ, "GLOSSARY_DB": str(tmp_path / "x.db")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "glossary: error: glossary serve needs the serve extra: pip install 'glossary[serve]'"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_glossary_serve_starts_on_loopback_and_takes_concurrent_writes(store: Path, tmp_path: Path) -> None:
    httpx = pytest.importorskip("httpx")
    port = free_port()
    token = tmp_path / "desk.token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    server = subprocess.Popen(
        [console_script(), "--db", str(store), "serve", "--port", str(port), "--token-file", str(token),
         "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        auth = {"Authorization": f"Bearer {TOKEN}"}

        def add(i: int) -> int:
            body = {"english": f"Desk Person {i}", "arabic": f"شخص المكتب {i}", "kind": "person"}
            return httpx.post(f"{base}/api/entities", json=body, headers=auth, timeout=30).status_code

        def look(i: int) -> int:
            return httpx.get(f"{base}/api/lookup", params={"q": "بيونج يانج"}, timeout=30).status_code

        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(add, range(12))) + list(pool.map(look, range(24)))
        assert codes == [201] * 12 + [200] * 24
        for i in range(12):
            found = httpx.get(f"{base}/api/lookup", params={"q": f"شخص المكتب {i}", "limit": 1}, timeout=10).json()
            assert found[0]["english"] == f"Desk Person {i}"
        assert httpx.post(f"{base}/api/entities", json={}, timeout=10).status_code == 401
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err
