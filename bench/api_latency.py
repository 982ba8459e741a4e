#!/usr/bin/env python3
"""Action API latency: stock CKAN 2.12 against the full portal bundle.

For each configuration ("stock": ``ckan.plugins = activity``; "bundle": the
plugin list of config/development.ini) this script

1. writes an ini on top of test.ini that points at the *bench* services only
   (database ckan_bench, Solr core ckan_bench, Redis database 2),
2. resets them (``ckan db clean`` + ``ckan db upgrade``, Solr delete *:*,
   Redis FLUSHDB on database 2),
3. creates a sysadmin and an API token with the ckan CLI,
4. starts a real CKAN server process (scripts/portal start, as ``make run``
   does, when the plugin list includes the harvest consumers; otherwise the
   same ``ckan run`` command directly),
5. over HTTP: creates the organisations, then N datasets (package_create),
   package_show on each (or a sample), then package_search queries,
6. stops the server (always).

Latencies are wall-clock times of each HTTP request as the client sees it.
Results: a table per configuration, a bundle/stock ratio table, and JSON in
bench/results/latest.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import collections
import configparser
import datetime
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from typing import Any, Callable

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "bench")
RESULTS_DIR = os.path.join(BENCH_DIR, "results")
CKAN = os.path.join(ROOT, ".venv", "bin", "ckan")
PORTAL = os.path.join(ROOT, "scripts", "portal")

# The dedicated benchmark services; nothing else is ever touched.
BENCH_DB_URL = "postgresql://ckan_default:ckan_default@127.0.0.1:5432/ckan_bench"
BENCH_SOLR_URL = "http://127.0.0.1:8983/solr/ckan_bench"
BENCH_REDIS_DB = 2
BENCH_REDIS_URL = f"redis://127.0.0.1:6379/{BENCH_REDIS_DB}"

SAMPLE_PATH = "/work/shared/data/tn_catalog_sample.json"
STOCK_PLUGINS = "activity"
ADMIN_USER = "benchadmin"
OPERATIONS = ("package_create", "package_show", "package_search")
HTTP_TIMEOUT = 120


class BenchError(Exception):
    """A failure that ends the run with a message and a non-zero status."""


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# ----------------------------------------------------------------- configuration
def bundle_plugins() -> str:
    """The portal's plugin list, read from config/development.ini."""
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(os.path.join(ROOT, "config", "development.ini")):
        raise BenchError("config/development.ini not found")
    return " ".join(parser["app:main"]["ckan.plugins"].split())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_ini(path: str, plugins: str, port: int, workdir: str) -> None:
    """The portal's configuration (config/development.ini) with the bench
    services, this run's plugin list and WARNING-level logging."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            "# Written by bench/api_latency.py: the portal's development.ini pointed\n"
            "# at the bench services (database ckan_bench, Solr core ckan_bench, Redis db 2).\n"
            "[app:main]\n"
            f"use = config:{ROOT}/config/development.ini\n"
            f"SECRET_KEY = {secrets.token_urlsafe(32)}\n"
            "ckan.site_id = opengov_bench\n"
            f"ckan.site_url = http://127.0.0.1:{port}\n"
            f"sqlalchemy.url = {BENCH_DB_URL}\n"
            f"solr_url = {BENCH_SOLR_URL}\n"
            f"ckan.redis.url = {BENCH_REDIS_URL}\n"
            f"ckan.harvest.mq.redis_db = {BENCH_REDIS_DB}\n"
            f"ckan.storage_path = {workdir}/storage\n"
            "ckan.views.default_views =\n"
            f"ckan.plugins = {plugins}\n"
            "\n"
            "[loggers]\nkeys = root\n\n"
            "[handlers]\nkeys = console\n\n"
            "[formatters]\nkeys = generic\n\n"
            "[logger_root]\nlevel = WARNING\nhandlers = console\n\n"
            "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\n"
            "level = NOTSET\nformatter = generic\n\n"
            "[formatter_generic]\nformat = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s\n"
        )


def ckan_cli(ini: str, *args: str, timeout: int = 600) -> str:
    """Run ``ckan -c INI ARGS``; return stdout, raise BenchError on failure."""
    cmd = [CKAN, "-c", ini, *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BenchError(f"`ckan {' '.join(args)}` did not finish within {timeout} s")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise BenchError(f"`ckan {' '.join(args)}` failed (exit {done.returncode}):\n{tail}")
    return done.stdout


# ------------------------------------------------------------------------- Solr
SOLR_ADMIN = BENCH_SOLR_URL.rsplit("/", 1)[0] + "/admin/cores"
SOLR_CORE = BENCH_SOLR_URL.rsplit("/", 1)[1]
DERIVE_SCHEMA = os.path.join(ROOT, "config", "solr", "derive_schema.py")
REPO_SOLRCONFIG = os.path.join(ROOT, "config", "solr", "solrconfig.xml")


class SolrCore:
    """The bench core's conf/ directory, set up per configuration as it would
    be deployed, and put back as it was found at the end of the run.

    stock:  CKAN's own schema.xml (installed ckan package) and the repository's
            solrconfig.xml without its query-time ``appends`` (the portal's
            extra qf fields, which CKAN's schema does not declare);
    bundle: the portal's schema derived by config/solr/derive_schema.py (when
            the repository has it) and the repository's solrconfig.xml."""

    def __init__(self) -> None:
        status = self._admin("STATUS")["status"].get(SOLR_CORE) or {}
        if not status.get("instanceDir"):
            raise BenchError(f"Solr has no core {SOLR_CORE} (run scripts/services up)")
        self.conf = os.path.join(status["instanceDir"], "conf")
        self.original = self._read_conf()
        self.changed = False
        self.description = "unchanged"

    @staticmethod
    def _admin(action: str) -> dict[str, Any]:
        try:
            r = requests.get(SOLR_ADMIN, params={"action": action, "core": SOLR_CORE, "wt": "json"},
                             timeout=120, proxies={"http": None, "https": None})
        except requests.RequestException as e:
            raise BenchError(f"Solr core admin ({action} {SOLR_CORE}) unreachable: {e}")
        if r.status_code != 200:
            raise BenchError(f"Solr core admin {action} {SOLR_CORE} failed: HTTP {r.status_code} {r.text[:600]}")
        return r.json()

    def _read_conf(self) -> dict[str, bytes]:
        files = {}
        for name in os.listdir(self.conf):
            path = os.path.join(self.conf, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    files[name] = f.read()
        return files

    def _apply(self, files: dict[str, bytes], remove: set[str] = frozenset()) -> None:
        current = self._read_conf()
        todo = {n: b for n, b in files.items() if current.get(n) != b}
        gone = {n for n in remove if n in current}
        if not todo and not gone:
            return
        for name, content in todo.items():
            with open(os.path.join(self.conf, name), "wb") as f:
                f.write(content)
        for name in gone:
            os.remove(os.path.join(self.conf, name))
        self.changed = True
        self._admin("RELOAD")

    def configure(self, portal: bool) -> str:
        import ckan  # the installed package, for CKAN's own schema.xml

        ckan_schema = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
        with open(REPO_SOLRCONFIG, "rb") as f:
            solrconfig = f.read()
        if portal and os.path.exists(DERIVE_SCHEMA):
            tmp = tempfile.mkdtemp(prefix="bench-solr-")
            try:
                done = subprocess.run([sys.executable, DERIVE_SCHEMA, ckan_schema, tmp],
                                      capture_output=True, text=True, timeout=120)
                if done.returncode != 0:
                    raise BenchError("config/solr/derive_schema.py failed:\n"
                                     + (done.stdout + done.stderr).strip()[-1500:])
                files = {}
                for name in os.listdir(tmp):
                    with open(os.path.join(tmp, name), "rb") as f:
                        files[name] = f.read()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            files["solrconfig.xml"] = solrconfig
            self.description = ("portal schema (CKAN schema.xml + config/solr/opengov_fields.xml, "
                                "derive_schema.py) + config/solr/solrconfig.xml")
        else:
            with open(ckan_schema, "rb") as f:
                schema = f.read()
            stripped = re.sub(rb'\s*<lst name="appends">.*?</lst>', b"", solrconfig, flags=re.S)
            files = {"schema.xml": schema, "solrconfig.xml": stripped}
            self.description = ("CKAN's schema.xml + config/solr/solrconfig.xml"
                                + (" without its qf appends" if stripped != solrconfig else ""))
        self._apply(files)
        return self.description

    def restore(self) -> None:
        """Empty the index (its documents follow this run's schema), then put the
        conf files back as found and reload."""
        if not self.changed:
            return
        clear_solr_core()
        current = set(self._read_conf())
        self._apply(self.original, remove=current - set(self.original))
        self.changed = False


# ------------------------------------------------------------------------ reset
def clear_solr_core() -> None:
    try:
        r = requests.post(f"{BENCH_SOLR_URL}/update", params={"commit": "true"},
                          json={"delete": {"query": "*:*"}}, timeout=60,
                          proxies={"http": None, "https": None})
    except requests.RequestException as e:
        raise BenchError(f"Solr core {SOLR_CORE} unreachable: {e}")
    if r.status_code != 200:
        raise BenchError(f"clearing Solr core {SOLR_CORE} failed: HTTP {r.status_code} {r.text[:300]}")


def reset_services(ini: str) -> None:
    """Empty the bench database, Solr core and Redis database, then migrate."""
    ckan_cli(ini, "db", "clean", "--yes")
    ckan_cli(ini, "db", "upgrade")
    clear_solr_core()
    import redis  # a CKAN dependency

    try:
        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    except redis.RedisError as e:
        raise BenchError(f"Redis database {BENCH_REDIS_DB} could not be flushed: {e}")


def create_admin_token(ini: str) -> str:
    password = secrets.token_urlsafe(16)
    ckan_cli(ini, "user", "add", ADMIN_USER, f"password={password}",
             f"email={ADMIN_USER}@bench.invalid", "fullname=Benchmark administrator")
    ckan_cli(ini, "sysadmin", "add", ADMIN_USER)
    out = ckan_cli(ini, "user", "token", "add", ADMIN_USER, "bench", "--quiet")
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    if not lines:
        raise BenchError("`ckan user token add` printed no token")
    return lines[-1]


# ----------------------------------------------------------------------- server
def process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process (Linux /proc), None if unknown."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def log_tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """One CKAN server process on a free port, started and stopped by us."""

    def __init__(self, ini: str, port: int, workdir: str, use_portal_script: bool):
        self.ini = ini
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.run_dir = os.path.join(workdir, "run")
        self.log_dir = os.path.join(workdir, "logs")
        self.use_portal_script = use_portal_script
        self.launcher = "scripts/portal start" if use_portal_script else "ckan run"
        self.proc: subprocess.Popen | None = None
        self.pid: int | None = None
        os.makedirs(self.run_dir, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)

    @property
    def web_log(self) -> str:
        return os.path.join(self.log_dir, "web.log")

    def _env(self) -> dict[str, str]:
        return dict(os.environ, CKAN_INI=self.ini, PORTAL_PORT=str(self.port),
                    PORTAL_RUN=self.run_dir, PORTAL_LOGS=self.log_dir)

    def start(self) -> None:
        if self.use_portal_script:
            self._start_with_portal_script()
        else:
            self._start_directly()

    def _start_with_portal_script(self) -> None:
        try:
            done = subprocess.run([PORTAL, "start"], env=self._env(), capture_output=True,
                                  text=True, timeout=240, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BenchError(f"scripts/portal start did not return within 240 s "
                             f"(log {self.web_log}):\n{log_tail(self.web_log)}")
        if done.returncode != 0:
            raise BenchError(
                f"CKAN server did not start (scripts/portal start, exit {done.returncode}):\n"
                f"{done.stderr.strip()}\n--- {self.web_log} ---\n{log_tail(self.web_log)}")
        try:
            with open(os.path.join(self.run_dir, "web.pid")) as f:
                self.pid = int(f.read().strip())
        except (OSError, ValueError):
            self.pid = None

    def _start_directly(self) -> None:
        log = open(self.web_log, "w")
        self.proc = subprocess.Popen(
            [CKAN, "-c", self.ini, "run", "-H", "127.0.0.1", "-p", str(self.port),
             "--disable-reloader", "--threaded"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        self.pid = self.proc.pid
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"CKAN server exited during start-up (exit {self.proc.returncode}, "
                                 f"log {self.web_log}):\n{log_tail(self.web_log)}")
            if self._status_ok():
                return
            time.sleep(1)
        raise BenchError(f"CKAN did not answer {self.url}/api/action/status_show within 120 s "
                         f"(log {self.web_log}):\n{log_tail(self.web_log)}")

    def _status_ok(self) -> bool:
        try:
            r = requests.get(f"{self.url}/api/action/status_show", timeout=10,
                             proxies={"http": None, "https": None})
            return r.status_code == 200
        except requests.RequestException:
            return False

    def status(self) -> dict[str, Any]:
        r = requests.get(f"{self.url}/api/action/status_show", timeout=30,
                         proxies={"http": None, "https": None})
        return r.json()["result"]

    def stop(self) -> None:
        if self.use_portal_script:
            subprocess.run([PORTAL, "stop"], env=self._env(), capture_output=True,
                           timeout=120, stdin=subprocess.DEVNULL)
            return
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def cpu_seconds(self) -> float | None:
        return process_cpu_seconds(self.pid)


# -------------------------------------------------------------------------- API
class Api:
    """Action API client that times every request."""

    def __init__(self, base_url: str, token: str):
        self.base = base_url + "/api/action/"
        self.token = token
        self.session = requests.Session()
        self.session.trust_env = False  # never route 127.0.0.1 through a proxy

    def _request(self, action: str, data: dict[str, Any] | None, post: bool,
                 auth: bool) -> tuple[requests.Response, Any, float]:
        headers = {"Authorization": self.token} if auth else {}
        start = time.perf_counter()
        try:
            if post:
                r = self.session.post(self.base + action, json=data or {}, headers=headers,
                                      timeout=HTTP_TIMEOUT)
            else:
                r = self.session.get(self.base + action, params=data or {}, headers=headers,
                                     timeout=HTTP_TIMEOUT)
        except requests.RequestException as e:
            raise BenchError(f"{action}: request failed: {e}")
        elapsed = time.perf_counter() - start
        try:
            body = r.json()
        except ValueError:
            body = None
        return r, body, elapsed

    def call(self, action: str, data: dict[str, Any] | None = None, *,
             post: bool = False, auth: bool = False) -> tuple[Any, float]:
        """The action's result and the request's wall time; BenchError on any failure."""
        r, body, elapsed = self._request(action, data, post, auth)
        if r.status_code != 200 or not isinstance(body, dict) or not body.get("success"):
            detail = json.dumps(body.get("error"), ensure_ascii=False) if isinstance(body, dict) \
                else r.text[:500]
            raise BenchError(f"{action} failed: HTTP {r.status_code}: {detail[:800]}\n"
                             f"request: {json.dumps(data, ensure_ascii=False)[:600]}")
        return body["result"], elapsed

    def call_optional(self, action: str, data: dict[str, Any] | None = None) -> Any:
        """Like call (GET, anonymous), but None when no plugin provides the action."""
        r, body, _ = self._request(action, data, False, False)
        if r.status_code == 400 and "Action name not known" in r.text:
            return None
        if r.status_code != 200 or not isinstance(body, dict) or not body.get("success"):
            raise BenchError(f"{action} failed: HTTP {r.status_code}: {r.text[:500]}")
        return body["result"]


# --------------------------------------------------------------------- content
def slugify(text: str, max_length: int = 100) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "x"


_TAG_OK = re.compile(r"[\w \-.]*$", re.UNICODE)


def clean_tag(tag: str) -> str | None:
    """A tag CKAN's tag validators accept (2-100 chars of \\w, space, - _ .)."""
    chars = []
    for ch in tag:
        if unicodedata.category(ch).startswith("M"):
            continue  # Arabic diacritics and other combining marks
        chars.append(ch if _TAG_OK.match(ch) else " ")
    cleaned = " ".join("".join(chars).split())[:100].strip()
    return cleaned if len(cleaned) >= 2 else None


def load_records() -> tuple[list[dict[str, Any]], str]:
    """Catalogue records (the shape of tn_catalog_sample.json) and their source."""
    if os.path.exists(SAMPLE_PATH):
        with open(SAMPLE_PATH, encoding="utf-8") as f:
            records = json.load(f)["datasets"]
        if records:
            return records, SAMPLE_PATH
    return synthetic_records(), "synthetic"


def synthetic_records(count: int = 240) -> list[dict[str, Any]]:
    """French/Arabic content when the shared sample is not available."""
    rng = random.Random(7)
    themes = [("Production agricole", "زراعة"), ("Ressources en eau", "مياه"),
              ("Pêche côtière", "صيد بحري"), ("Énergie électrique", "طاقة"),
              ("Transport public", "نقل"), ("Établissements de santé", "صحة"),
              ("Écoles primaires", "تعليم"), ("Budget municipal", "ميزانية"),
              ("Population résidente", "سكان"), ("Stations climatiques", "مناخ")]
    places = ["Tunis", "Sfax", "Sousse", "Gabès", "Bizerte", "Kairouan", "Nabeul",
              "Médenine", "Gafsa", "Jendouba", "Monastir", "Tozeur"]
    orgs = ["Ministère de l'Agriculture", "Ministère de la Santé",
            "Institut National de la Statistique", "Commune de Sfax"]
    formats = ["CSV", "XLSX", "XLS", "PDF", "GEOJSON", "JSON"]
    records = []
    for i in range(count):
        theme, ar_tag = themes[i % len(themes)]
        place = places[(i // len(themes)) % len(places)]
        year = 2015 + i % 10
        title = f"{theme} - Gouvernorat de {place} ({year})"
        notes = (f"Ce jeu de données présente les statistiques « {theme.lower()} » du "
                 f"gouvernorat de {place} pour l'année {year}, collectées par les services "
                 f"régionaux. تقدم هذه البيانات إحصائيات {ar_tag} لولاية {place} لسنة {year}.")
        resources = [{"name": f"{theme} {place} {year} ({fmt})", "format": fmt,
                      "url": f"https://data.example.tn/{slugify(title)}/{n}.{fmt.lower()}"}
                     for n, fmt in enumerate(rng.sample(formats, rng.randint(1, 3)))]
        records.append({
            "id": slugify(title), "title": title, "notes": notes,
            "org": orgs[i % len(orgs)],
            "tags": [theme.split()[0].lower(), place.lower(), ar_tag, "تونس"],
            "license": "Licence Nationale de Données Publiques Ouvertes",
            "resources": resources,
        })
    return records


def org_names(records: list[dict[str, Any]]) -> dict[str, str]:
    """Publisher title -> organisation name, one organisation per publisher."""
    names: dict[str, str] = {}
    for rec in records:
        title = rec.get("org") or "Portail national"
        if title not in names:
            base = slugify(title, 90)
            name, n = base, 2
            while name in names.values():
                name, n = f"{base}-{n}", n + 1
            names[title] = name
    return names


ARABIC = re.compile(r"[\u0600-\u06FF]")


def dataset_content(i: int, records: list[dict[str, Any]], orgs: dict[str, str]) -> dict[str, Any]:
    """The i-th dataset's content, independent of any metadata schema."""
    rec = records[i % len(records)]
    cycle = i // len(records)
    suffix = f"-{i:05d}"
    tags = list(dict.fromkeys(filter(None, map(clean_tag, rec.get("tags", [])))))
    tags_ar = [t for t in tags if ARABIC.search(t)]
    title = rec["title"] if cycle == 0 else f"{rec['title']} ({cycle + 1})"
    publisher = rec.get("org") or "Portail national"
    # The catalogue's records are French; Arabic text (required by the portal's
    # schema for content created on the portal) is built from their Arabic keywords.
    title_ar = "بيانات " + " - ".join(tags_ar[:3]) if tags_ar else "بيانات مفتوحة"
    if cycle:
        title_ar += f" ({cycle + 1})"
    return {
        "name": slugify(rec["id"], 100 - len(suffix)) + suffix,
        "title": title,
        "title_ar": title_ar,
        "notes": rec.get("notes") or title,
        "notes_ar": f"{title_ar}. مجموعة بيانات منشورة على البوابة الوطنية للبيانات المفتوحة.",
        "tags_fr": [t for t in tags if t not in tags_ar],
        "tags_ar": tags_ar,
        "publisher": publisher,
        "owner_org": orgs[publisher],
        "identifier": rec["id"],
        "source_url": f"https://catalog.data.gov.tn/fr/dataset/{rec['id']}",
        "licence": rec.get("license") or "",
        "resources": [{"name": r.get("name") or "", "url": r.get("url") or "",
                       "format": r.get("format") or ""} for r in rec.get("resources", [])],
    }


def vocabulary_values(name: str) -> list[str]:
    """Values of a bundle vocabulary (``ckanext-*/ckanext/*/data/<name>.yaml``,
    entries with ``value`` or ``name``), for fields using a choices helper."""
    import glob

    import yaml  # a CKAN dependency

    for path in sorted(glob.glob(os.path.join(ROOT, "ckanext-*", "ckanext", "*", "data", f"{name}.yaml"))):
        with open(path, encoding="utf-8") as f:
            entries = yaml.safe_load(f) or []
        return [str(e.get("value", e.get("name"))) for e in entries if isinstance(e, dict)]
    return []


def vocabulary_aliases(name: str) -> dict[str, str]:
    """Lower-cased value and aliases -> value (formats.yaml style)."""
    import glob

    import yaml

    index: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "ckanext-*", "ckanext", "*", "data", f"{name}.yaml"))):
        with open(path, encoding="utf-8") as f:
            for e in yaml.safe_load(f) or []:
                if isinstance(e, dict) and "value" in e:
                    for key in [e["value"], *(e.get("aliases") or [])]:
                        index.setdefault(str(key).lower().lstrip("."), str(e["value"]))
        break
    return index


class PayloadBuilder:
    """package_create payloads for one running configuration: CKAN's core
    fields when ckanext-scheming is not loaded, otherwise the fields of the
    running dataset schema (read with scheming_dataset_schema_show), filled
    from the same content."""

    #: publisher's misspellings -> format, before any controlled list
    FORMAT_FIXES = {"word": "DOCX"}

    def __init__(self, api: "Api"):
        self.schema = api.call_optional("scheming_dataset_schema_show", {"type": "dataset"})
        licences, _ = api.call("license_list")
        self.licences = [(lic["id"], (lic.get("title") or "").strip().lower()) for lic in licences]
        self._choices: dict[str, list[str]] = {}

    @property
    def kind(self) -> str:
        return "scheming dataset schema" if self.schema else "CKAN core schema"

    # licences ------------------------------------------------------------
    def licence_id(self, text: str, allowed: list[str] | None = None) -> str | None:
        """The id of the register licence matching the publisher's licence text."""
        if not text:
            return None
        ids = [i for i, _ in self.licences if not allowed or i in allowed]
        lowered = text.strip().lower()
        for lic_id, title in self.licences:
            if lic_id in ids and (title == lowered or lic_id == lowered):
                return lic_id
        def first(pred: Callable[[str], bool]) -> str | None:
            return next((i for i in ids if pred(i.lower())), None)
        if "cc-by" in lowered or "creative commons" in lowered:
            return first(lambda i: i.startswith("cc-by"))
        if "odbl" in lowered:
            return first(lambda i: "odbl" in i)
        return first(lambda i: i == "other-open")

    # core ----------------------------------------------------------------
    def core_payload(self, c: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": c["name"], "title": c["title"], "notes": c["notes"],
            "owner_org": c["owner_org"], "author": c["publisher"], "url": c["source_url"],
            "tags": [{"name": t} for t in c["tags_fr"] + c["tags_ar"]],
            "resources": [dict(r, format=self.FORMAT_FIXES.get(r["format"].lower(), r["format"]))
                          for r in c["resources"]],
        }
        lic = self.licence_id(c["licence"])
        if lic:
            data["license_id"] = lic
        return data

    # scheming ------------------------------------------------------------
    def choices(self, field: dict[str, Any]) -> list[str]:
        if field.get("choices"):
            return [str(ch["value"]) for ch in field["choices"]]
        vocab = field.get("vocabulary")
        if vocab and vocab not in self._choices:
            self._choices[vocab] = vocabulary_values(vocab)
        return self._choices.get(vocab, []) if vocab else []

    def _translated(self, fr: str, ar: str) -> dict[str, str]:
        return {k: v for k, v in (("fr", fr), ("ar", ar)) if v}

    def _dataset_value(self, field: dict[str, Any], c: dict[str, Any]) -> Any:
        name = field["field_name"]
        simple = {
            "name": c["name"], "title": c["title"], "notes": c["notes"],
            "owner_org": c["owner_org"], "url": c["source_url"], "author": c["publisher"],
            "contact_name": c["publisher"], "identifier": c["identifier"],
            "tag_string": ",".join(c["tags_fr"] + c["tags_ar"]),
        }
        if name == "title_translated":
            return self._translated(c["title"], c["title_ar"])
        if name in ("notes_translated", "description_translated"):
            return self._translated(c["notes"], c["notes_ar"])
        if name in ("tags_translated", "keywords_translated"):
            return {k: v for k, v in (("fr", c["tags_fr"]), ("ar", c["tags_ar"])) if v} or None
        if name == "license_id":
            return self.licence_id(c["licence"], self.choices(field) or None)
        return simple.get(name)

    def _resource(self, r: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.schema.get("resource_fields", []):
            name = field["field_name"]
            if name == "url":
                out["url"] = r["url"]
            elif name == "name" and r["name"]:
                out["name"] = r["name"]
            elif name == "name_translated" and r["name"]:
                out["name_translated"] = {"fr": r["name"]}
            elif name == "format" and r["format"]:
                fmt_value = self.FORMAT_FIXES.get(r["format"].lower(), r["format"])
                vocab = field.get("vocabulary")
                if vocab:
                    fmt_value = vocabulary_aliases(vocab).get(fmt_value.lower())
                if fmt_value:
                    out["format"] = fmt_value
        return out

    def schema_payload(self, c: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in self.schema.get("dataset_fields", []):
            name = field["field_name"]
            value = self._dataset_value(field, c)
            if value in (None, "", [], {}) and field.get("required"):
                options = self.choices(field)
                if not options:
                    raise BenchError(
                        f"the running dataset schema requires the field {name!r}, which "
                        "bench/api_latency.py does not know how to fill: update dataset "
                        "payloads in PayloadBuilder")
                value = options[0]
            if value not in (None, "", [], {}):
                data[name] = value
        data["resources"] = [self._resource(r) for r in c["resources"]]
        return data

    def payload(self, c: dict[str, Any]) -> dict[str, Any]:
        return self.schema_payload(c) if self.schema else self.core_payload(c)


def tag_count(d: dict[str, Any]) -> int:
    """Keywords of a dataset dict: multilingual ``tags_translated`` or core ``tags``."""
    translated = d.get("tags_translated")
    if isinstance(translated, dict) and translated:
        return sum(len(v) for v in translated.values() if isinstance(v, list))
    return len(d.get("tags") or [])


FRENCH_STOPWORDS = set("""
    dans pour avec sans selon entre depuis leurs cette ceux celles sont dont
    les des une aux par sur que qui est été ainsi donnees données jeu ensemble
    liste nombre annee année tunisie
""".split())


def title_words(title: str) -> list[str]:
    """The searchable French words of a title (5+ letters, no stopwords)."""
    return [w for w in re.findall(r"[^\W\d_]+", title.lower())
            if len(w) >= 5 and w not in FRENCH_STOPWORDS and not ARABIC.search(w)]


def arabic_tags_by_frequency(created: list[dict[str, Any]]) -> list[str]:
    counts: collections.Counter[str] = collections.Counter()
    for rec in created:
        counts.update(t for t in filter(None, map(clean_tag, rec.get("tags", []))) if ARABIC.search(t))
    return [t for t, _ in counts.most_common()]


def search_queries(count: int, created: list[dict[str, Any]], orgs: dict[str, str],
                   rng: random.Random, tag_field: str = "tags") -> list[dict[str, Any]]:
    """A fixed mix over the created content: French words, Arabic tags, fq by
    organisation (an organisation page, browsed or searched), sorted queries."""
    words: collections.Counter[str] = collections.Counter()
    for rec in created:
        words.update(title_words(rec["title"]))
    french = [w for w, _ in words.most_common(60)] or ["agriculture"]
    arabic = arabic_tags_by_frequency(created)[:60] or ["زراعة"]
    sorts = ["metadata_modified desc", "title_string asc", "name desc",
             "score desc, metadata_modified desc"]
    queries = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            q = {"q": rng.choice(french)}
        elif kind == 1:
            tag = rng.choice(arabic)
            q = {"fq": f'{tag_field}:"{tag}"'} if (i // 4) % 2 == 0 else {"q": tag}
        elif kind == 2:
            rec = rng.choice(created)
            org = orgs[rec.get("org") or "Portail national"]
            in_org = title_words(rec["title"])
            q = {"q": rng.choice(in_org) if in_org and rng.random() < 0.5 else "",
                 "fq": f"organization:{org}"}
        else:
            q = {"q": rng.choice(french + ["*:*"]), "sort": rng.choice(sorts)}
        q["rows"] = 20
        queries.append(q)
    return queries


# ----------------------------------------------------------------------- stats
def summarize(latencies: list[float]) -> dict[str, Any]:
    ms = [x * 1000 for x in latencies]
    if not ms:
        return {"calls": 0}
    if len(ms) == 1:
        p50 = p95 = ms[0]
    else:
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        p50, p95 = cuts[49], cuts[94]
    return {"calls": len(ms), "p50_ms": p50, "p95_ms": p95, "mean_ms": statistics.fmean(ms),
            "min_ms": min(ms), "max_ms": max(ms)}


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None, spec: str = "9.1f", suffix: str = "") -> str:
    width = int(re.match(r"\d+", spec).group())
    return f"{value:{spec}}{suffix}" if value is not None else "n/a".rjust(width + len(suffix))


def print_config_table(result: dict[str, Any]) -> None:
    print()
    print(f"== {result['name']}: ckan.plugins = {result['plugins']}")
    print(f"   server: {result['launcher']} on port {result['port']}; "
          f"{result['datasets']} datasets, {result['resources']} resources; payloads follow the "
          f"{result['payload_schema']}; Arabic tag filter on {result['arabic_tag_field']}")
    print(f"   Solr core: {result['solr_core_setup']}")
    print(f"{'operation':<16}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}"
          f"{'max ms':>10}{'srv CPU ms/call':>17}")
    for op in OPERATIONS:
        s = result["operations"][op]
        print(f"{op:<16}{s['calls']:>7}{fmt(s.get('p50_ms'), '10.1f')}{fmt(s.get('p95_ms'), '10.1f')}"
              f"{fmt(s.get('mean_ms'), '10.1f')}{fmt(s.get('max_ms'), '10.1f')}"
              f"{fmt(s.get('server_cpu_ms_per_call'), '17.1f')}")
    t = result["totals"]
    print(f"   create: {t['datasets_per_s']:.2f} datasets/s ({result['datasets']} in "
          f"{t['create_wall_s']:.1f} s); shows {t['show_wall_s']:.1f} s; searches "
          f"{t['search_wall_s']:.1f} s ({t['search_zero_hit']} of {result['operations']['package_search']['calls']} "
          f"queries with no hit); config wall time {t['config_wall_s']:.1f} s")


def print_ratio_table(ratios: dict[str, Any], results: dict[str, Any]) -> None:
    print()
    print("== bundle / stock (ratio > 1: the bundle is slower)")
    print(f"{'operation':<16}{'stock p50':>11}{'bundle p50':>12}{'p50 ratio':>11}"
          f"{'stock p95':>11}{'bundle p95':>12}{'p95 ratio':>11}{'mean ratio':>12}")
    for op in OPERATIONS:
        st, bu, r = results["stock"]["operations"][op], results["bundle"]["operations"][op], ratios[op]
        print(f"{op:<16}{fmt(st.get('p50_ms'), '9.1f', 'ms')}{fmt(bu.get('p50_ms'), '10.1f', 'ms')}"
              f"{fmt(r['p50'], '10.2f', 'x')}{fmt(st.get('p95_ms'), '9.1f', 'ms')}"
              f"{fmt(bu.get('p95_ms'), '10.1f', 'ms')}{fmt(r['p95'], '10.2f', 'x')}"
              f"{fmt(r['mean'], '11.2f', 'x')}")
    t = ratios["totals"]
    print(f"{'datasets/s':<16}{t['stock_datasets_per_s']:>11.2f}{t['bundle_datasets_per_s']:>12.2f}"
          f"{fmt(t['datasets_per_s_ratio'], '10.2f', 'x')}   (throughput: ratio < 1 means the bundle is slower)")


# ------------------------------------------------------------------------ runs
def timed_phase(server: Server, fn: Callable[[], list[float]]) -> tuple[list[float], float, float | None]:
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    latencies = fn()
    wall, cpu1 = time.perf_counter() - t0, server.cpu_seconds()
    cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return latencies, wall, cpu


def arabic_tag_field(api: Api, arabic_tags: list[str]) -> str:
    """The index field that holds the Arabic keywords: CKAN's ``tags``, or the
    bundle's per-language ``keywords_ar`` when its schema has no core tags."""
    for field in ("tags", "keywords_ar"):
        for tag in arabic_tags[:3]:
            result, _ = api.call("package_search", {"fq": f'{field}:"{tag}"', "rows": 0})
            if result["count"]:
                return field
    return "tags"


def run_config(name: str, plugins: str, args: argparse.Namespace,
               records: list[dict[str, Any]], solr: SolrCore) -> dict[str, Any]:
    started = time.perf_counter()
    workdir = os.path.join(RESULTS_DIR, "work", name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    port = free_port()
    ini = os.path.join(workdir, "bench.ini")
    write_ini(ini, plugins, port, workdir)
    say(f"{name}: ckan.plugins = {plugins}")

    say(f"{name}: resetting ckan_bench (db clean + db upgrade), Solr core ckan_bench, Redis db {BENCH_REDIS_DB}")
    t0 = time.perf_counter()
    solr_setup = solr.configure(portal=(name == "bundle"))
    say(f"{name}: Solr core {SOLR_CORE}: {solr_setup}")
    reset_services(ini)
    token = create_admin_token(ini)
    reset_s = time.perf_counter() - t0

    use_portal = not args.direct and "harvest" in plugins.split()
    server = Server(ini, port, workdir, use_portal_script=use_portal)
    say(f"{name}: starting CKAN on {server.url} ({server.launcher}; logs {server.log_dir})")
    try:
        t0 = time.perf_counter()
        server.start()
        start_s = time.perf_counter() - t0
        status = server.status()
        loaded = status.get("extensions", [])
        if loaded != plugins.split():
            raise BenchError(f"{name}: the server runs plugins {loaded}, expected {plugins.split()}")
        say(f"{name}: up in {start_s:.1f} s (CKAN {status.get('ckan_version')}, plugins {' '.join(loaded)})")
        api = Api(server.url, token)

        orgs = org_names(records)
        for title, org_name in orgs.items():
            api.call("organization_create", {"name": org_name, "title": title}, post=True, auth=True)
        # Warm-up (not measured): first requests load templates, connections, caches.
        for _ in range(3):
            api.call("status_show")
            api.call("package_search", {"q": "*:*", "rows": 1})
            api.call("organization_list", {"all_fields": True})

        builder = PayloadBuilder(api)
        payloads = [builder.payload(dataset_content(i, records, orgs)) for i in range(args.datasets)]
        say(f"{name}: payloads follow the {builder.kind}")

        def create_all() -> list[float]:
            out = []
            for n, data in enumerate(payloads, 1):
                _, elapsed = api.call("package_create", data, post=True, auth=True)
                out.append(elapsed)
                if n % 100 == 0 or n == len(payloads):
                    say(f"{name}: created {n}/{len(payloads)}")
            return out

        say(f"{name}: package_create x {len(payloads)}")
        create_lat, create_wall, create_cpu = timed_phase(server, create_all)

        found, _ = api.call("package_search", {"q": "*:*", "rows": 0})
        if found["count"] != len(payloads):
            raise BenchError(f"{name}: the search index holds {found['count']} datasets, "
                             f"{len(payloads)} were created")

        rng = random.Random(args.seed)
        names = [p["name"] for p in payloads]
        expected = {p["name"]: (p["name"], len(p["resources"]), tag_count(p)) for p in payloads}
        show_names = rng.sample(names, min(args.shows, len(names))) if args.shows is not None \
            else rng.sample(names, len(names))

        def show_all() -> list[float]:
            out = []
            for n in show_names:
                result, elapsed = api.call("package_show", {"id": n})
                got = (result["name"], len(result.get("resources", [])), tag_count(result))
                if got != expected[n]:
                    raise BenchError(f"{name}: package_show {n} returned (name, resources, tags) "
                                     f"{got}, expected {expected[n]}")
                out.append(elapsed)
            return out

        say(f"{name}: package_show x {len(show_names)}")
        show_lat, show_wall, show_cpu = timed_phase(server, show_all)

        created = records[:min(len(payloads), len(records))]
        tag_field = arabic_tag_field(api, arabic_tags_by_frequency(created))
        queries = search_queries(args.searches, created, orgs, random.Random(args.seed + 1), tag_field)
        hits: list[int] = []

        def search_all() -> list[float]:
            out = []
            for q in queries:
                result, elapsed = api.call("package_search", q)
                hits.append(result["count"])
                out.append(elapsed)
            return out

        say(f"{name}: package_search x {len(queries)}")
        search_lat, search_wall, search_cpu = timed_phase(server, search_all)
    finally:
        say(f"{name}: stopping the server")
        server.stop()

    def op(lat: list[float], cpu: float | None) -> dict[str, Any]:
        s = summarize(lat)
        s["server_cpu_ms_per_call"] = cpu * 1000 / len(lat) if cpu is not None and lat else None
        s["latencies_ms"] = [round(x * 1000, 3) for x in lat]
        return s

    return {
        "name": name,
        "plugins": plugins,
        "launcher": server.launcher,
        "port": port,
        "ckan_version": status.get("ckan_version"),
        "datasets": len(payloads),
        "resources": sum(len(p["resources"]) for p in payloads),
        "organizations": len(orgs),
        "solr_core_setup": solr_setup,
        "payload_schema": builder.kind,
        "arabic_tag_field": tag_field,
        "example_payload": payloads[0],
        "operations": {
            "package_create": op(create_lat, create_cpu),
            "package_show": op(show_lat, show_cpu),
            "package_search": op(search_lat, search_cpu),
        },
        "search_queries": [dict(q, hits=h) for q, h in zip(queries, hits)],
        "totals": {
            "datasets_per_s": len(payloads) / create_wall if create_wall else None,
            "create_wall_s": create_wall,
            "show_wall_s": show_wall,
            "search_wall_s": search_wall,
            "search_zero_hit": sum(1 for h in hits if h == 0),
            "reset_and_admin_s": reset_s,
            "server_start_s": start_s,
            "config_wall_s": time.perf_counter() - started,
        },
    }


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Action API latency of stock CKAN 2.12 vs the portal bundle "
                    "(bench database, Solr core and Redis db only).")
    parser.add_argument("--datasets", type=int, default=1000,
                        help="datasets to create per configuration (default 1000)")
    parser.add_argument("--shows", type=int, default=None,
                        help="package_show calls on a random sample of the created "
                             "datasets (default: every dataset once)")
    parser.add_argument("--searches", type=int, default=200,
                        help="package_search queries (default 200)")
    parser.add_argument("--configs", default="stock,bundle",
                        help="configurations to run, in order (default stock,bundle)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--direct", action="store_true",
                        help="start every server with `ckan run` directly, even the bundle "
                             "(default: scripts/portal start when the harvest plugin is loaded)")
    parser.add_argument("--output", default=os.path.join(RESULTS_DIR, "latest.json"),
                        help="JSON results file (default bench/results/latest.json)")
    args = parser.parse_args(argv)
    if args.datasets < 1 or args.searches < 0 or (args.shows is not None and args.shows < 0):
        parser.error("--datasets must be >= 1, --shows and --searches >= 0")
    args.configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = set(args.configs) - {"stock", "bundle"}
    if unknown or not args.configs:
        parser.error(f"--configs takes stock and/or bundle, not {', '.join(sorted(unknown)) or 'nothing'}")
    return args


def _terminated(*_: Any) -> None:
    print("[bench] terminated (SIGTERM): stopping what was started", file=sys.stderr, flush=True)
    sys.exit(143)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. a killed make) unwinds through the finally blocks like Ctrl-C.
    signal.signal(signal.SIGTERM, _terminated)
    if not os.access(CKAN, os.X_OK):
        raise BenchError(f"{CKAN} not found: run scripts/bootstrap (or make bench) first")
    wall0 = time.perf_counter()
    load_start = os.getloadavg()
    records, source = load_records()
    say(f"content: {len(records)} catalogue records from {source}; {args.datasets} datasets, "
        f"{args.shows if args.shows is not None else args.datasets} shows, {args.searches} searches "
        f"per configuration")
    plugins = {"stock": STOCK_PLUGINS, "bundle": bundle_plugins()}
    results: dict[str, Any] = {}
    solr = SolrCore()
    try:
        for name in args.configs:
            results[name] = run_config(name, plugins[name], args, records, solr)
            print_config_table(results[name])
            print(flush=True)
    finally:
        if solr.changed:
            say(f"putting the Solr core {SOLR_CORE} configuration back as it was found")
            solr.restore()

    ratios = None
    if "stock" in results and "bundle" in results:
        ratios = {}
        for op in OPERATIONS:
            st, bu = results["stock"]["operations"][op], results["bundle"]["operations"][op]
            ratios[op] = {k: ratio(bu.get(f"{k}_ms"), st.get(f"{k}_ms")) for k in ("p50", "p95", "mean")}
            ratios[op]["server_cpu"] = ratio(bu.get("server_cpu_ms_per_call"), st.get("server_cpu_ms_per_call"))
        st_t, bu_t = results["stock"]["totals"], results["bundle"]["totals"]
        ratios["totals"] = {
            "stock_datasets_per_s": st_t["datasets_per_s"],
            "bundle_datasets_per_s": bu_t["datasets_per_s"],
            "datasets_per_s_ratio": ratio(bu_t["datasets_per_s"], st_t["datasets_per_s"]),
        }
        st_hits = [q["hits"] for q in results["stock"]["search_queries"]]
        bu_hits = [q["hits"] for q in results["bundle"]["search_queries"]]
        ratios["search_queries_with_different_hit_counts"] = sum(a != b for a, b in zip(st_hits, bu_hits))
        print_ratio_table(ratios, results)
        print(f"   {ratios['search_queries_with_different_hit_counts']} of {len(st_hits)} search queries "
              f"returned a different number of hits in the two configurations "
              f"(total hits: stock {sum(st_hits)}, bundle {sum(bu_hits)})")

    wall = time.perf_counter() - wall0
    load_end = os.getloadavg()
    print()
    print(f"wall time: {wall:.1f} s ({wall / 60:.1f} min); load average (1/5/15 min) at start "
          f"{' '.join(f'{x:.2f}' for x in load_start)}, at end {' '.join(f'{x:.2f}' for x in load_end)}; "
          f"{os.cpu_count()} CPUs")

    report = {
        "benchmark": "bench/api_latency.py",
        "finished_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "args": {"datasets": args.datasets, "shows": args.shows, "searches": args.searches,
                 "configs": args.configs, "seed": args.seed, "direct": args.direct},
        "content_source": source,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    "loadavg_start": load_start, "loadavg_end": load_end},
        "services": {"database": BENCH_DB_URL.rsplit("/", 1)[1], "solr": BENCH_SOLR_URL,
                     "redis": BENCH_REDIS_URL},
        "wall_time_s": wall,
        "configurations": results,
        "ratios_bundle_over_stock": ratios,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    say(f"results written to {os.path.relpath(args.output, os.getcwd())}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as e:
        print(f"[bench] FAILED: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print("[bench] interrupted", file=sys.stderr, flush=True)
        sys.exit(130)
