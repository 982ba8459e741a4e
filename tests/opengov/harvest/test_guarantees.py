"""The harvest guarantees of issue 4 that concern data: what is created,
updated, withdrawn, reactivated or left alone, through real queues and
consumers and a real HTTP catalogue on 127.0.0.1."""
from __future__ import annotations

import pytest

from ckan import model
from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _activities(package_id: str) -> int:
    return len(helpers.call_action("package_activity_list", id=package_id, limit=100))


def test_first_harvest_creates_every_dataset_then_a_reharvest_rewrites_nothing(
        catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    records = catalogues.distinct_records(5)
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records))
    source = create_source(sysadmin, organization, url)

    first = run_job(source)

    assert first.gather_errors == [] and first.object_errors == []
    assert first.stats["added"] == 5
    datasets = source_datasets(source, "active")
    assert len(datasets) == 5
    shown = helpers.call_action("package_show", id=datasets[0].id)
    assert shown["owner_org"] == organization["id"]
    assert shown["guid"].startswith(catalogues.BASE)
    before = {d.id: (d.metadata_modified, _activities(d.id)) for d in datasets}

    second = run_job(source)

    assert second.gather_errors == [] and second.object_errors == []
    assert second.stats.get("not modified") == 5
    assert second.stats.get("updated", 0) == 0 and second.stats.get("added", 0) == 0
    model.Session.remove()
    after = {d.id: (model.Package.get(d.id).metadata_modified, _activities(d.id)) for d in datasets}
    assert after == before
    assert consumers.crashes == []


def test_duplicate_identifiers_in_a_source_give_one_dataset(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    first, second = catalogues.distinct_records(2)
    # two records without URI (blank nodes) that carry the same dct:identifier
    uri = first["id"]
    second = dict(second, id=first["id"])
    body = catalogues.catalogue([catalogues.dataset_turtle(first, uri="_:premier"),
                                 catalogues.dataset_turtle(second, uri="_:second", title="Copie en double")])
    source = create_source(sysadmin, organization, catalogue_server.serve("/catalog.ttl", body))

    job = run_job(source)

    assert job.stats["added"] == 1
    assert job.gather_errors == [f"The identifier {uri} appears more than once in the catalogue; "
                                 "the first one was kept."]
    [dataset] = source_datasets(source)
    assert dataset.title in (first["title"], "Copie en double")


def test_one_source_never_takes_over_anothers_dataset(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    records = catalogues.distinct_records(3)
    url_a = catalogue_server.serve("/a.ttl", catalogues.turtle_of(records))
    source_a = create_source(sysadmin, organization, url_a, name="portail-a")
    run_job(source_a)
    theirs = {d.id: d.metadata_modified for d in source_datasets(source_a)}
    # source B lists the same identifiers with other titles, then none
    url_b = catalogue_server.serve("/b.ttl", catalogues.catalogue(
        catalogues.dataset_turtle(r, title="Reprise " + r["title"]) for r in records))
    source_b = create_source(sysadmin, organization, url_b, name="portail-b")

    job = run_job(source_b)

    assert job.stats.get("added", 0) == job.stats.get("updated", 0) == 0
    assert len(job.object_errors) == 3
    assert all("harvested from another source" in e and "not taken over" in e for e in job.object_errors)
    model.Session.remove()
    assert {d.id: d.metadata_modified for d in source_datasets(source_a)} == theirs
    assert all(not d.title.startswith("Reprise") for d in source_datasets(source_a))
    # B's catalogue empties: only B's (nothing) could be withdrawn; A is untouched
    catalogue_server.serve("/b.ttl", catalogues.catalogue([]))
    run_job(source_b)
    helpers.call_action("harvest_source_clear", id=source_b["id"])
    assert [d.state for d in source_datasets(source_a)] == ["active"] * 3


def test_a_dataset_removed_upstream_is_withdrawn_then_reactivated(catalogue_server, consumers, sysadmin,
                                                                 organization):
    consumers.start()
    records = catalogues.distinct_records(4)
    source = create_source(sysadmin, organization,
                           catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records)))
    run_job(source)
    gone = next(d for d in source_datasets(source) if d.title == records[3]["title"])
    gone_id, gone_name = gone.id, gone.name

    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records[:3]))
    withdrawn = run_job(source)

    assert withdrawn.stats["deleted"] == 1 and withdrawn.stats["not modified"] == 3
    model.Session.remove()
    assert model.Package.get(gone_id).state == "deleted"
    # still there for a sysadmin
    assert helpers.call_action("package_show", {"user": sysadmin["name"]}, id=gone_id)["state"] == "deleted"

    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records))
    back = run_job(source)

    assert back.stats["updated"] == 1 and back.stats.get("added", 0) == 0
    model.Session.remove()
    package = model.Package.get(gone_id)
    assert (package.state, package.name) == ("active", gone_name)
    assert len(source_datasets(source)) == 4
    assert model.Session.query(model.Package).filter(model.Package.name.like(gone_name + "-%")).count() == 0


def test_a_dataset_edited_in_the_form_keeps_its_guid_and_is_not_duplicated(
        catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    records = catalogues.distinct_records(2)
    source = create_source(sysadmin, organization,
                           catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records)))
    run_job(source)
    dataset = source_datasets(source)[0]
    shown = helpers.call_action("package_show", id=dataset.id)
    guid = shown["guid"]
    # what the web form sends: the form's fields only (no guid, no source_url)
    form = {k: v for k, v in shown.items() if k not in ("guid", "source_url", "source_modified", "extras")}
    form["title_translated"] = {"fr": "Titre corrigé à la main", "ar": "عنوان مصحح"}
    # the form requires Arabic and French and the personal-data declaration
    form["notes_translated"] = {"fr": shown["notes_translated"].get("fr") or "Description", "ar": "وصف"}
    form["personal_data_declaration"] = "no_personal_data"
    helpers.call_action("package_update", {"user": sysadmin["name"]}, **form)
    edited = helpers.call_action("package_show", id=dataset.id)
    assert edited["title_translated"]["fr"] == "Titre corrigé à la main"
    assert edited["guid"] == guid

    job = run_job(source)  # upstream unchanged: the local edit is kept

    assert job.stats["not modified"] == 2 and job.stats.get("added", 0) == 0
    assert len(source_datasets(source)) == 2
    assert helpers.call_action("package_show", id=dataset.id)["title_translated"]["fr"] == "Titre corrigé à la main"


def test_two_fetch_consumers_never_create_a_duplicate(catalogue_server, consumers, sysadmin, organization):
    """Every object is delivered twice (what ``harvester run`` does with a
    fetch that takes over 180 s) to two fetch consumers."""
    from ckanext.harvest import queue
    consumers.start(gather=1, fetch=2)
    records = catalogues.distinct_records(8)
    source = create_source(sysadmin, organization,
                           catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records)))
    publisher = queue.get_fetch_publisher()
    original_send = publisher.__class__.send

    def send_twice(self, body, **kw):
        original_send(self, body, **kw)
        original_send(self, body, **kw)

    publisher.__class__.send = send_twice
    try:
        run_job(source)
    finally:
        publisher.__class__.send = original_send

    assert len(source_datasets(source)) == 8
    guids = [helpers.call_action("package_show", id=d.id)["guid"] for d in source_datasets(source)]
    assert len(set(guids)) == 8
    assert consumers.crashes == []


def test_an_arabic_only_title_gets_a_readable_slug(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    record = catalogues.distinct_records(1)[0]
    body = catalogues.catalogue([catalogues.dataset_turtle(record, title="الإنتاج الفلاحي حسب الولاية", title_lang=None),
                                 catalogues.dataset_turtle(record, uri=catalogues.BASE + "autre",
                                                           title="الإنتاج الفلاحي حسب الولاية", title_lang="AR")])
    source = create_source(sysadmin, organization, catalogue_server.serve("/catalog.ttl", body))

    run_job(source)

    names = sorted(d.name for d in source_datasets(source))
    assert names == ["alintaj-alflahi-hsb-aloulaia", "alintaj-alflahi-hsb-aloulaia1"] or \
        names[0] == "alintaj-alflahi-hsb-aloulaia" and names[1].startswith("alintaj-alflahi-hsb-aloulaia")
    shown = helpers.call_action("package_show", id=source_datasets(source)[0].id)
    assert shown["title_translated"] == {"ar": "الإنتاج الفلاحي حسب الولاية"}
    assert "مناخية" in shown["tags_translated"]["ar"] or shown["tags_translated"].get("ar")


def test_clearing_the_history_keeps_the_datasets_and_their_ownership(catalogue_server, consumers, sysadmin,
                                                                    organization):
    consumers.start()
    records = catalogues.distinct_records(4)
    source = create_source(sysadmin, organization,
                           catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records)))
    run_job(source)
    ids = sorted(d.id for d in source_datasets(source))

    helpers.call_action("harvest_source_job_history_clear", id=source["id"])  # every job and object
    model.Session.remove()
    assert [model.Package.get(i).state for i in ids] == ["active"] * 4

    again = run_job(source)
    # (ckanext-harvest counts these "added": it counts objects, and the old ones are gone)
    assert again.object_errors == []
    assert sorted(d.id for d in source_datasets(source)) == ids
    assert model.Session.query(model.Package).filter(model.Package.type == "dataset").count() == 4

    # and a dataset removed upstream after a cleared history is still withdrawn
    helpers.call_action("harvest_source_job_history_clear", id=source["id"])
    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records[:3]))
    assert run_job(source).stats["deleted"] == 1
    model.Session.remove()
    assert sorted(model.Package.get(i).state for i in ids) == ["active"] * 3 + ["deleted"]
