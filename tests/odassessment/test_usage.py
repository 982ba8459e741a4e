"""Usage counting: page views and downloads per dataset, organisation and
month, once per visitor and day, bots left out, exact under concurrent hits
(real concurrent HTTP requests against a running portal, and concurrent
database writes) (issue 8)."""
from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.odassessment import usage
from ckanext.odassessment.model import usage as usage_model

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import dataset, ministry

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 visitor-{}"
THIS_MONTH = datetime.date.today().strftime("%Y-%m")


def _published_dataset():
    org, editor = ministry()
    pkg = dataset(org["id"], resources=[{"url": "https://data.example.tn/hopitaux.csv", "format": "CSV"}])
    return org, pkg


def test_concurrent_database_writes_count_each_visitor_once():
    org, pkg = _published_dataset()
    visitors = [f"visitor-{i}" for i in range(60)] * 3  # each visitor hits three times

    def hit(visitor):
        try:
            return usage_model.record_hit("view", pkg["id"], org["id"], visitor)
        finally:
            model.Session.remove()  # each thread has its own session

    with ThreadPoolExecutor(max_workers=12) as pool:
        counted = list(pool.map(hit, visitors))
    assert counted.count(True) == 60
    summary = helpers.call_action("usage_summary_show", dataset=pkg["name"])
    assert summary["views"] == 60 and summary["downloads"] == 0


def test_portal_counts_concurrent_views_and_downloads_once_per_visitor_without_bots(portal):
    org, pkg = _published_dataset()
    resource_id = pkg["resources"][0]["id"]
    page = f"{portal['url']}/dataset/{pkg['name']}"
    download = f"{portal['url']}/dataset/{pkg['id']}/resource/{resource_id}/download"
    agents = ([BROWSER.format(i % 25) for i in range(75)]  # 25 visitors, 3 hits each
              + ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"] * 10
              + ["curl/8.5.0", "python-requests/2.32", ""] * 4)

    def get(args):
        url, agent = args
        return requests.get(url, headers={"User-Agent": agent}, allow_redirects=False, timeout=60)

    jobs = [(page, a) for a in agents] + [(download, a) for a in agents[:40]]
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(get, jobs))
    assert {r.status_code for r in responses[:len(agents)]} == {200}
    assert all(r.status_code == 302 and r.headers["Location"].endswith("hopitaux.csv")
               for r in responses[len(agents):])
    api = requests.get(f"{portal['url']}/api/action/usage_summary_show",
                       params={"dataset": pkg["name"]}, timeout=30).json()["result"]
    # 40 download hits from the first 40 agents = visitors 0..24 (25 distinct)
    assert api == {"views": 25, "downloads": 25,
                   "per_month": [{"month": THIS_MONTH, "views": 25, "downloads": 25}]}
    by_org = requests.get(f"{portal['url']}/api/action/usage_summary_show",
                          params={"organization": org["name"]}, timeout=30).json()["result"]
    assert (by_org["views"], by_org["downloads"]) == (25, 25)
    # a prefetch and a HEAD request are not views
    requests.get(page, headers={"User-Agent": BROWSER.format("new"), "Sec-Purpose": "prefetch"}, timeout=30)
    requests.head(page, headers={"User-Agent": BROWSER.format("other")}, timeout=30)
    again = requests.get(f"{portal['url']}/api/action/usage_summary_show",
                         params={"dataset": pkg["id"]}, timeout=30).json()["result"]
    assert again["views"] == 25


@pytest.mark.parametrize("agent, bot", [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36", False),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1", False),
    ("Mozilla/5.0 (compatible; bingbot/2.0)", True),
    ("Mozilla/5.0 (compatible; YandexBot/3.0)", True),
    ("Wget/1.21", True),
    ("Mozilla/5.0 HeadlessChrome/120.0", True),
    ("", True),
    (None, True),
])
def test_bot_filter_by_user_agent(agent, bot):
    assert usage.is_bot(agent) is bot


@pytest.mark.ckan_config("ckanext.odassessment.usage_bot_agents", "moissonneur")
def test_bot_pattern_is_configurable():
    assert usage.is_bot("Moissonneur-national/1.0")
    assert not usage.is_bot("Googlebot")


def test_summary_per_month_and_period_and_organisation():
    org, pkg = _published_dataset()
    other_org, other = _published_dataset()
    resource_id = pkg["resources"][0]["id"]
    days = [datetime.date(2026, 1, 5), datetime.date(2026, 1, 20), datetime.date(2026, 3, 1)]
    for n, day in enumerate(days):
        usage_model.record_hit("view", pkg["id"], org["id"], f"v{n}", day=day)
        usage_model.record_hit("download", pkg["id"], org["id"], f"v{n}", resource_id=resource_id, day=day)
    usage_model.record_hit("view", other["id"], other_org["id"], "v0", day=days[0])
    summary = helpers.call_action("usage_summary_show", organization=org["name"])
    assert summary["per_month"] == [{"month": "2026-01", "views": 2, "downloads": 2},
                                    {"month": "2026-03", "views": 1, "downloads": 1}]
    march = helpers.call_action("usage_summary_show", since="2026-02-01", until="2026-03-31")
    assert (march["views"], march["downloads"]) == (1, 1)
    portal = helpers.call_action("usage_summary_show")
    assert portal["views"] == 4


@pytest.mark.parametrize("data, field", [
    ({"since": "le mois dernier"}, "since"),
    ({"since": "2026-03-01", "until": "2026-01-01"}, "until"),
])
def test_summary_refuses_bad_dates(data, field):
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("usage_summary_show", **data)
    assert field in error.value.error_dict


def test_usage_of_a_private_dataset_is_for_its_readers_only():
    org, editor = ministry()
    private = dataset(org["id"], private=True)
    context = {"user": "", "ignore_auth": False}
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("usage_summary_show", context, dataset=private["id"])
    assert helpers.call_action("usage_summary_show", {"user": editor["name"], "ignore_auth": False},
                               dataset=private["id"])["views"] == 0


def test_purge_forgets_visitor_keys_but_keeps_counts():
    org, pkg = _published_dataset()
    old = datetime.date(2025, 1, 1)
    usage_model.record_hit("view", pkg["id"], org["id"], "v1", day=old)
    assert usage_model.purge_visits(datetime.date(2025, 6, 1)) == 1
    assert helpers.call_action("usage_summary_show", dataset=pkg["id"])["views"] == 1


@pytest.mark.parametrize("proxies, counted", [("0", 1), ("1", 3)])
def test_visitors_behind_a_reverse_proxy(app, ckan_config, monkeypatch, proxies, counted):
    """Behind one trusted proxy the address it forwards tells visitors apart;
    without a trusted proxy the header (which anyone can send) is ignored."""
    monkeypatch.setitem(ckan_config, "ckanext.odassessment.trusted_proxies", proxies)
    org, pkg = _published_dataset()
    for address in ("196.203.1.10", "196.203.1.11", "10.0.0.5, 196.203.1.12"):
        app.get(f"/dataset/{pkg['name']}", headers={"User-Agent": BROWSER.format("same"),
                                                     "X-Forwarded-For": address})
    assert helpers.call_action("usage_summary_show", dataset=pkg["id"])["views"] == counted
