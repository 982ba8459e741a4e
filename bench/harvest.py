#!/usr/bin/env python3
"""Harvest throughput: the bundle's ``dcat_rdf`` harvester against stock
``dcat_rdf`` (ckanext-dcat, CKAN's default schema), end to end, same run.

For each catalogue size (default 1,200, the size of Tunisia's portal, and
5,000) and each configuration this script

1. generates a paginated DCAT-AP catalogue (Turtle, 100 datasets a page,
   hydra paging) from Tunisia's real records: French and Arabic titles,
   descriptions and keywords, 3 distributions each, served by an
   ``http.server`` on 127.0.0.1;
2. writes an ini on the bench services (database ckan_bench, Solr core
   ckan_bench, Redis db 2; api_latency.py's helpers), resets them and sets
   the Solr core up as the configuration is deployed;
3. starts the real consumers (``ckan harvester gather-consumer`` and
   ``fetch-consumer``), creates an organisation, a source and a job;
4. times from the job's creation until every object is COMPLETE or ERROR
   and Solr holds the datasets; peak memory is the consumers' VmHWM.

    .venv/bin/python bench/harvest.py                 # 1200 and 5000
    .venv/bin/python bench/harvest.py --sizes 1200 --configs bundle,stock
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_latency as bench  # noqa: E402  (the bench services helpers)

PAGE_SIZE = 100
STOCK_PLUGINS = "harvest dcat dcat_rdf_harvester"
PYTHON = os.path.join(bench.ROOT, ".venv", "bin", "python")
TURTLE_PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""


def _literal(text: str, lang: str | None = None) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", "")
    return f'"{text}"' + (f"@{lang}" if lang else "")


def _arabic(tags: list[str]) -> list[str]:
    return [t for t in tags if any("\u0600" <= ch <= "\u06ff" for ch in t)]


def dataset_block(i: int, record: dict, base: str) -> str:
    uri = f"{base}/dataset/{i}"
    arabic = _arabic(record.get("tags") or []) or ["بيانات"]
    lines = [f"<{uri}> a dcat:Dataset ;",
             f"  dct:identifier {_literal(f'bench-{i}')} ;",
             f"  dct:title {_literal(record['title'] + f' ({i})', 'fr')}, {_literal(' '.join(arabic) + f' {i}', 'ar')} ;",
             f"  dct:description {_literal(record.get('notes') or record['title'], 'fr')}, "
             f"{_literal('وصف ' + ' '.join(arabic), 'ar')} ;",
             f"  dct:publisher [ a foaf:Agent ; foaf:name {_literal(record['org'], 'fr')} ] ;"]
    lines += [f"  dcat:keyword {_literal(t, 'ar' if t in arabic else 'fr')} ;" for t in record.get("tags") or []]
    lines.append(" ;\n".join(f"  dcat:distribution <{uri}/resource/{n}>" for n in range(3)) + " .")
    for n in range(3):
        lines.append(f"<{uri}/resource/{n}> a dcat:Distribution ; dct:title {_literal(f'Ressource {n}', 'fr')} ;"
                     f" dct:format \"CSV\" ; dcat:accessURL <https://data.example.tn/{i}/{n}.csv> .")
    return "\n".join(lines)


class Catalogue:
    """The generated catalogue's pages, served on 127.0.0.1."""

    def __init__(self, size: int, records: list[dict]):
        self.size = size
        self.records = records
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = pages.page(int(self.path.rsplit("/", 1)[-1].split(".")[0])).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def page(self, number: int) -> str:
        start = (number - 1) * PAGE_SIZE
        blocks = [dataset_block(i, self.records[i % len(self.records)], self.base)
                  for i in range(start, min(start + PAGE_SIZE, self.size))]
        body = TURTLE_PREFIXES + "\n".join(blocks)
        if start + PAGE_SIZE < self.size:
            body += (f"\n<{self.base}/page/{number}.ttl> a hydra:PagedCollection ; "
                     f"hydra:totalItems {self.size} ; hydra:next \"{self.base}/page/{number + 1}.ttl\" .\n")
        return body

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


SETUP = """
import json, sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
app = make_app(load_config(sys.argv[1]))
import ckan.plugins.toolkit as tk
with app._wsgi_app.test_request_context():
    ctx = lambda: {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    org = tk.get_action("organization_create")(ctx(), {"name": "bench-org", "title": "Bench",
        "title_translated": {"ar": "اختبار", "fr": "Banc d'essai"}})
    source = tk.get_action("harvest_source_create")(ctx(), {"name": "bench-source", "title": "Bench",
        "url": sys.argv[2], "source_type": "dcat_rdf", "owner_org": org["id"], "frequency": "MANUAL",
        "config": json.dumps({"rdf_format": "text/turtle"})})
    job = tk.get_action("harvest_job_create")(ctx(), {"source_id": source["id"], "run": True})
    print(job["id"])
"""


def peak_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def solr_count() -> int:
    r = requests.get(f"{bench.BENCH_SOLR_URL}/select", params={"q": "dataset_type:dataset", "rows": 0,
                                                               "wt": "json"},
                     timeout=60, proxies={"http": None, "https": None})
    return r.json()["response"]["numFound"]


def wait_for_job(engine, job_id: str, size: int, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    query = sa.text("SELECT state, count(*) FROM harvest_object WHERE harvest_job_id = :id GROUP BY state")
    gathered = sa.text("SELECT gather_finished IS NOT NULL FROM harvest_job WHERE id = :id")
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            states = dict(conn.execute(query, {"id": job_id}).fetchall())
            done = conn.execute(gathered, {"id": job_id}).scalar()
        if done and sum(states.values()) and set(states) <= {"COMPLETE", "ERROR"}:
            # the last commits may still be on their way to Solr
            if states.get("COMPLETE", 0) <= solr_count() or time.monotonic() > deadline - 5:
                return states
        time.sleep(0.5)
    raise bench.BenchError(f"job {job_id} not finished within {timeout} s: {states}")


def run(config: str, size: int, catalogue: Catalogue, workdir: str, timeout: float) -> dict[str, Any]:
    os.makedirs(workdir, exist_ok=True)
    base_ini = os.path.join(workdir, "bench.ini")
    ini = os.path.join(workdir, "harvest.ini")
    plugins = bench.bundle_plugins() if config == "bundle" else STOCK_PLUGINS
    bench.write_ini(base_ini, plugins, bench.free_port(), workdir)
    extra = ("ckanext.opengov.harvest.allowed_private_addresses = 127.0.0.1\n" if config == "bundle"
             else "ckanext.dcat.rdf.profiles = euro_dcat_ap_2\n")
    with open(ini, "w", encoding="utf-8") as f:
        f.write(f"[app:main]\nuse = config:{base_ini}\n{extra}")
    solr = bench.SolrCore()
    try:
        solr.configure(portal=config == "bundle")
        bench.reset_services(ini)
        logs = [open(os.path.join(workdir, f"{kind}.log"), "w") for kind in ("gather", "fetch")]
        consumers = [subprocess.Popen([bench.CKAN, "-c", ini, "harvester", f"{kind}-consumer"],
                                      stdout=log, stderr=subprocess.STDOUT)
                     for kind, log in zip(("gather", "fetch"), logs)]
        try:
            started = time.monotonic()
            done = subprocess.run([PYTHON, "-c", SETUP, ini, f"{catalogue.base}/page/1.ttl"],
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise bench.BenchError("setup failed:\n" + done.stderr[-2000:])
            job_id = done.stdout.strip().splitlines()[-1]
            engine = sa.create_engine(bench.BENCH_DB_URL)
            states = wait_for_job(engine, job_id, size, timeout)
            elapsed = time.monotonic() - started
            indexed = solr_count()
            memory = [peak_mb(p.pid) for p in consumers]
        finally:
            for process in consumers:
                process.terminate()
                process.wait(timeout=30)
            for log in logs:
                log.close()
    finally:
        solr.restore()
    return {"config": config, "size": size, "seconds": round(elapsed, 1),
            "datasets_per_second": round(indexed / elapsed, 2) if elapsed else None,
            "indexed": indexed, "complete": states.get("COMPLETE", 0), "errors": states.get("ERROR", 0),
            "peak_mb_gather": memory[0], "peak_mb_fetch": memory[1]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1200,5000")
    parser.add_argument("--configs", default="bundle,stock")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    records, _ = bench.load_records()
    results = []
    workroot = tempfile.mkdtemp(prefix="bench-harvest-")
    for size in [int(s) for s in args.sizes.split(",")]:
        catalogue = Catalogue(size, records)
        try:
            for config in args.configs.split(","):
                bench.say(f"{config}: harvesting {size} datasets ...")
                result = run(config, size, catalogue, os.path.join(workroot, f"{config}-{size}"), args.timeout)
                bench.say(json.dumps(result))
                results.append(result)
        finally:
            catalogue.close()
    print(f"\n{'config':<8} {'datasets':>8} {'seconds':>8} {'datasets/s':>10} {'errors':>6} "
          f"{'peak MB gather':>14} {'peak MB fetch':>13}")
    for r in results:
        print(f"{r['config']:<8} {r['indexed']:>8} {r['seconds']:>8} {r['datasets_per_second']:>10} "
              f"{r['errors']:>6} {r['peak_mb_gather'] or 0:>14.0f} {r['peak_mb_fetch'] or 0:>13.0f}")
    for size in sorted({r["size"] for r in results}):
        by = {r["config"]: r for r in results if r["size"] == size}
        if {"bundle", "stock"} <= set(by) and by["stock"]["datasets_per_second"]:
            print(f"{size}: bundle/stock throughput = "
                  f"{by['bundle']['datasets_per_second'] / by['stock']['datasets_per_second']:.2f}x")
    os.makedirs(bench.RESULTS_DIR, exist_ok=True)
    with open(os.path.join(bench.RESULTS_DIR, "harvest_latest.json"), "w") as f:
        json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except bench.BenchError as error:
        bench.say(f"FAILED: {error}")
        sys.exit(1)
