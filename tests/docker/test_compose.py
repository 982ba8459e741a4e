"""The production stack in docker/, checked without a Docker engine.

``docker compose config`` (installed by scripts/compose-tool) resolves
docker/docker-compose.yml with docker/.env.example, and the tests read the
result the way an operator's ``up`` would use it. docker/entrypoint.sh is
run for real with stand-ins for ``ckan``, ``python`` and ``gunicorn`` on
PATH, which record what the container would have run.

No skips: a missing compose tool is a failure.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import subprocess
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "docker-compose.yml"
ENV_EXAMPLE = DOCKER / ".env.example"
ENTRYPOINT = DOCKER / "entrypoint.sh"
COMPOSE_TOOL = ROOT / "scripts" / "compose-tool"

APP_SERVICES = ("ckan", "harvester-gather", "harvester-fetch", "harvester-scheduler", "worker")
ALL_SERVICES = APP_SERVICES + ("db", "solr", "redis")
VOLUMES = ("ckan_storage", "pg_data", "solr_data", "redis_data")


# ---------------------------------------------------------------- helpers
def _base_env(**extra: str) -> dict[str, str]:
    """A clean environment: the shell's own CKAN_*/POSTGRES_* variables
    would override the env file in compose's interpolation."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    if os.environ.get("DOCKER_CONFIG"):
        env["DOCKER_CONFIG"] = os.environ["DOCKER_CONFIG"]
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def compose_cmd() -> list[str]:
    """The compose command scripts/compose-tool installs and prints
    (instant once installed; `make test` runs it before pytest)."""
    result = subprocess.run(
        [str(COMPOSE_TOOL)], capture_output=True, text=True, timeout=900, cwd=ROOT
    )
    assert result.returncode == 0, f"scripts/compose-tool failed:\n{result.stderr}"
    command = result.stdout.strip().split()
    assert command in (["docker", "compose"], ["docker-compose"]), result.stdout
    return command


def run_compose(compose_cmd, *args, compose_file=COMPOSE_FILE, env_file=ENV_EXAMPLE, **env):
    env.setdefault("CKAN_ENV_FILE", str(env_file))
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [*compose_cmd, "-f", str(compose_file), "--env-file", str(env_file), *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=_base_env(**env),
    )


@pytest.fixture(scope="module")
def config_run(compose_cmd):
    return run_compose(compose_cmd, "config")


@pytest.fixture(scope="module")
def config(config_run) -> dict:
    assert config_run.returncode == 0, config_run.stderr
    return yaml.safe_load(config_run.stdout)


def mounts(service: dict) -> dict[str, tuple[str, str]]:
    """target -> (type, source), from the long or the short syntax."""
    found = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
            kind = "bind" if source.startswith(("/", ".")) else "volume"
        else:
            kind, source, target = volume["type"], volume.get("source"), volume["target"]
        found[target] = (kind, source)
    return found


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    return command.split() if isinstance(command, str) else list(command or [])


# ---------------------------------------------------------------- compose config
def test_compose_config_succeeds_with_the_example_env(config_run):
    assert config_run.returncode == 0, config_run.stderr


def test_the_eight_services_exist(config):
    assert sorted(config["services"]) == sorted(ALL_SERVICES)


def test_every_app_service_is_built_from_the_same_dockerfile(config):
    builds = {name: config["services"][name].get("build") for name in APP_SERVICES}
    for name, build in builds.items():
        assert build, f"{name} has no build section"
        assert Path(build["context"]).resolve() == ROOT, name
        assert build.get("dockerfile") == "docker/Dockerfile", name
    images = {config["services"][name].get("image") for name in APP_SERVICES}
    assert len(images) == 1 and None not in images, images


def test_the_dockerfile_and_files_it_copies_exist():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    copied = re.findall(r"^COPY ((?:--\S+ )*)(\S+) \S+$", dockerfile, re.M)
    assert copied
    for flags, source in copied:
        if "--from=" not in flags:  # from the build context: the repository
            assert (ROOT / source).exists(), f"COPY {source}: missing"
    assert re.search(r"^FROM python:3\.11-slim-bookworm|^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm", dockerfile, re.M)
    assert re.search(r"^USER ckan$", dockerfile, re.M)
    assert "EXPOSE 5000" in dockerfile
    assert "/api/action/status_show" in dockerfile


def test_each_app_service_runs_its_role(config):
    services = config["services"]
    assert command_of(services["ckan"]) == ["web"]
    assert command_of(services["harvester-gather"]) == ["gather"]
    assert command_of(services["harvester-fetch"]) == ["fetch"]
    assert command_of(services["harvester-scheduler"]) == ["scheduler"]
    assert command_of(services["worker"]) == ["worker"]


def test_named_volumes_keep_the_data(config):
    assert set(VOLUMES) <= set(config.get("volumes") or {})
    services = config["services"]
    for name in APP_SERVICES:
        assert mounts(services[name]).get("/var/lib/ckan") == ("volume", "ckan_storage"), name
    db_mounts = mounts(services["db"])
    pgdata = services["db"].get("environment", {}).get("PGDATA", "/var/lib/postgresql/data")
    assert any(kind == "volume" and source == "pg_data" and (pgdata + "/").startswith(target.rstrip("/") + "/")
               for target, (kind, source) in db_mounts.items()), db_mounts
    assert mounts(services["solr"]).get("/var/solr") == ("volume", "solr_data")
    assert mounts(services["redis"]).get("/data") == ("volume", "redis_data")


def test_storage_path_matches_the_storage_volume(config):
    for name in APP_SERVICES:
        assert config["services"][name]["environment"]["CKAN_STORAGE_PATH"] == "/var/lib/ckan"


def test_images_of_the_backing_services(config):
    services = config["services"]
    assert services["solr"]["build"]["dockerfile"] == "docker/solr/Dockerfile"
    assert services["db"]["image"].split(":") == ["postgres", "15"]
    assert services["redis"]["image"].split(":")[0] == "redis"
    assert services["redis"]["image"].split(":")[1].startswith("7")


def test_web_waits_for_healthy_db_solr_and_redis(config):
    depends = config["services"]["ckan"]["depends_on"]
    for name in ("db", "solr", "redis"):
        assert depends[name]["condition"] == "service_healthy"
        assert "healthcheck" in config["services"][name], name


def test_background_services_wait_for_the_migrated_web_service(config):
    assert "healthcheck" in config["services"]["ckan"]
    for name in APP_SERVICES[1:]:
        depends = config["services"][name]["depends_on"]
        assert depends["ckan"]["condition"] == "service_healthy", name
        # The image's web health check would mark them unhealthy forever.
        healthcheck = config["services"][name]["healthcheck"]
        # Compose v2 prints "disable: true"; Debian's v1 prints "test: [NONE]".
        assert healthcheck.get("disable") is True or healthcheck.get("test") == ["NONE"], name


def test_every_service_restarts_unless_stopped(config):
    for name in ALL_SERVICES:
        assert config["services"][name].get("restart") == "unless-stopped", name


def test_web_port_is_published_from_ckan_port(compose_cmd, config):
    ports = config["services"]["ckan"]["ports"]
    published = [(str(p["published"]), p["target"]) if isinstance(p, dict) else tuple(p.split(":"))
                 for p in ports]
    assert [(a, str(b)) for a, b in published] == [("5000", "5000")]
    moved = run_compose(compose_cmd, "config", CKAN_PORT="8088")
    assert moved.returncode == 0, moved.stderr
    port = yaml.safe_load(moved.stdout)["services"]["ckan"]["ports"][0]
    assert str(port["published"] if isinstance(port, dict) else port.split(":")[0]) == "8088"


def test_app_containers_get_the_env_file(config):
    env = config["services"]["ckan"]["environment"]
    assert env["CKAN_SQLALCHEMY_URL"] == "postgresql://ckan:change-me-database-password@db:5432/ckan"
    assert env["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert env["CKAN_REDIS_URL"] == "redis://redis:6379/0"
    assert env["CKAN_SECRET_KEY"].startswith("change-me")
    scheduler_env = config["services"]["harvester-scheduler"]["environment"]
    assert scheduler_env["HARVEST_INTERVAL"] == "900"
    db_env = config["services"]["db"]["environment"]
    assert (db_env["POSTGRES_USER"], db_env["POSTGRES_DB"]) == ("ckan", "ckan")


def test_a_missing_env_file_stops_compose(compose_cmd, tmp_path):
    """Without docker/.env (the default env_file) compose refuses to run."""
    (tmp_path / "docker").mkdir()
    copy = tmp_path / "docker" / "docker-compose.yml"
    shutil.copy(COMPOSE_FILE, copy)
    result = run_compose(compose_cmd, "config", compose_file=copy, CKAN_ENV_FILE=None)
    assert result.returncode != 0
    assert ".env" in result.stderr


def test_a_missing_database_password_stops_compose(compose_cmd, tmp_path):
    env_file = tmp_path / "no-password.env"
    env_file.write_text("\n".join(
        line for line in ENV_EXAMPLE.read_text().splitlines()
        if not line.startswith("POSTGRES_PASSWORD=")) + "\n")
    result = run_compose(compose_cmd, "config", env_file=env_file)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_env_example_documents_every_variable_in_use():
    defined = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))
    used |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)[:}]", ENTRYPOINT.read_text()))
    used |= {"CKAN_SQLALCHEMY_URL", "CKAN_SOLR_URL", "CKAN_REDIS_URL", "CKAN_SITE_URL",
             "CKAN_STORAGE_PATH", "CKAN_SMTP_SERVER", "CKAN_SMTP_MAIL_FROM"}
    internal = {"CKAN_INI", "CKAN_ENV_FILE"}  # set by the image / by this test
    assert sorted(used - internal - defined) == []
    for secret in ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_SYSADMIN_PASSWORD"):
        value = re.search(rf"^{secret}=(.*)$", ENV_EXAMPLE.read_text(), re.M).group(1)
        assert value.startswith("change-me"), secret


# ---------------------------------------------------------------- entrypoint
def test_entrypoint_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


STUB = """#!/usr/bin/env bash
echo "{name} $*" >> "$STUB_LOG"
{body}
"""


@pytest.fixture
def stub_env(tmp_path):
    """PATH with recording stand-ins; a writable copy of the production ini."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    bodies = {
        "ckan": 'if [ "$1 $2" = "user show" ]; then echo "User: None"; fi',
        "python": "cat >/dev/null",  # the wait-for-services script on stdin: all up
        "gunicorn": "",
    }
    for name, body in bodies.items():
        path = bin_dir / name
        path.write_text(STUB.format(name=name, body=body))
        path.chmod(0o755)
    ini = tmp_path / "ckan.ini"
    shutil.copy(ROOT / "config" / "production.ini", ini)
    log = tmp_path / "calls.log"
    log.touch()
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "STUB_LOG": str(log),
        "CKAN_INI": str(ini),
        "CKAN_SECRET_KEY": "Tst0-not-a-real-secret-but-long-enough-xyz",
        "SCHEDULER_STATE_DIR": str(tmp_path / "scheduler"),
    }
    return env, log


def run_entrypoint(env, *args, timeout=30):
    return subprocess.run(["bash", str(ENTRYPOINT), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.parametrize("role", ["web", "gather", "scheduler"])
def test_entrypoint_refuses_to_start_without_a_secret_key(stub_env, role):
    env, log = stub_env
    del env["CKAN_SECRET_KEY"]
    started = time.monotonic()
    result = run_entrypoint(env, role)
    assert result.returncode != 0
    assert "CKAN_SECRET_KEY is not set" in result.stderr
    # Before touching the config or waiting for any service.
    assert log.read_text() == ""
    assert time.monotonic() - started < 10


def test_entrypoint_refuses_the_example_placeholders(stub_env):
    env, log = stub_env
    env["CKAN_SECRET_KEY"] = "change-me-to-a-long-random-string-0000000000000000000000"
    result = run_entrypoint(env, "web")
    assert result.returncode != 0 and "placeholder" in result.stderr
    env["CKAN_SECRET_KEY"] = "Tst0-not-a-real-secret-but-long-enough-xyz"
    env["CKAN_SYSADMIN_NAME"], env["CKAN_SYSADMIN_EMAIL"] = "admin", "admin@example.org"
    env["CKAN_SYSADMIN_PASSWORD"] = "change-me-sysadmin-password"
    result = run_entrypoint(env, "web")
    assert result.returncode != 0 and "CKAN_SYSADMIN_PASSWORD" in result.stderr
    assert "change-me-sysadmin-password" not in result.stderr  # names, never shows
    assert log.read_text() == ""


def test_entrypoint_refuses_a_percent_sign_in_ckan_variables(stub_env):
    env, log = stub_env
    env["CKAN_SQLALCHEMY_URL"] = "postgresql://ckan:p%40ss@db/ckan"
    result = run_entrypoint(env, "worker")
    assert result.returncode != 0 and "CKAN_SQLALCHEMY_URL" in result.stderr
    assert log.read_text() == ""


def test_web_role_migrates_creates_the_sysadmin_and_serves(stub_env):
    env, log = stub_env
    env.update(CKAN_SYSADMIN_NAME="admin", CKAN_SYSADMIN_EMAIL="admin@example.org",
               CKAN_SYSADMIN_PASSWORD="Tst0-pass-word", CKAN_HARVEST_MQ_HOSTNAME="queue")
    result = run_entrypoint(env)  # no argument: web
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == (f"ckan config-tool {env['CKAN_INI']} SECRET_KEY={env['CKAN_SECRET_KEY']} "
                        "ckan.harvest.mq.hostname=queue ckan.harvest.mq.port=6379 "
                        "ckan.harvest.mq.redis_db=0")
    assert calls[1].startswith("python - ")  # waits for PostgreSQL, Solr, Redis
    assert calls[2] == "ckan db upgrade"
    assert calls[3] == "ckan user show admin"
    assert calls[4] == "ckan sysadmin add admin --create email=admin@example.org password=Tst0-pass-word"
    assert calls[5].startswith("gunicorn ") and "--bind 0.0.0.0:5000" in calls[5]
    assert calls[5].endswith("wsgi:application")
    assert len(calls) == 6


@pytest.mark.parametrize("role, expected", [
    ("gather", "ckan harvester gather-consumer"),
    ("fetch", "ckan harvester fetch-consumer"),
    ("worker", "ckan jobs worker"),
])
def test_background_roles_run_their_consumer_without_migrating(stub_env, role, expected):
    env, log = stub_env
    env["CKAN_SYSADMIN_NAME"] = ""
    result = run_entrypoint(env, role)
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("ckan config-tool ")
    assert calls[-1] == expected
    assert "ckan db upgrade" not in calls


def test_other_commands_run_as_given(stub_env):
    env, log = stub_env
    result = run_entrypoint(env, "ckan", "sysadmin", "list")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[-1] == "ckan sysadmin list"
    assert "ckan db upgrade" not in calls


def test_scheduler_runs_harvester_run_every_interval(stub_env):
    env, log = stub_env
    env["HARVEST_INTERVAL"] = "1"
    process = subprocess.Popen(["bash", str(ENTRYPOINT), "scheduler"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while log.read_text().count("ckan harvester run") < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert log.read_text().count("ckan harvester run") >= 3
    finally:
        process.send_signal(signal.SIGTERM)  # what "docker compose stop" sends
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "every 1 s" in stderr


def test_scheduler_interval_defaults_to_900_seconds(stub_env):
    env, log = stub_env
    process = subprocess.Popen(["bash", str(ENTRYPOINT), "scheduler"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while "ckan harvester run" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert "every 900 s" in stderr
    assert log.read_text().count("ckan harvester run") == 1


# ---------------------------------------------------------------- periodic jobs
#: What the scheduler runs besides the harvester (docker/README.md).
DAILY_JOBS = ("ckan reuse datarequest-reminders", "ckan reuse send-digests",
              "ckan odassessment usage purge")
WEEKLY_JOBS = ("ckan reuse check-links", "ckan odassessment run")


def utc(fmt: str) -> str:
    return time.strftime(fmt, time.gmtime())


@contextlib.contextmanager
def scheduler(env):
    """The scheduler role running; stopped with SIGTERM as compose does.
    Yields a dict that gets the exit code and stderr."""
    process = subprocess.Popen(["bash", str(ENTRYPOINT), "scheduler"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcome = {}
    try:
        yield outcome
    finally:
        process.send_signal(signal.SIGTERM)
        _, outcome["stderr"] = process.communicate(timeout=15)
        outcome["returncode"] = process.returncode


def wait_for_calls(log, lines, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = log.read_text().splitlines()
        if all(line in calls for line in lines):
            return calls
        time.sleep(0.2)
    return log.read_text().splitlines()


def due_now(env, **extra):
    """Jobs due at once: from 0:00 UTC, weekly ones today; one-second ticks."""
    env.update(HARVEST_INTERVAL="1", SCHEDULER_TICK="1", SCHEDULER_HOUR="0",
               SCHEDULER_WEEKDAY=utc("%u"), **extra)
    return env


def test_scheduler_runs_the_daily_and_weekly_jobs_once_per_period(stub_env):
    env, log = stub_env
    with scheduler(due_now(env)) as stopped:
        calls = wait_for_calls(log, DAILY_JOBS + WEEKLY_JOBS)
        time.sleep(3)  # three more ticks: nothing runs twice
        calls = log.read_text().splitlines()
    assert stopped["returncode"] == 0, stopped["stderr"]
    for job in DAILY_JOBS + WEEKLY_JOBS:
        assert calls.count(job) == 1, (job, calls)
    # The weekly full run covers the night: no --changed-since run today.
    assert not [c for c in calls if "--changed-since" in c], calls
    assert calls.count("ckan harvester run") >= 3  # harvesting goes on beside them
    assert "scheduled: assessment-changed    daily   assessment_run changed" in stopped["stderr"]
    state = Path(env["SCHEDULER_STATE_DIR"])
    assert (state / "reuse-digests").read_text().strip() == utc("%Y-%m-%d")
    assert (state / "assessment-full").read_text().strip() == utc("%G-W%V")


def test_nightly_assessment_scores_what_changed_since_the_last_successful_run(stub_env):
    env, log = stub_env
    state = Path(env["SCHEDULER_STATE_DIR"])
    state.mkdir()
    for weekly in ("reuse-link-check", "assessment-full"):  # done earlier this week
        (state / weekly).write_text(utc("%G-W%V") + "\n")
    (state / "assessment-since").write_text("2026-11-20T02:00:05\n")
    before = utc("%Y-%m-%dT%H:%M:%S")
    with scheduler(due_now(env)) as stopped:
        calls = wait_for_calls(log, ("ckan odassessment run --changed-since 2026-11-20T02:00:05",))
    assert stopped["returncode"] == 0, stopped["stderr"]
    assert "ckan odassessment run --changed-since 2026-11-20T02:00:05" in calls
    assert not set(WEEKLY_JOBS) & set(calls), calls
    assert (state / "assessment-since").read_text().strip() >= before  # the next night starts here


def test_a_restarted_scheduler_does_not_repeat_this_periods_jobs(stub_env):
    env, log = stub_env
    with scheduler(due_now(env)):
        wait_for_calls(log, DAILY_JOBS + WEEKLY_JOBS)
    with scheduler(env) as stopped:
        deadline = time.monotonic() + 20
        while log.read_text().count("ckan harvester run") < 6 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)
    assert stopped["returncode"] == 0, stopped["stderr"]
    calls = log.read_text().splitlines()
    for job in DAILY_JOBS + WEEKLY_JOBS:
        assert calls.count(job) == 1, (job, calls)


def test_a_failing_job_is_logged_and_the_others_still_run(stub_env):
    env, log = stub_env
    ckan_stub = Path(env["PATH"].split(":")[0]) / "ckan"
    ckan_stub.write_text(STUB.format(name="ckan", body='[ "$1 $2" != "reuse send-digests" ] || exit 3'))
    with scheduler(due_now(env)) as stopped:
        calls = wait_for_calls(log, DAILY_JOBS + WEEKLY_JOBS)
    assert stopped["returncode"] == 0, stopped["stderr"]
    assert all(job in calls for job in DAILY_JOBS + WEEKLY_JOBS), calls
    assert "reuse-digests failed (exit 3)" in stopped["stderr"]


@pytest.mark.parametrize("variable, value, message", [
    ("SCHEDULER_HOUR", "24", "SCHEDULER_HOUR must be an hour from 0 to 23"),
    ("SCHEDULER_WEEKDAY", "0", "SCHEDULER_WEEKDAY must be a day from 1 (Monday) to 7"),
    ("SCHEDULER_TICK", "5m", "SCHEDULER_TICK must be a whole number of seconds"),
])
def test_scheduler_refuses_bad_schedule_settings(stub_env, variable, value, message):
    env, log = stub_env
    env[variable] = value
    result = run_entrypoint(env, "scheduler")
    assert result.returncode != 0 and message in result.stderr
    assert log.read_text() == ""


def test_the_entrypoint_lists_every_periodic_job_of_the_readme():
    text = ENTRYPOINT.read_text()
    for command in DAILY_JOBS + WEEKLY_JOBS + ("ckan odassessment run --changed-since",):
        assert command in text, command
    docs = (DOCKER / "README.md").read_text()
    for command in DAILY_JOBS + WEEKLY_JOBS:
        assert command in docs, command


def test_solr_image_is_ckan_solr_9_with_the_derived_portal_schema(tmp_path):
    """The solr image's schema stage, run here: CKAN's schema.xml from the
    ckan package, derived by config/solr/derive_schema.py."""
    dockerfile = (DOCKER / "solr" / "Dockerfile").read_text()
    assert "ARG SOLR_IMAGE=ckan/ckan-solr:2.12-solr9" in dockerfile
    import ckan
    ckan_schema = Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
    derive = subprocess.run(
        [sys.executable, str(ROOT / "config" / "solr" / "derive_schema.py"), str(ckan_schema), str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert derive.returncode == 0, derive.stderr
    schema = (tmp_path / "schema.xml").read_text()
    assert '<schema name="ckan-2.12"' in schema
    assert 'name="text_ar"' in schema and 'name="text_fr"' in schema
    assert (tmp_path / "contractions_fr.txt").exists()
