"""Batch normalization on Dask against one process, on the same corpus and store.

The corpus is ``benchmarks/normalize.py``'s, by its rule (fixed seed): the sentences of
the two seed articles, shuffled and repeated, each with one to three Wikidata names of
``../shared/data/names/wikidata-names-ar-en.tsv`` inserted, 30% of them with a proclitic
and 15% respelled within a sound class so that they are stored nowhere, until ``--mb``
MB (UTF-8).  It is cut at paragraph ends into files of about ``--file-kb`` KB under a
temporary folder (two levels of sub-folders), which is deleted at the end: the corpus is
never shipped.

Measured in one run, each a first pass over text its processes have not seen:

* **one process**: ``Glossary.normalize_files([corpus], out_dir=...)`` in this process,
  the recognizer built inside the timed call;
* **local pool**: the same with ``workers=--workers`` (forked processes inheriting the
  recognizer built in the timed call): what one machine gives without Dask, the reference
  for Dask's overhead;
* **Dask**: a ``LocalCluster`` of ``--workers`` worker processes (one thread each),
  started before the clock (its start-up is reported apart); ``normalize_files(...,
  client=client)``, each worker opening the store read-only and building its recognizer
  inside the timed call; then a **rerun** with nothing changed (every output skipped:
  the resume check, hashing inputs and outputs);
* CPU seconds of the one process and of each Dask worker during its run: on a shared
  machine the wall clock says how many cores the run got, the CPU time how the work split;
* the outputs must be identical (same files, same bytes) and the reports equal, or the
  run fails.

The store is ``--db`` (its names never written; its index file brought up to date before
the runs), else the bundled glossary in a temporary store.  Figures go to
``benchmarks/results/dask_normalize.json``; the machine may be shared, so compare the runs
of one invocation, not numbers across invocations.

Usage::

    python benchmarks/dask_normalize.py [--mb 100] [--db STORE] [--workers 2] [--file-kb 100] [--shared PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from glossary import Glossary
from glossary.batch import MANIFEST

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "dask_normalize.json"


def corpus_builder() -> Any:
    """``build_corpus(shared, mb)`` of ``benchmarks/normalize.py``: one rule for both benchmarks."""
    spec = importlib.util.spec_from_file_location("normalize_benchmark", HERE / "normalize.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_corpus


def write_corpus(text: str, root: Path, file_kb: float) -> tuple[int, int]:
    """Cut ``text`` at paragraph ends into files of about ``file_kb`` KB; (files, bytes)."""
    limit = int(file_kb * 1000)
    files = size = 0
    chunk: list[str] = []
    chunk_size = 0

    def flush() -> None:
        nonlocal files, size, chunk, chunk_size
        if not chunk:
            return
        target = root / f"d{files // 100:03d}" / f"{files % 100 // 10}" / f"article-{files:05d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(chunk).encode("utf-8")
        target.write_bytes(data)
        files += 1
        size += len(data)
        chunk, chunk_size = [], 0

    for para in text.split("\n\n"):
        if not para:
            continue
        chunk.append(para + "\n\n")
        chunk_size += len(para.encode("utf-8")) + 2
        if chunk_size >= limit:
            flush()
    flush()
    return files, size


def cpu_seconds() -> float:
    """This process's CPU time (run on each Dask worker too)."""
    return time.process_time()


def files_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB (default 100)")
    parser.add_argument("--db", type=Path, default=None, help="store to normalize against (default: bundled)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--file-kb", type=float, default=100.0, help="size of each corpus file (default 100 KB)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    load_start = os.getloadavg() if hasattr(os, "getloadavg") else None
    tmp = Path(tempfile.mkdtemp(prefix="glossary-dask-bench-"))
    try:
        start = time.perf_counter()
        text = corpus_builder()(args.shared, args.mb)
        corpus = tmp / "corpus"
        n_files, n_bytes = write_corpus(text, corpus, args.file_kb)
        del text
        corpus_s = time.perf_counter() - start
        print(f"corpus: {n_files} files, {n_bytes / 1e6:.1f} MB in {corpus_s:.1f} s (under {corpus})", flush=True)

        if args.db is None:
            db = tmp / "bundled.db"
            Glossary.open(db, defaults=True).close()
            store = "bundled glossary"
        else:
            db = args.db.resolve()
            store = str(db)
        with Glossary.open(db) as g:
            names = g.db.execute("SELECT count(*) FROM names WHERE status = 'approved'").fetchone()[0]
            # the store's index file made current before any clock starts, so that every run opens
            # the store as a new `glossary` process does (the persisted index, where there is one)
            g.recognizer  # noqa: B018

        # one process: a fresh Glossary, its recognizer built inside the timed call
        start, cpu = time.perf_counter(), time.process_time()
        with Glossary.open(db) as g:
            local = g.normalize_files([corpus], out_dir=tmp / "local")
        local_s, local_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"one process: {local_s:.1f} s", flush=True)
        start = time.perf_counter()
        with Glossary.open(db) as g:
            pool = g.normalize_files([corpus], out_dir=tmp / "pool", workers=args.workers)
        pool_s = time.perf_counter() - start
        print(f"local pool ({args.workers} processes): {pool_s:.1f} s", flush=True)

        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
        client = Client(cluster, set_as_default=False)
        cluster_s = time.perf_counter() - start
        try:
            with Glossary.open(db) as g:
                before = client.run(cpu_seconds)
                start = time.perf_counter()
                remote = g.normalize_files([corpus], out_dir=tmp / "dask", client=client)
                dask_s = time.perf_counter() - start
                after = client.run(cpu_seconds)
                worker_cpu = sorted(round(after[w] - before[w], 2) for w in after)
                print(f"dask ({args.workers} workers): {dask_s:.1f} s (cluster start {cluster_s:.1f} s)", flush=True)
                start = time.perf_counter()
                rerun = g.normalize_files([corpus], out_dir=tmp / "dask", client=client)
                rerun_s = time.perf_counter() - start
        finally:
            client.close()
            cluster.close()

        identical = files_under(tmp / "local") == files_under(tmp / "dask") == files_under(tmp / "pool")
        same_report = local.as_dict() == remote.as_dict() == rerun.as_dict() == pool.as_dict()
        skipped = sum(f.skipped for f in rerun.files)
        if not (identical and same_report and skipped == n_files - len(local.errors)):
            raise SystemExit(f"mismatch: identical={identical} same_report={same_report} skipped={skipped}")

        mb = n_bytes / 1e6
        rows = [
            ("one process", local_s, mb / local_s),
            (f"local pool, workers={args.workers} (fork)", pool_s, mb / pool_s),
            (f"Dask LocalCluster, {args.workers} workers", dask_s, mb / dask_s),
            ("Dask rerun, every output complete (skipped)", rerun_s, mb / rerun_s),
        ]
        print()
        print(f"| run ({mb:.1f} MB, {n_files} files, {names} names) | wall s | MB/s |")
        print("|---|---:|---:|")
        for label, secs, rate in rows:
            print(f"| {label} | {secs:.1f} | {rate:.2f} |")
        print(f"CPU seconds: one process {local_cpu:.1f}; Dask workers {', '.join(map(str, worker_cpu))} "
              f"(on {os.cpu_count()} CPUs, load average {f'{load_start[0]:.2f}' if load_start else '?'} at the start)")
        print(f"\nDask {local_s / dask_s:.2f}x one process (local pool {local_s / pool_s:.2f}x); "
              f"cluster start-up {cluster_s:.1f} s not counted; "
              f"outputs identical, reports equal; {local.summary['mentions']} mentions")

        result = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None},
            "corpus": {"mb": round(mb, 3), "files": n_files, "file_kb": args.file_kb,
                       "rule": "normalize.py build_corpus (seed sentences + Wikidata names), cut into files"},
            "store": store, "approved_names": names, "workers": args.workers,
            "one_process_s": round(local_s, 2), "local_pool_s": round(pool_s, 2), "dask_s": round(dask_s, 2),
            "dask_rerun_s": round(rerun_s, 2),
            "cluster_start_s": round(cluster_s, 2), "speedup": round(local_s / dask_s, 3),
            "pool_speedup": round(local_s / pool_s, 3),
            "one_process_cpu_s": round(local_cpu, 2), "dask_worker_cpu_s": worker_cpu,
            "load_average_start": load_start,
            "mentions": local.summary["mentions"], "changed": local.summary["changed"],
            "identical_outputs": identical, "equal_reports": same_report, "rerun_skipped": skipped,
        }
        args.results.parent.mkdir(parents=True, exist_ok=True)
        tmp_out = args.results.with_suffix(".json.tmp")
        tmp_out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp_out, args.results)
        print(f"written {args.results}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
