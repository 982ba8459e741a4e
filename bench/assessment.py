#!/usr/bin/env python
"""Assessment benchmarks (issue 7): scoring speed, link-checking speed, and
a full run over the real catalogue sample.

    # 10,000 generated datasets scored in memory (MQA, SHACL, extended)
    .venv/bin/python bench/assessment.py score --datasets 10000
    # 10,000 URLs checked against a local HTTP server
    .venv/bin/python bench/assessment.py urls --urls 10000
    # the 730 datasets of /work/shared/data loaded into a database and run
    # (WIPES that database: give it your own, e.g. a test slot)
    CKAN_SQLALCHEMY_URL=... CKAN_SOLR_URL=... CKAN_REDIS_URL=... \\
      .venv/bin/python bench/assessment.py run --reset-database

Each prints its figures and the peak memory of the process (ru_maxrss).
The configuration is test.ini with the portal's plugins (config/development.ini)
and the services named by CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL / CKAN_REDIS_URL.
"""
from __future__ import annotations

import argparse
import configparser
import datetime as dt
import itertools
import json
import os
import resource
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
SAMPLE = "/work/shared/data/tn_catalog_sample.json"
FREQUENCIES = ("ANNUAL", "MONTHLY", "QUARTERLY", "DAILY", "IRREG", None, "UNKNOWN")
FORMATS = {"WORD": "DOCX", "GEOJSON": "GeoJSON"}
LICENCES = {"Licence Nationale de Données Publiques Ouvertes": "lndpo-tn",
            "Licence de Base de Données Ouverte (Open Database License ODbL)": "odc-odbl",
            'Licence Creative Commons "Attribution" CC-BY': "cc-by-4.0"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def portal_plugins() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(ROOT, "config", "development.ini"))
    return " ".join(parser["app:main"]["ckan.plugins"].split())


def flask_app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    conf = load_config(ini)
    conf["ckan.plugins"] = portal_plugins()
    conf["ckanext.odassessment.rescore_on_update"] = "false"
    return make_app(conf)._wsgi_app


def records() -> list[dict]:
    with open(SAMPLE, encoding="utf-8") as f:
        return json.load(f)["datasets"]


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def dataset_fields(record: dict, n: int, org_id: str) -> dict:
    """A portal dataset (package_create fields) from a sample record."""
    tags = record.get("tags") or []
    frequency = FREQUENCIES[n % len(FREQUENCIES)]
    fields = {
        "name": f"d{n}-{record['id']}"[:100],
        "owner_org": org_id,
        "title_translated": {"fr": record["title"], "ar": record["title"] if n % 3 == 0 else ""},
        "notes_translated": {"fr": record.get("notes") or record["title"]},
        "tags_translated": {"fr": [t for t in tags if not _arabic(t)], "ar": [t for t in tags if _arabic(t)]},
        "license_id": LICENCES.get(record.get("license") or "", ""),
        "theme": ["agriculture"] if n % 2 == 0 else [],
        "personal_data_declaration": "no_personal_data",
        "resources": [{"url": r.get("url") or "", "name_translated": {"fr": r.get("name") or "data"},
                       "format": FORMATS.get(r.get("format") or "", r.get("format") or "")}
                      for r in record.get("resources") or []],
    }
    if frequency:
        fields["frequency"] = frequency
    if n % 4 == 0:
        fields.update(temporal_start="2020-01-01", temporal_end="2025-12-31", spatial_region=["TN-21"])
    return fields


def as_shown(fields: dict, org: dict, n: int) -> dict:
    """What package_show would return for ``fields`` (for in-memory scoring)."""
    now = dt.datetime(2026, 10, 6) - dt.timedelta(days=n % 900)
    ds_id = str(uuid.UUID(int=n + 1))
    shown = dict(fields, id=ds_id, type="dataset", state="active", private=False,
                 organization=org, metadata_created=now.isoformat(), metadata_modified=now.isoformat(),
                 isopen=fields["license_id"] in ("lndpo-tn", "odc-odbl", "cc-by-4.0"))
    shown["title"] = fields["title_translated"]["fr"]
    shown["notes"] = fields["notes_translated"]["fr"]
    shown["resources"] = [dict(r, id=str(uuid.UUID(int=(n + 1) * 1000 + i)), package_id=ds_id,
                               created=now.isoformat(), metadata_modified=now.isoformat(), position=i,
                               mimetype=None, size=None)
                          for i, r in enumerate(fields["resources"])]
    return shown


_SCORING: dict = {}


def _score_chunk(bounds: tuple[int, int]) -> dict[str, int]:
    """Score datasets start..stop (in a worker process forked after setup)."""
    from ckanext.odassessment import assess
    app, sample, org, with_shacl = (_SCORING[k] for k in ("app", "sample", "org", "shacl"))
    bands: dict[str, int] = {}
    with app.test_request_context():
        builder = assess.GraphBuilder()
        for start in range(bounds[0], bounds[1], 50):       # runs score batches of 50 too
            pkgs = [as_shown(dataset_fields(sample[i % len(sample)], i, org["id"]), org, i)
                    for i in range(start, min(start + 50, bounds[1]))]
            if with_shacl:
                results = assess.assess_many(pkgs, builder=builder)
            else:
                results = [assess.assess(p, builder=builder, with_shacl=False) for p in pkgs]
            for result in results:
                bands[result.mqa["band"]] = bands.get(result.mqa["band"], 0) + 1
    return bands


def bench_score(args) -> None:
    import multiprocessing
    from ckanext.dcat.profiles.base import RDFProfile
    org = {"id": "00000000-0000-0000-0000-0000000000aa", "name": "ministere-agriculture",
           "title": "Ministère de l'Agriculture", "type": "organization", "is_organization": True}
    # the organisation ckanext-dcat's publisher fallback looks up (no database in this mode)
    RDFProfile._org_cache[org["id"]] = dict(org, email=None, url=None)
    _SCORING.update(app=flask_app(args.ini), sample=records(), org=org, shacl=not args.no_shacl)
    size = -(-args.datasets // (args.workers * 4))
    chunks = [(i, min(i + size, args.datasets)) for i in range(0, args.datasets, size)]
    started = time.perf_counter()
    if args.workers > 1:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            parts = pool.map(_score_chunk, chunks)
    else:
        parts = [_score_chunk(c) for c in chunks]
    elapsed = time.perf_counter() - started
    bands: dict[str, int] = {}
    for part in parts:
        for band, n in part.items():
            bands[band] = bands.get(band, 0) + n
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scored {args.datasets} datasets in {elapsed:.1f} s = {args.datasets / elapsed:.0f} datasets/s "
          f"with {args.workers} process(es)"
          f"{' (without SHACL)' if args.no_shacl else ' (MQA incl. SHACL, extended)'}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"bands: {bands}")
    print(f"peak memory: {peak_mb():.0f} MB (main), {children:.0f} MB (largest worker)")


def bench_urls(args) -> None:
    from tests.odassessment.http_server import serving
    from ckanext.odassessment import linkcheck
    app = flask_app(args.ini)
    with app.test_request_context():
        from ckan.common import config
        config["ckanext.odassessment.http.allowed_hosts"] = "127.0.0.1"
        with serving() as base:
            paths = ("/ok", "/missing", "/moved", "/data.csv")
            urls = [f"{base}{paths[i % len(paths)]}?n={i}" for i in range(args.urls)]
            started = time.perf_counter()
            results = linkcheck.check_urls(urls, concurrency=args.concurrency)
            elapsed = time.perf_counter() - started
    statuses: dict = {}
    for r in results.values():
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"checked {len(results)} URLs in {elapsed:.1f} s = {len(results) / elapsed:.0f} URLs/s "
          f"(concurrency {args.concurrency}); statuses {statuses}")
    print(f"peak memory: {peak_mb():.0f} MB")


def bench_run(args) -> None:
    if not args.reset_database:
        sys.exit("run mode empties the database and Solr core it is given: add --reset-database")
    import ckan.model as model
    from ckan.cli.db import _run_migrations
    from ckan.lib import search
    from ckan.tests import helpers
    from ckanext.odassessment import runner
    app = flask_app(args.ini)
    with app.test_request_context():
        print(f"database: {model.meta.engine.url.render_as_string(hide_password=True)}")
        helpers.reset_db()
        search.clear_all()
        for plugin in ("activity", "harvest", "reuse", "odassessment"):
            _run_migrations(plugin)
        site_user = helpers.call_action("get_site_user")
        # the sample is harvested content: one language is enough
        context = {"user": site_user["name"], "ignore_auth": True, "opengov_harvested": True}
        orgs: dict[str, str] = {}
        sample = records()
        started = time.perf_counter()
        for n, record in enumerate(sample):
            title = record["org"]
            if title not in orgs:
                orgs[title] = helpers.call_action("organization_create", dict(context), name=f"org-{len(orgs)}",
                                                  title_translated={"fr": title, "ar": title})["id"]
            helpers.call_action("package_create", dict(context), **dataset_fields(record, n, orgs[title]))
        loaded = time.perf_counter() - started
        print(f"loaded {len(sample)} datasets, {len(orgs)} organisations in {loaded:.1f} s")
        run = runner.start("full", http=False, user=site_user["name"])
        started = time.perf_counter()
        runner.execute(run)
        elapsed = time.perf_counter() - started
        portal = helpers.call_action("odassessment_portal_show")
    print(f"run {run.id}: {run.datasets_done} datasets in {elapsed:.1f} s = "
          f"{run.datasets_done / elapsed:.1f} datasets/s (metadata, SHACL, extended; no HTTP)")
    print(f"portal mean MQA {portal['mqa']} ({portal['mqa_band']}), extended {portal['extended']} %, "
          f"bands {portal['bands']}")
    print(f"peak memory: {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", default=os.path.join(ROOT, "test.ini"))
    sub = parser.add_subparsers(dest="mode", required=True)
    score = sub.add_parser("score")
    score.add_argument("--datasets", type=int, default=10000)
    score.add_argument("--no-shacl", action="store_true")
    score.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    urls = sub.add_parser("urls")
    urls.add_argument("--urls", type=int, default=10000)
    urls.add_argument("--concurrency", type=int, default=32)
    run = sub.add_parser("run")
    run.add_argument("--reset-database", action="store_true")
    args = parser.parse_args()
    {"score": bench_score, "urls": bench_urls, "run": bench_run}[args.mode](args)


if __name__ == "__main__":
    main()
