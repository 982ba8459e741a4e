"""ckan reuse demo-load: reuses, data requests and feedback for the local
portal, on top of ckan opengov demo-load, loaded once."""
from __future__ import annotations

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]

#: 2 users, 4 reuses, 4 data requests, 1 feedback thread (data/demo.yaml).
DEMO_OBJECTS = 11


def load(cli):
    base = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert base.exit_code == 0, base.output
    result = cli.invoke(ckan, ["reuse", "demo-load"])
    assert result.exit_code == 0, result.output
    return result


def as_user(action, user=None, **data):
    return helpers.call_action(action, {"user": user or "", "ignore_auth": False}, **data)


def test_demo_load_shows_reuses_in_three_languages_one_featured_one_pending(cli):
    result = load(cli)
    assert f"Reuse demo content: {DEMO_OBJECTS} created, 0 already there" in result.output

    gallery = as_user("reuse_search", sort="featured")  # what an anonymous visitor sees
    names = [r["name"] for r in gallery["results"]]
    assert gallery["count"] == 3 and names[0] == "carte-des-etablissements-de-sante", names
    assert "alerte-meteo-bizerte" not in names
    featured = gallery["results"][0]
    assert featured["featured"] is True and featured["badges"] == ["public_service"]
    assert featured["title_translated"] == {"ar": "خريطة المؤسسات الصحية العمومية",
                                            "fr": "Carte des établissements de santé publics",
                                            "en": "Map of public health facilities"}
    assert {r["moderation_state"] for r in gallery["results"]} == {"approved"}

    linked = as_user("dataset_reuse_list", id="population-par-gouvernorat")
    assert sorted(r["name"] for r in linked["results"]) == [
        "carte-des-etablissements-de-sante", "tableau-de-bord-eau-rurale"]

    queue = as_user("reuse_moderation_list", "admin")
    assert [r["name"] for r in queue["results"]] == ["alerte-meteo-bizerte"]
    assert queue["results"][0]["moderation_state"] == "pending"


def test_demo_load_files_data_requests_in_several_statuses_with_answers_and_votes(cli):
    load(cli)
    public = as_user("datarequest_search", sort="oldest")
    by_title = {r["title"]: r for r in public["results"]}
    assert {title: r["status"] for title, r in by_title.items()} == {
        "Horaires des bus de Sfax": "under_review",
        "قائمة الصيدليات الليلية حسب الولاية": "planned",
        "Population by governorate and age group": "fulfilled",
    }  # the submitted one is not public
    bus = by_title["Horaires des bus de Sfax"]
    assert bus["vote_count"] == 1 and bus["comment_count"] == 2
    comments = as_user("datarequest_comment_list", id=bus["id"])
    official = [c for c in comments if c.get("organization_id")]
    assert len(official) == 1 and official[0]["body"].startswith("Le ministère a demandé")
    fulfilled = as_user("datarequest_show", id=by_title["Population by governorate and age group"]["id"])
    assert [d["name"] for d in fulfilled["datasets"]] == ["population-par-gouvernorat"]

    queue = as_user("moderation_queue_list", "admin", section="datarequests")
    assert [r["title"] for r in queue["datarequests"]["results"]] == [
        "Qualité de l'eau des plages de Sousse"]
    assert queue["datarequests"]["results"][0]["status"] == "submitted"


def test_demo_load_opens_an_answered_feedback_thread_with_a_rating(cli):
    load(cli)
    threads = as_user("feedback_list", package_id="population-par-gouvernorat")
    assert threads["count"] == 1
    thread = threads["results"][0]
    assert thread["title"] == "Estimations 2026 ?" and thread["status"] == "answered"
    assert threads["rating"]["average"] == 4 and threads["rating"]["count"] == 1


def test_demo_load_twice_changes_nothing(cli):
    load(cli)
    before = helpers.call_action("reuse_show", id="carte-des-etablissements-de-sante")
    requests = helpers.call_action("datarequest_search", {"user": "admin"})

    again = cli.invoke(ckan, ["reuse", "demo-load"])
    assert again.exit_code == 0, again.output
    assert f"Reuse demo content: 0 created, {DEMO_OBJECTS} already there" in again.output
    after = helpers.call_action("reuse_show", id="carte-des-etablissements-de-sante")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert helpers.call_action("reuse_search", {"user": "admin"}, moderation_state="pending")["count"] == 1
    assert helpers.call_action("reuse_search", {"user": "admin"})["count"] == 4
    again_requests = helpers.call_action("datarequest_search", {"user": "admin"})
    assert again_requests["count"] == requests["count"] == 4
    assert [r["vote_count"] for r in again_requests["results"]] == [r["vote_count"] for r in requests["results"]]
    assert helpers.call_action("feedback_list", package_id="population-par-gouvernorat")["count"] == 1


def test_demo_load_without_the_demo_datasets_fails_clearly(cli):
    factories.Sysadmin()
    result = cli.invoke(ckan, ["reuse", "demo-load"])
    assert result.exit_code != 0
    assert "ckan opengov demo-load" in result.output
