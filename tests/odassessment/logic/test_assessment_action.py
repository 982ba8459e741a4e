"""Assessment actions and auth (issue 7): runs stored over time, dataset /
organisation / portal results, exports, who may see and run what."""
from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib

import ckan.model as model
from ckan.tests import factories, helpers
import ckan.plugins.toolkit as tk

from ckanext.odassessment import runner
from ckanext.odassessment.model import assessment as store
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _run(**data):
    data.setdefault("http", False)
    data.setdefault("background", False)
    return helpers.call_action("odassessment_run_create", {"user": factories.Sysadmin()["name"]}, **data)


def test_a_run_scores_every_dataset_and_keeps_history():
    org = h.organization()
    good = h.complete_dataset(org)
    bare = h.bare_dataset(org)
    run = _run()
    assert run["state"] == "complete" and run["datasets_total"] == 2 and run["datasets_done"] == 2
    shown = helpers.call_action("odassessment_dataset_show", {}, id=good["name"])
    # no HTTP checks in this run: the access and download status points (50 + 30) are missing
    assert shown["mqa"] == 405 - 80
    assert shown["mqa_band"] == "good"
    metrics = {m["metric"] for m in shown["measurements"]}
    assert "dcatApCompliance" in metrics and "updateFulfilledInTime" in metrics
    bare_shown = helpers.call_action("odassessment_dataset_show", {}, id=bare["id"])
    assert bare_shown["mqa"] == 50 and bare_shown["mqa_band"] == "bad"

    helpers.call_action("package_patch", h.sysadmin_context(), id=bare["id"],
                        tags_translated={"fr": ["eau"]}, theme=["agriculture"])
    _run()
    history = helpers.call_action("odassessment_dataset_show", {}, id=bare["id"])["history"]
    assert [p["mqa"] for p in history] == [50, 50 + 30 + 30]
    runs = helpers.call_action("odassessment_run_list", {})
    assert len(runs) == 2 and all(r["state"] == "complete" for r in runs)


def test_organisation_scorecard_and_portal_ranking():
    strong, weak = h.organization(), h.organization()
    h.complete_dataset(strong)
    h.complete_dataset(strong)
    h.bare_dataset(weak)
    h.bare_dataset(weak, private=True)
    _run()
    card = helpers.call_action("odassessment_organization_show", {}, id=weak["name"])
    assert card["datasets"] == 1            # the private dataset is not in public figures
    assert card["mqa"] == 50 and card["bands"]["bad"] == 1
    assert card["timeliness"]["undeclared"] == 1
    strong_card = helpers.call_action("odassessment_organization_show", {}, id=strong["id"])
    assert strong_card["mqa"] == 325 and strong_card["bands"]["good"] == 2
    assert strong_card["dimensions"]["mqa"]["findability"] == 100.0
    assert strong_card["stars"]["3"] == 2   # CSV under an open licence
    portal = helpers.call_action("odassessment_portal_show", {})
    assert [r["id"] for r in portal["ranking"]] == [strong["id"], weak["id"]]
    assert portal["mqa"] == round((325 * 2 + 50) / 3, 1)
    filtered = helpers.call_action("odassessment_portal_show", {}, theme="agriculture")
    assert filtered["datasets"] == 2 and [r["id"] for r in filtered["ranking"]] == [strong["id"]]


def test_portal_pillars_flag_missing_sources_instead_of_zero():
    h.complete_dataset(h.organization())
    _run()
    portal = helpers.call_action("odassessment_portal_show", {})
    accessibility = portal["pillars"]["accessibility"]
    assert accessibility["mqa"]["value"] == pytest.approx(325 / 405, abs=1e-3)
    # no URL was checked: the accessible share has no input and is left out
    assert accessibility["accessible"]["value"] is None and accessibility["accessible"]["flag"] == "no_input"
    for pillar in portal["pillars"].values():
        values = [i["value"] for k, i in pillar.items() if k != "_score" and i["value"] is not None]
        assert pillar["_score"] == pytest.approx(sum(values) / len(values), abs=1e-4)
    for name, indicator in portal["pillars"]["reuse"].items():
        if name != "_score" and indicator["source"] == "usage_summary_show":
            try:
                tk.get_action("usage_summary_show")
            except KeyError:
                assert indicator["flag"] == "not_available" and indicator["value"] is None


def test_an_interrupted_run_leaves_the_previous_one_current_and_can_be_resumed():
    org = h.organization()
    first = h.complete_dataset(org)
    second = h.bare_dataset(org)
    _run()
    helpers.call_action("package_patch", h.sysadmin_context(), id=second["id"],
                        tags_translated={"fr": ["eau"]})
    run = runner.start("full", http=False)
    # the process dies after one dataset: that dataset's rows exist, the run is still running
    runner.score_batch(run, [second["id"]], runner.assess.GraphBuilder())
    assert helpers.call_action("odassessment_dataset_show", {}, id=second["id"])["mqa"] == 50
    assert model.Session.get(store.Run, run.id).state == "running"
    resumed = runner.resume()
    assert resumed.id == run.id and runner.targets(resumed) == [first["id"]]
    runner.execute(resumed)
    assert helpers.call_action("odassessment_dataset_show", {}, id=second["id"])["mqa"] == 80
    assert helpers.call_action("odassessment_run_show", {}, id=run.id)["state"] == "complete"


def test_background_jobs_score_each_dataset_and_complete_the_run():
    org = h.organization()
    datasets = [h.bare_dataset(org) for _ in range(3)]
    from ckan.lib import jobs
    jobs.get_queue().empty()
    run = _run(background=True)
    assert run["state"] == "running" and run["datasets_total"] == 3
    jobs.Worker().work(burst=True)
    done = helpers.call_action("odassessment_run_show", {}, id=run["id"])
    assert done["state"] == "complete" and done["datasets_done"] == 3
    assert done["bands"]["bad"] == 3
    for d in datasets:
        assert helpers.call_action("odassessment_dataset_show", {}, id=d["id"])["run_id"] == run["id"]


def test_a_dataset_update_is_rescored_in_a_background_job():
    from ckan.lib import jobs
    jobs.get_queue().empty()
    dataset = h.bare_dataset(h.organization())
    helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"],
                        spatial_region=["TN-51"])
    jobs.Worker().work(burst=True)
    shown = helpers.call_action("odassessment_dataset_show", {}, id=dataset["id"])
    assert shown["mqa"] == 50 + 20
    assert shown["run"]["kind"] == "dataset"


def test_exports_csv_json_and_dqv():
    org = h.organization()
    dataset = h.complete_dataset(org)
    h.bare_dataset(org, private=True)
    _run()
    out = helpers.call_action("odassessment_export", {}, format="csv")
    rows = list(csv.DictReader(io.StringIO(out["data"])))
    assert [r["name"] for r in rows] == [dataset["name"]]     # the private dataset is not exported
    assert float(rows[0]["mqa"]) == 325 and rows[0]["mqa_band"] == "good"
    sysadmin = factories.Sysadmin()
    assert len(list(csv.DictReader(io.StringIO(helpers.call_action(
        "odassessment_export", {"user": sysadmin["name"]}, format="csv")["data"])))) == 2
    data = json.loads(helpers.call_action("odassessment_export", {}, format="json", level="all")["data"])
    assert {s["entity_type"] for s in data["scores"]} == {"dataset", "organization", "portal"}
    ttl = helpers.call_action("odassessment_export", {}, format="dqv")
    g = rdflib.Graph().parse(data=ttl["data"], format="turtle")
    DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    metrics = {str(o) for o in g.objects(None, DQV.isMeasurementOf)}
    assert "https://piveau.eu/ns/voc#keywordAvailability" in metrics
    assert "https://piveau.eu/ns/voc#scoring" in metrics
    assert any(m.startswith("https://w3id.org/odassessment/voc#") for m in metrics)


def test_field_errors():
    sysadmin = {"user": factories.Sysadmin()["name"]}
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("odassessment_run_create", sysadmin, kind="weekly")
    assert "kind" in e.value.error_dict
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("odassessment_run_create", sysadmin, kind="changed")
    assert "changed_since" in e.value.error_dict
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("odassessment_run_create", sysadmin, kind="changed", changed_since="yesterday")
    assert "changed_since" in e.value.error_dict
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("odassessment_export", {}, format="xlsx")
    assert "format" in e.value.error_dict
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("odassessment_export", {})
    with pytest.raises(tk.ValidationError) as e:
        helpers.call_action("odassessment_portal_show", {}, theme="astrology", region="TN-51")
    assert list(e.value.error_dict) == ["theme"]


def test_changed_since_scores_only_recent_datasets():
    org = h.organization()
    old = h.bare_dataset(org)
    model.Session.execute(model.package_table.update().where(model.package_table.c.id == old["id"])
                          .values(metadata_modified="2020-01-01"))
    model.Session.commit()
    h.bare_dataset(org)
    run = _run(kind="changed", changed_since="2024-01-01")
    assert run["datasets_total"] == 1


def test_auth():
    org = h.organization()
    public = h.bare_dataset(org)
    private = h.bare_dataset(org, private=True)
    _run()
    stranger = factories.User()
    member = factories.User()
    helpers.call_action("organization_member_create", h.sysadmin_context(), id=org["id"],
                        username=member["name"], role="editor")
    assert helpers.call_auth("odassessment_dataset_show", {"user": None, "model": model}, id=public["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("odassessment_dataset_show", {"user": stranger["name"], "model": model}, id=private["id"])
    assert helpers.call_auth("odassessment_dataset_show", {"user": member["name"], "model": model}, id=private["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("odassessment_dataset_show", {"user": stranger["name"], "ignore_auth": False},
                            id=private["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("odassessment_run_create", {"user": member["name"], "model": model})
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("odassessment_dataset_rescore", {"user": stranger["name"], "model": model}, id=public["id"])
    assert helpers.call_auth("odassessment_dataset_rescore", {"user": member["name"], "model": model}, id=public["id"])
    for name in ("odassessment_portal_show", "odassessment_run_list", "odassessment_export"):
        assert helpers.call_auth(name, {"user": None, "model": model})
    assert helpers.call_auth("odassessment_organization_show", {"user": None, "model": model}, id=org["id"])


def test_trends_between_runs():
    improving, steady = h.organization(), h.organization()
    dataset = h.bare_dataset(improving)
    h.bare_dataset(steady)
    assert helpers.call_action("odassessment_trends_show", {})["available"] is False
    _run()
    helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"], tags_translated={"fr": ["eau"]},
                        theme=["agriculture"], spatial_region=["TN-51"])
    _run()
    trends = helpers.call_action("odassessment_trends_show", {})
    # keywords 30 + theme 30 + spatial 20: 50 -> 130, bad -> sufficient
    assert [(o["id"], o["previous"], o["mqa"], o["delta"]) for o in trends["improved"]] == [
        (improving["id"], 50, 130, 80)]
    assert trends["declined"] == []
    assert trends["transitions"] == {"bad>sufficient": 1}
    assert trends["portal"]["mqa_delta"] == 40          # mean 50 -> 90
    assert trends["portal"]["mqa_delta_year"] is None   # no run a year ago


def test_export_leaves_out_datasets_made_private_after_the_run():
    org = h.organization()
    dataset = h.bare_dataset(org)
    _run()
    helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"], private=True)
    out = helpers.call_action("odassessment_export", {}, format="csv")
    assert list(csv.DictReader(io.StringIO(out["data"]))) == []

