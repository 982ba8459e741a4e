"""A run whose process is killed midway (issue 7): the previous complete
run stays the one shown, nothing of the killed run is visible, and
``ckan odassessment run --resume`` finishes it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

import ckan.model as model
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.odassessment.model import assessment as store
from tests.conftest import PORTAL_PLUGINS, ROOT
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


def _running_run() -> tuple[str, int] | None:
    model.Session.remove()
    row = model.Session.execute(
        store.run_table.select().where(store.run_table.c.state == "running")).first()
    return (row.id, row.datasets_done) if row else None


def test_killed_run_leaves_the_previous_one_current_and_resumes(cli, tmp_path):
    org = h.organization()
    datasets = [h.bare_dataset(org) for _ in range(30)]
    assert cli.invoke(ckan, ["odassessment", "run", "--no-http"]).exit_code == 0
    for dataset in datasets:
        helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"], theme=["agriculture"])
    model.Session.commit()

    ini = tmp_path / "run.ini"
    ini.write_text(f"[app:main]\nuse = config:{ROOT}/test.ini\nckan.plugins = {PORTAL_PLUGINS}\n"
                   "ckanext.odassessment.rescore_on_update = false\n")
    process = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", str(ini),
                                "odassessment", "run", "--no-http"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            running = _running_run()
            if running and running[1] >= 1:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    running = _running_run()
    assert running is not None, "the run finished before it could be killed"
    run_id, done = running
    assert 1 <= done < len(datasets)

    # every page and action still shows the previous complete run: 50 points, not 80
    for dataset in datasets:
        shown = helpers.call_action("odassessment_dataset_show", {}, id=dataset["id"])
        assert shown["run_id"] != run_id and shown["mqa"] == 50
    assert helpers.call_action("odassessment_organization_show", {}, id=org["id"])["mqa"] == 50

    result = cli.invoke(ckan, ["odassessment", "run", "--resume"])
    assert result.exit_code == 0, result.output
    assert f"Run {run_id}" in result.output and f"complete, {len(datasets)}/{len(datasets)}" in result.output
    assert {helpers.call_action("odassessment_dataset_show", {}, id=d["id"])["mqa"] for d in datasets} == {80}
    assert helpers.call_action("odassessment_organization_show", {}, id=org["id"])["mqa"] == 80
