"""Load on ``glossary serve``: many translators looking names up while two of them add names.

The server runs in its own process on loopback (``glossary --db COPY serve``, uvicorn), on a
copy of the store given by ``--db`` (the benchmark writes to it).  Then, at the same time:

* ``--clients`` concurrent clients each send ``--lookups`` lookups (``GET /api/lookup``), one
  after the other, the queries of ``bench/variants-dev.tsv`` in turn;
* ``--writers`` clients each add ``--adds`` entities (``POST /api/entities``, with the token).

Reported: lookups per second over the run, p50/p95/p99 latency of lookups and of adds, the CPU
time the server's processes and this client spent per request (from /proc: the figure that moves
least with other jobs on the machine), errors
(any answer but 200/201, or a failed connection), and afterwards, the names added against the
names a lookup finds (each added Arabic name must come back as its entity).  The same lookups
are then run in this process through the library (``Glossary.lookup``, one after the other)
for the ratio: what HTTP, JSON and the threads cost.

Usage (the issue's size on the 65k-name store; small on the bundled one)::

    python benchmarks/serve_load.py --db STORE [--clients 50] [--lookups 200] [--writers 2] [--adds 50]

It prints a table and writes ``benchmarks/results/serve_load.json``.  Every request goes to
127.0.0.1; the run is bounded by its counts and by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "serve_load.json"
QUERIES = Path("bench/variants-dev.tsv")


def read_queries(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row["query"] for row in csv.DictReader(f, delimiter="\t") if row["query"].strip()]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process and its descendants, from /proc (None elsewhere).

    On a machine whose cores other jobs share, throughput and latency move with their load; the
    server's CPU time per request moves much less, so it is the figure to compare code by.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, ValueError, IndexError):
        return None
    for child in children:
        total += cpu_seconds(int(child)) or 0.0
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, token_file: Path, threads: int) -> subprocess.Popen[bytes]:
    code = "import sys\nfrom glossary.cli import main\nsys.argv = ['glossary', *sys.argv[1:]]\nmain()\n"
    cmd = [sys.executable, "-c", code, "--db", str(db), "serve", "--port", str(port),
           "--token-file", str(token_file), "--threads", str(threads)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float) -> float:
    start = time.perf_counter()
    async with httpx.AsyncClient() as client:
        while time.perf_counter() - start < timeout:
            if server.poll() is not None:
                said = server.stderr.read().decode() if server.stderr else ""
                raise SystemExit(f"serve_load: the server stopped: {said}")
            try:
                if (await client.get(f"{base}/api/stats", timeout=2)).status_code == 200:
                    return time.perf_counter() - start
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"serve_load: no answer from the server in {timeout:.0f} s")


class Connection:
    """One client's keep-alive HTTP/1.1 connection: a request, then its answer (status, body).

    The load's requests go through this, not httpx: on this two-core machine the load and the
    server share the cores, and httpx's client spent about 4 ms of CPU a request (more than the
    server's lookup), so a run measured the client as much as the server.  This one writes the
    request line and reads the status line, the headers and ``Content-Length`` bytes, which is
    all the server's JSON answers need (tens of microseconds).  A failed connection is opened
    again for the next request.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, target: str, body: bytes = b"", headers: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Length: {len(body)}\r\n{headers}\r\n")
        try:
            self.writer.write(head.encode("ascii") + body)
            status = int((await self.reader.readline()).split(b" ", 2)[1])
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            return status, await self.reader.readexactly(length)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(base: str, token: str, queries: list[str], args: argparse.Namespace) -> dict[str, Any]:
    lookup_ms: list[float] = []
    add_ms: list[float] = []
    errors: list[str] = []
    added: list[tuple[str, str]] = []
    deadline = time.perf_counter() + args.timeout
    url = httpx.URL(base)
    host, port = url.host, url.port or 80

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for q in queries[:20]:  # warm: the first answers of each thread load nothing later ones pay for
            await client.get("/api/lookup", params={"q": q})

        async def reader(i: int) -> None:
            connection = Connection(host, port)
            for j in range(args.lookups):
                if time.perf_counter() > deadline:
                    errors.append("timeout")
                    break
                q = queries[(i * args.lookups + j) % len(queries)]
                t = time.perf_counter()
                try:
                    status, _ = await connection.request("GET", "/api/lookup?" + urlencode({"q": q, "limit": 5}))
                    if status != 200:
                        errors.append(f"lookup {status}")
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                    errors.append(f"lookup {exc.__class__.__name__}")
                lookup_ms.append((time.perf_counter() - t) * 1000)
            connection.close()

        async def writer(w: int) -> None:
            connection = Connection(host, port)
            headers = f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            for k in range(args.adds):
                english, arabic = f"Load Test {w} {k}", f"اختبار الحمل {w} {k}"
                t = time.perf_counter()
                try:
                    body = json.dumps({"english": english, "arabic": arabic, "kind": "person"}).encode()
                    status, _ = await connection.request("POST", "/api/entities", body, headers)
                    if status == 201:
                        added.append((english, arabic))
                    else:
                        errors.append(f"add {status}")
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                    errors.append(f"add {exc.__class__.__name__}")
                add_ms.append((time.perf_counter() - t) * 1000)
            connection.close()

        start = time.perf_counter()
        await asyncio.gather(*[reader(i) for i in range(args.clients)], *[writer(w) for w in range(args.writers)])
        wall = time.perf_counter() - start

        found = 0
        for english, arabic in added:
            r = await client.get("/api/lookup", params={"q": arabic, "limit": 1})
            if r.status_code == 200 and r.json() and r.json()[0]["english"] == english:
                found += 1
    return {
        "wall_s": round(wall, 3),
        "lookups": len(lookup_ms),
        "lookups_per_s": round(len(lookup_ms) / wall, 1),
        "lookup_p50_ms": round(percentile(lookup_ms, 50), 2),
        "lookup_p95_ms": round(percentile(lookup_ms, 95), 2),
        "lookup_p99_ms": round(percentile(lookup_ms, 99), 2),
        "adds": len(add_ms),
        "add_p50_ms": round(percentile(add_ms, 50), 2),
        "add_p99_ms": round(percentile(add_ms, 99), 2),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "names_added": len(added),
        "names_found_after": found,
    }


def in_process(db: Path, queries: list[str], count: int) -> dict[str, Any]:
    """The same lookups through the library, one after the other, in this process."""
    from glossary import Glossary

    with Glossary.open(db) as g:
        for q in queries[:20]:
            g.lookup(q)
        times: list[float] = []
        start = time.perf_counter()
        for j in range(count):
            t = time.perf_counter()
            g.lookup(queries[j % len(queries)], limit=5)
            times.append((time.perf_counter() - t) * 1000)
        wall = time.perf_counter() - start
    return {"lookups": count, "lookups_per_s": round(count / wall, 1),
            "p50_ms": round(percentile(times, 50), 3), "p99_ms": round(percentile(times, 99), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="the store to serve (copied: the benchmark writes)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--lookups", type=int, default=200, help="lookups per client")
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--adds", type=int, default=50, help="entities each writer adds")
    ap.add_argument("--threads", type=int, default=2, help="the server's --threads")
    ap.add_argument("--timeout", type=float, default=600, help="seconds the load may run at most")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()

    queries = read_queries(args.shared / QUERIES)
    with tempfile.TemporaryDirectory(prefix="serve-load-") as work:
        db = Path(work) / "store.db"
        shutil.copyfile(args.db, db)
        index = args.db.with_name(args.db.name + ".index")
        if index.exists():  # the persisted index, if the store has one (else the server builds it first)
            shutil.copyfile(index, db.with_name(db.name + ".index"))
        token = secrets.token_urlsafe(24)
        token_file = Path(work) / "token"
        token_file.write_text(token, encoding="utf-8")
        port = free_port()
        server = start_server(db, port, token_file, args.threads)
        try:
            ready = asyncio.run(wait_ready(f"http://127.0.0.1:{port}", server, 300))
            cpu_before, own_before = cpu_seconds(server.pid), time.process_time()
            served = asyncio.run(load(f"http://127.0.0.1:{port}", token, queries, args))
            cpu_after, own_after = cpu_seconds(server.pid), time.process_time()
            requests = served["lookups"] + served["adds"] + served["names_added"] + 20  # warm-up and checks too
            served["server_cpu_ms_per_request"] = (
                None if cpu_before is None or cpu_after is None
                else round((cpu_after - cpu_before) * 1000 / max(requests, 1), 3))
            served["client_cpu_ms_per_request"] = round((own_after - own_before) * 1000 / max(requests, 1), 3)
        finally:
            server.terminate()
            server.wait(timeout=60)
        local = in_process(db, queries, min(args.clients * args.lookups, 5000))

    result = {
        "store": str(args.db),
        "clients": args.clients, "lookups_per_client": args.lookups, "writers": args.writers,
        "adds_per_writer": args.adds, "server_threads": args.threads,
        "server_ready_s": round(ready, 2),
        "served": served,
        "in_process": local,
        "served_over_in_process": round(served["lookups_per_s"] / local["lookups_per_s"], 3),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    rows = [
        ("lookups/s (served)", served["lookups_per_s"]),
        ("lookup p50 / p95 / p99 ms",
         f"{served['lookup_p50_ms']} / {served['lookup_p95_ms']} / {served['lookup_p99_ms']}"),
        ("add p50 / p99 ms", f"{served['add_p50_ms']} / {served['add_p99_ms']}"),
        ("server / client CPU ms a request", f"{served['server_cpu_ms_per_request']} / "
                                             f"{served['client_cpu_ms_per_request']}"),
        ("errors", served["errors"]),
        ("names added / found after", f"{served['names_added']} / {served['names_found_after']}"),
        ("lookups/s (in process, one thread)", local["lookups_per_s"]),
        ("lookup p50 ms (in process)", local["p50_ms"]),
        ("served / in process", result["served_over_in_process"]),
    ]
    print(f"| {args.clients} clients x {args.lookups} lookups, {args.writers} writers x {args.adds} adds | |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
