"""scripts/services: idempotent start, status, and clear failures."""
from __future__ import annotations

import os
import socket
import subprocess

from tests.conftest import ROOT

SERVICES = os.path.join(ROOT, "scripts", "services")


def _run(*args, **env):
    return subprocess.run([SERVICES, *args], env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=120)


def test_status_reports_every_service_up():
    result = _run("status")
    assert result.returncode == 0, result.stdout
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["postgresql", "redis", "solr"]
    assert "cores ckan ckan_test ckan_bench" in result.stdout


def test_up_again_keeps_the_running_solr():
    pid_file = os.path.join(ROOT, ".local", "run", "solr.pid")
    before = open(pid_file).read() if os.path.exists(pid_file) else None
    result = _run("up")
    assert result.returncode == 0, result.stderr
    assert "solr up: http://127.0.0.1:8983/solr" in result.stdout
    assert "starting Solr" not in result.stdout
    after = open(pid_file).read() if os.path.exists(pid_file) else None
    assert before == after


def _held_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def test_solr_on_a_taken_port_fails_naming_the_service_reason_and_log():
    with _held_port() as sock:
        port = sock.getsockname()[1]
        result = _run("up", "solr", SOLR_PORT=str(port))
    assert result.returncode == 1
    assert f"FAILED solr: port {port} is taken by another program" in result.stderr
    assert "(log: " + os.path.join(ROOT, ".local", "logs", "solr.log") in result.stderr


def test_redis_on_a_taken_port_fails_naming_the_service():
    with _held_port() as sock:
        port = sock.getsockname()[1]
        result = _run("up", "redis", REDIS_PORT=str(port))
    assert result.returncode == 1
    assert f"FAILED redis: port {port} is taken by another program" in result.stderr
