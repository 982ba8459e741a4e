"""ckan odassessment run / runs / export / check-weights (issue 7)."""
from __future__ import annotations

import csv
import io

import pytest

from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.odassessment import runner
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


def test_run_full_then_changed_since_with_progress(cli):
    org = h.organization()
    h.complete_dataset(org)
    h.bare_dataset(org)
    result = cli.invoke(ckan, ["odassessment", "run", "--no-http"])
    assert result.exit_code == 0, result.output
    assert "Scoring datasets" in result.output
    assert "complete, 2/2 datasets" in result.output
    result = cli.invoke(ckan, ["odassessment", "run", "--no-http", "--changed-since", "2099-01-01"])
    assert result.exit_code == 0, result.output
    assert "(changed): complete, 0/0 datasets" in result.output
    result = cli.invoke(ckan, ["odassessment", "runs"])
    assert result.output.count("complete") == 2


def test_strict_run(cli):
    dataset = h.bare_dataset(h.organization())
    assert cli.invoke(ckan, ["odassessment", "run", "--no-http", "--strict"]).exit_code == 0
    assert helpers.call_action("odassessment_dataset_show", {}, id=dataset["id"])["mqa"] == 40


def test_resume_an_interrupted_run(cli):
    org = h.organization()
    datasets = [h.bare_dataset(org) for _ in range(3)]
    run = runner.start("full", http=False)
    runner.score_batch(run, [datasets[0]["id"]], runner.assess.GraphBuilder())
    result = cli.invoke(ckan, ["odassessment", "run", "--resume"])
    assert result.exit_code == 0, result.output
    assert f"Run {run.id}" in result.output and "complete, 3/3 datasets" in result.output
    result = cli.invoke(ckan, ["odassessment", "run", "--resume"])
    assert result.exit_code != 0 and "No interrupted run" in result.output


def test_export_to_a_file(cli, tmp_path):
    dataset = h.complete_dataset(h.organization())
    cli.invoke(ckan, ["odassessment", "run", "--no-http"])
    out = tmp_path / "scores.csv"
    result = cli.invoke(ckan, ["odassessment", "export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["name"] == dataset["name"] and float(rows[0]["mqa"]) == 325
    result = cli.invoke(ckan, ["odassessment", "export", "--format", "dqv"])
    assert "dqv:isMeasurementOf" in result.output


def test_export_without_runs_is_an_error(cli):
    result = cli.invoke(ckan, ["odassessment", "export"])
    assert result.exit_code != 0 and "No complete assessment run" in result.output


def test_check_weights(cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("dimensions:\n  openness:\n    openLicence: 20\n")
    result = cli.invoke(ckan, ["odassessment", "check-weights", str(good)])
    assert result.exit_code == 0 and "1 metrics, 20 points" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("dimensions:\n  reusability:\n    knownLicence: 50\n")
    result = cli.invoke(ckan, ["odassessment", "check-weights", str(bad)])
    assert result.exit_code != 0 and "locked" in result.output
