"""Assessment pages (issue 7): dataset quality tab, organisation scorecard,
portal dashboard with filters and downloads, in ar/fr/en."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _run():
    helpers.call_action("odassessment_run_create", {"user": factories.Sysadmin()["name"]},
                        background=False, http=False)


def _soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_dataset_quality_tab_lists_metrics_and_missing_points(app):
    org = h.organization()
    dataset = h.bare_dataset(org)
    page = app.get(f"/dataset/{dataset['name']}")
    assert "/assessment/dataset/" in page.get_data(as_text=True)      # the tab
    assert "This dataset has not been assessed yet." in app.get(f"/assessment/dataset/{dataset['name']}").get_data(as_text=True)
    _run()
    soup = _soup(app.get(f"/assessment/dataset/{dataset['name']}"))
    text = soup.get_text(" ", strip=True)
    assert "50 / 405" in text and "Bad" in text
    assert "Add at least one keyword." in text                       # how to earn missing points
    assert "filled in by CKAN" in text                               # defaulted dates shown as such
    sidebar = _soup(app.get(f"/dataset/{dataset['name']}")).select_one(".odas-sidebar")
    assert sidebar and "MQA 50 / 405" in sidebar.get_text(" ", strip=True)


def test_dataset_page_in_french_and_arabic(app):
    dataset = h.bare_dataset(h.organization())
    _run()
    fr = _soup(app.get(f"/fr/assessment/dataset/{dataset['name']}")).get_text(" ", strip=True)
    assert "Qualité des métadonnées" in fr and "Ajoutez au moins un mot-clé." in fr and "Insuffisant" in fr
    ar_page = app.get(f"/ar/assessment/dataset/{dataset['name']}")
    soup = _soup(ar_page)
    assert soup.html.get("dir") == "rtl"
    assert "جودة البيانات الوصفية" in soup.get_text(" ", strip=True)


def test_private_dataset_results_need_access(app):
    org = h.organization()
    private = h.bare_dataset(org, private=True)
    _run()
    member = factories.User()
    helpers.call_action("organization_member_create", h.sysadmin_context(), id=org["id"],
                        username=member["name"], role="member")
    page = app.get(f"/assessment/dataset/{private['name']}", headers={"Authorization": factories.APIToken(user=member["name"])["token"]})
    assert "50 / 405" in page.get_data(as_text=True)
    # through the API too, and not for anyone else
    api = app.get(f"/api/action/odassessment_dataset_show?id={private['name']}",
                  headers={"Authorization": factories.APIToken(user=member["name"])["token"]})
    assert api.json["result"]["mqa"] == 50
    app.get(f"/api/action/odassessment_dataset_show?id={private['name']}", status=403)


def test_private_dataset_results_hidden_from_anonymous(app):
    private = h.bare_dataset(h.organization(), private=True)
    _run()
    app.get(f"/assessment/dataset/{private['name']}", status=403)


def test_rescore_button_for_editors_only(app):
    org = h.organization()
    dataset = h.bare_dataset(org)
    _run()
    editor = factories.User()
    helpers.call_action("organization_member_create", h.sysadmin_context(), id=org["id"],
                        username=editor["name"], role="editor")
    helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"], theme=["health"])
    token = factories.APIToken(user=editor["name"])["token"]
    page = app.post(f"/assessment/dataset/{dataset['name']}/rescore", headers={"Authorization": token},
                    follow_redirects=True)
    assert "80 / 405" in page.get_data(as_text=True)


def test_rescore_refused_to_others(app):
    dataset = h.bare_dataset(h.organization())
    stranger = factories.User()
    app.post(f"/assessment/dataset/{dataset['name']}/rescore", status=403,
             headers={"Authorization": factories.APIToken(user=stranger["name"])["token"]})


def test_organisation_scorecard_with_action_list(app):
    org = h.organization()
    old = (dt.datetime.utcnow() - dt.timedelta(days=800)).isoformat()
    late = h.complete_dataset(org, title_translated={"ar": "بيانات", "fr": "Données",
                                                "en": "<script>alert(1)</script> Data"},
                              frequency="MONTHLY", resources=[h.complete_resource(last_modified=old)])
    h.bare_dataset(org)
    _run()
    body = app.get(f"/assessment/organization/{org['name']}").get_data(as_text=True)
    soup = BeautifulSoup(body, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "Assessment scorecard" in text
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    actions = soup.find(id="odas-actions").find_next("table").get_text(" ", strip=True)
    assert "Overdue" in actions
    assert "/assessment/organization/" in app.get(f"/organization/{org['name']}").get_data(as_text=True)


def test_portal_dashboard_ranking_filters_flags_and_downloads(app):
    strong, weak = h.organization(), h.organization()
    h.complete_dataset(strong)
    h.bare_dataset(weak)
    _run()
    soup = _soup(app.get("/assessment"))
    rows = soup.select(".odas-ranking tbody tr")
    assert [r.select("td")[1].a["href"].rsplit("/", 1)[-1] for r in rows] == [strong["name"], weak["name"]]
    assert "not assessed" in soup.get_text(" ", strip=True)          # flagged indicators
    filtered = _soup(app.get("/assessment?theme=agriculture"))
    assert len(filtered.select(".odas-ranking tbody tr")) == 1
    csv_response = app.get("/assessment/download?format=csv&level=organization")
    assert csv_response.headers["Content-Disposition"].startswith("attachment")
    assert csv_response.get_data(as_text=True).startswith("run_id,entity_type")
    app.get("/assessment/download?format=pdf", status=400)


def test_portal_dashboard_before_any_run(app):
    h.bare_dataset(h.organization())
    text = _soup(app.get("/assessment")).get_text(" ", strip=True)
    assert "No public dataset has been assessed yet." in text
    app.get("/assessment/download?format=csv", status=404)


def test_trends_page(app):
    org = h.organization()
    dataset = h.bare_dataset(org)
    assert "Trends need two complete assessment runs." in app.get("/assessment/trends").get_data(as_text=True)
    _run()
    helpers.call_action("package_patch", h.sysadmin_context(), id=dataset["id"], theme=["agriculture"])
    _run()
    soup = _soup(app.get("/fr/assessment/trends"))
    improved = soup.select_one(".odas-improved").get_text(" ", strip=True)
    assert "50.0 → 80.0" in improved and "+30" in improved
    # 80 is still Bad: no dataset changed band
    assert soup.select_one(".odas-transitions") is None
    assert "Aucun jeu de données n'a changé de niveau" in soup.get_text(" ", strip=True)


def test_dashboards_in_arabic_and_french(app):
    org = h.organization()
    h.complete_dataset(org)
    _run()
    ar = _soup(app.get("/ar/assessment"))
    assert ar.html.get("dir") == "rtl"
    text = ar.get_text(" ", strip=True)
    assert "تقييم البوابة" in text and "ركائز OURdata" in text and "جيد" in text
    fr = _soup(app.get(f"/fr/assessment/organization/{org['name']}")).get_text(" ", strip=True)
    assert "Tableau de bord de l'évaluation" in fr and "Profil par dimension" in fr and "Bon" in fr
