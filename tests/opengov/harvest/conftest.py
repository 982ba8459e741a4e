"""Real harvest sources and real queues for the harvest tests.

* :class:`CatalogueServer`: an ``http.server`` on 127.0.0.1 in a thread
  (optionally TLS with a self-signed certificate made with ``openssl``)
  serving the routes a test sets: bodies, statuses, content types, hangs.
* :class:`Consumers`: ckanext-harvest's gather and fetch consumers
  (``RedisConsumer.consume`` + ``gather_callback``/``fetch_callback``) in
  threads, on real Redis. The queue database follows ``CKAN_REDIS_URL``
  (the test slot's), else test.ini's ``ckan.harvest.mq.redis_db``.
* :func:`run_job`: create a job the way the UI does (``harvest_job_create``
  puts it on the gather queue), wait for the consumers, then
  ``harvest_jobs_run`` marks it finished as the scheduler would.
"""
from __future__ import annotations

import json
import os
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Union
from urllib.parse import urlparse

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject


@dataclass
class Route:
    body: Union[bytes, str, Callable[[str], Union[bytes, str]]] = b""
    status: int = 200
    content_type: Optional[str] = "text/turtle; charset=utf-8"
    hang: float = 0.0
    headers: dict = field(default_factory=dict)


class CatalogueServer:
    def __init__(self, tls_dir=None):
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits.append(self.path)
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(b"not found", 404, "text/plain")
                if route.hang:
                    time.sleep(route.hang)
                body = route.body(self.path) if callable(route.body) else route.body
                if isinstance(body, str):
                    body = body.encode("utf-8")
                try:
                    self.send_response(route.status)
                    if route.content_type:
                        self.send_header("Content-Type", route.content_type)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if tls_dir is not None:
            cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                           check=True, capture_output=True)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(cert), str(key))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body="", **kwargs) -> str:
        self.routes[path] = Route(body, **kwargs)
        return self.url(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def catalogue_server():
    server = CatalogueServer()
    yield server
    server.close()


@pytest.fixture
def tls_server(tmp_path):
    server = CatalogueServer(tls_dir=tmp_path)
    yield server
    server.close()


def queue_db() -> int:
    url = os.environ.get("CKAN_REDIS_URL")
    if url and urlparse(url).path.strip("/").isdigit():
        return int(urlparse(url).path.strip("/"))
    return int(tk.config.get("ckan.harvest.mq.redis_db") or 1)


@pytest.fixture
def harvest_queues(monkeypatch):
    """The harvest queues on the test slot's Redis database, emptied."""
    monkeypatch.setitem(tk.config, "ckan.harvest.mq.redis_db", str(queue_db()))
    queue.purge_queues()
    yield
    queue.purge_queues()


class Consumers:
    """Gather and fetch consumers in threads, as ``ckan harvester
    gather-consumer``/``fetch-consumer`` run them."""

    def __init__(self, app):
        self.app = app
        self.threads: list[tuple[str, threading.Thread]] = []
        self.crashes: list[str] = []
        self.stopping = threading.Event()

    def start(self, gather: int = 1, fetch: int = 1) -> "Consumers":
        for kind, count in (("gather", gather), ("fetch", fetch)):
            for _ in range(count):
                thread = threading.Thread(target=self._run, args=(kind,), daemon=True)
                thread.start()
                self.threads.append((kind, thread))
        return self

    def _run(self, kind: str) -> None:
        with self.app.flask_app.test_request_context():
            consumer = queue.get_gather_consumer() if kind == "gather" else queue.get_fetch_consumer()
            callback = queue.gather_callback if kind == "gather" else queue.fetch_callback
            try:
                for method, header, body in consumer.consume(queue=kind):
                    callback(consumer, method, header, body)
                    if self.stopping.is_set():
                        break
            except BaseException as error:  # what would end a consumer process
                self.crashes.append(f"{kind}: {error!r}")
            finally:
                model.Session.remove()

    def alive(self) -> list[str]:
        return [kind for kind, thread in self.threads if thread.is_alive()]

    def stop(self) -> None:
        self.stopping.set()
        gather = queue.get_gather_publisher()
        fetch = queue.get_fetch_publisher()
        for kind, thread in self.threads:
            if kind == "gather":
                gather.send({"harvest_job_id": "stop-consumer"})
            else:
                fetch.send({"harvest_object_id": "stop-consumer"})
        for _kind, thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def consumers(app, harvest_queues):
    pool = Consumers(app)
    yield pool
    pool.stop()


@pytest.fixture
def sysadmin(with_plugins, clean_db):
    return factories.Sysadmin()


@pytest.fixture
def organization(sysadmin):
    return helpers.call_action(
        "organization_create", {"user": sysadmin["name"]}, name="ministere-agriculture",
        title_translated={"ar": "وزارة الفلاحة", "fr": "Ministère de l'Agriculture"})


def create_source(sysadmin: dict, org: dict, url: str, name: str = "agridata", source_type: str = "dcat_rdf",
                  **config) -> dict:
    config.setdefault("default_language", "fr")
    if source_type == "dcat_rdf":
        config.setdefault("organization_policy", "source")
    return helpers.call_action(
        "harvest_source_create", {"user": sysadmin["name"]}, name=name, title=name, url=url,
        source_type=source_type, owner_org=org["id"], frequency="MANUAL", config=json.dumps(config))


@dataclass
class JobResult:
    job: dict
    gather_errors: list[str]
    object_errors: list[str]

    @property
    def stats(self) -> dict:
        return self.job["stats"]


def wait_for(source_id: str, job_id: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        model.Session.remove()
        job = HarvestJob.get(job_id)
        busy = (model.Session.query(HarvestObject.id)
                .filter(HarvestObject.harvest_job_id == job_id)
                .filter(HarvestObject.state.notin_(["COMPLETE", "ERROR"])).count())
        if job.gather_finished and not busy:
            return
        assert time.monotonic() < deadline, f"job {job_id} not done: gather_finished={job.gather_finished}, busy={busy}"
        time.sleep(0.2)


def run_job(source: dict, timeout: float = 90) -> JobResult:
    """One harvest job through the queues and the running consumers."""
    job = helpers.call_action("harvest_job_create", source_id=source["id"], run=True)
    wait_for(source["id"], job["id"], timeout)
    helpers.call_action("harvest_jobs_run", source_id=source["id"])
    model.Session.remove()
    report = helpers.call_action("harvest_job_report", id=job["id"])
    shown = helpers.call_action("harvest_job_show", id=job["id"])
    object_errors = [e["message"] for o in report["object_errors"].values() for e in o["errors"]]
    return JobResult(shown, [g["message"] for g in report["gather_errors"]], object_errors)


def source_datasets(source: dict, state: Optional[str] = None) -> list[model.Package]:
    """The datasets a source's harvest objects point to."""
    model.Session.remove()
    ids = {row[0] for row in model.Session.query(HarvestObject.package_id)
           .filter(HarvestObject.harvest_source_id == source["id"])
           .filter(HarvestObject.package_id.isnot(None))}
    packages = [model.Package.get(i) for i in ids]
    return sorted((p for p in packages if p and (state is None or p.state == state)), key=lambda p: p.name)
