"""Extended score (issue 7): timeliness graded at each boundary of the
update-frequency rule (research §7.3), openness, validity, documentation,
metrics that do not apply left out of the maximum, weights from YAML with
the MQA layer locked."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.odassessment import assess, extended, mqa
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

NOW = dt.datetime(2026, 11, 23, 12, 0, 0)
DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize("frequency,days", [("ANNUAL", 365), ("MONTHLY", 31), ("QUARTERLY", 93),
                                            ("WEEKLY", 7), ("DAILY", 1), ("BIANNUAL", 182)])
def test_update_frequency_rule_at_each_boundary(frequency, days):
    delta = dt.timedelta(days=days)
    grace = max(DAY, delta / 10)
    def status(age):
        return extended.update_status(frequency, NOW - age, NOW)
    assert status(delta)["status"] == "on_time"                       # due exactly now
    assert status(delta + grace)["status"] == "on_time"               # last second of grace
    assert status(delta + grace + SECOND)["status"] == "late"
    assert status(delta + grace + SECOND)["score"] == 0.5
    assert status(2 * delta + grace)["status"] == "late"              # one cycle missed
    assert status(2 * delta + grace + SECOND)["status"] == "overdue"
    assert status(2 * delta + grace + SECOND)["score"] == 0.0
    assert status(2 * delta + grace + SECOND)["days_late"] == (delta + grace + SECOND).days


def test_undeclared_and_not_quantifiable_frequencies():
    for value in (None, "", "UNKNOWN", "http://publications.europa.eu/resource/authority/frequency/UNKNOWN",
                  "whenever"):
        assert extended.update_status(value, NOW, NOW) == {"status": "undeclared", "score": 0.0,
                                                           "frequency": value}
    for value in ("IRREG", "NEVER", "CONT", "irregular",
                  "http://publications.europa.eu/resource/authority/frequency/AS_NEEDED"):
        assert extended.update_status(value, NOW, NOW)["status"] == "not_quantifiable"
    assert extended.update_status("annual", NOW - 10 * DAY, NOW)["frequency"] == "ANNUAL"


def _metrics(result):
    return {m.metric: m for m in result.measurements if m.layer == "extended"}


def test_a_complete_dataset_extended_score_worked_out():
    dataset = h.complete_dataset(h.organization())
    result = assess.assess(dataset, url_status=h.all_urls_answer(dataset, 200), now=NOW)
    m = _metrics(result)
    earned = {k: v.points for k, v in m.items() if v.applicable}
    # frequency 10 + EU URI 5 + on time 30 + temporal end 2025-12-31 current 5; CSV under an open
    # licence = 3 stars = 15 of 25, open licence 10; no file fetched: validity left out;
    # description > 100 characters 5, every resource described 5, ar+fr 5
    assert earned == {"accrualPeriodicityAvailability": 10, "accrualPeriodicityVocabularyAlignment": 5,
                      "updateFulfilledInTime": 30, "temporalCoverageCurrency": 5, "fiveStarRating": 15,
                      "openLicence": 10, "descriptionQuality": 5, "resourceDocumentation": 5,
                      "multilingualMetadata": 5}
    assert not m["formatMatch"].applicable and not m["syntaxValid"].applicable
    assert result.extended["max"] == 130 - 30
    assert result.extended["percent"] == round(100 * (405 + 90) / (405 + 100), 1)
    assert result.mqa["total"] == 405            # the extended layer never changes the MQA number
    assert m["updateFulfilledInTime"].basis == "defaulted"   # only metadata_modified as evidence


def test_overdue_dataset_and_evidence_from_uploaded_files():
    old = (NOW - dt.timedelta(days=900)).isoformat()
    dataset = h.complete_dataset(h.organization(), frequency="MONTHLY",
                                 resources=[h.complete_resource(last_modified=old)])
    m = _metrics(assess.assess(dataset, now=NOW))
    assert m["updateFulfilledInTime"].value["status"] == "overdue"
    assert m["updateFulfilledInTime"].value["basis"] == "resource"
    assert m["updateFulfilledInTime"].points == 0 and m["updateFulfilledInTime"].max_points == 30


def test_metrics_that_do_not_apply_leave_the_maximum():
    dataset = h.bare_dataset(h.organization(), frequency="IRREG")
    result = assess.assess(dataset, now=NOW)
    m = _metrics(result)
    for metric in ("updateFulfilledInTime", "temporalCoverageCurrency", "formatMatch", "syntaxValid",
                   "resourceDocumentation"):
        assert not m[metric].applicable, metric
    # left: frequency 10 + URI 5, stars 25, open licence 10, description 5, languages 5
    assert result.extended["max"] == 60
    assert result.extended["points"] == 10 + 5 + 5      # frequency declared, EU URI, ar+fr


@pytest.mark.ckan_config("ckanext.odassessment.award_not_quantifiable", True)
def test_not_quantifiable_can_be_awarded():
    m = _metrics(assess.assess(h.bare_dataset(h.organization(), frequency="IRREG"), now=NOW))
    assert m["updateFulfilledInTime"].applicable and m["updateFulfilledInTime"].points == 30


def test_open_licence_gate_and_stars():
    org = h.organization()
    closed = h.complete_dataset(org, license_id="", resources=[h.complete_resource(license="")])
    m = _metrics(assess.assess(closed, now=NOW))
    assert m["fiveStarRating"].value["stars"] == 0 and m["openLicence"].points == 0
    rdf = h.complete_dataset(org, resources=[h.complete_resource(format="RDF")])
    assert _metrics(assess.assess(rdf, now=NOW))["fiveStarRating"].points == 25
    pdf = h.complete_dataset(org, resources=[h.complete_resource(format="PDF")])
    assert _metrics(assess.assess(pdf, now=NOW))["fiveStarRating"].points == 5


def test_weights_file_changes_the_extended_points_only(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("version: test\ndimensions:\n  documentation:\n    multilingualMetadata: 50\n")
    dataset = h.bare_dataset(h.organization())
    from ckan.common import config
    config["ckanext.odassessment.weights_file"] = str(path)
    try:
        result = assess.assess(dataset, now=NOW)
    finally:
        config["ckanext.odassessment.weights_file"] = ""
    assert result.extended["max"] == 50 and result.extended["points"] == 50
    assert result.mqa["total"] == 50


@pytest.mark.parametrize("text,error", [
    ("dimensions:\n  findability:\n    keywordAvailability: 99\n", "locked"),
    ("dimensions:\n  timeliness:\n    keywordAvailability: 99\n", "locked"),
    ("dimensions:\n  timeliness:\n    popularity: 5\n", "unknown metric"),
    ("dimensions:\n  timeliness:\n    updateFulfilledInTime: -3\n", ">= 0"),
    ("dimensions:\n  timeliness:\n    updateFulfilledInTime: lots\n", ">= 0"),
    ("weights: 1\n", "'dimensions'"),
])
def test_weights_file_errors(text, error):
    import yaml
    with pytest.raises(extended.WeightsError, match=error):
        extended.parse_weights(yaml.safe_load(text))


def test_shipped_weights_are_the_research_table():
    # research §7.2 table: 10+5+30+5 / 25+10 / 15+15 / 5+5+5 = 130 (its "405 + 125" total is a slip)
    assert extended.weights()["points"] == {
        "accrualPeriodicityAvailability": 10, "accrualPeriodicityVocabularyAlignment": 5,
        "updateFulfilledInTime": 30, "temporalCoverageCurrency": 5, "fiveStarRating": 25,
        "openLicence": 10, "formatMatch": 15, "syntaxValid": 15, "descriptionQuality": 5,
        "resourceDocumentation": 5, "multilingualMetadata": 5}


@pytest.mark.parametrize("percent,band", [(100, "excellent"), (86.7, "excellent"), (86.6, "good"),
                                          (54.6, "good"), (54.5, "sufficient"), (29.9, "sufficient"),
                                          (29.8, "bad")])
def test_extended_bands_scaled_from_mqa(percent, band):
    assert extended.band(percent) == band
    assert round(351 / 405 * 100, 1) == 86.7 and round(221 / 405 * 100, 1) == 54.6


@pytest.mark.ckan_config("ckanext.odassessment.extended_bands", "quartiles")
def test_quartile_bands():
    assert [extended.band(p) for p in (75, 74.9, 50, 25, 24.9)] == [
        "excellent", "good", "good", "sufficient", "bad"]
