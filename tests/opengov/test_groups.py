"""Organisation and group titles and descriptions in the UI language on every
page a visitor sees (lists, organisation/group pages, dataset breadcrumb and
sidebar, search facets), with the datasets' fallback over non-empty
languages, fresh after an edit; and Arabic card text wrapped between words.

Runs the deployed plugin list on the slot's real database and Solr core.
``ckan.locale_default`` is ``fr`` as on the deployed portal, so CKAN's core
``title`` holds the French text (what an Arabic page used to show)."""
from __future__ import annotations

import re
from html import unescape

import pytest

from ckan.tests import factories, helpers

from ckanext.opengov import groups
from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckan.locale_default", "fr"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ORG_TITLE = {"ar": "وزارة الصحة", "fr": "Ministère de la Santé", "en": "Ministry of Health"}
ORG_NOTES = {"ar": "الوزارة المكلفة بالنقل البري والحديدي والجوي والبحري والصحة العمومية",
             "fr": "Ministère chargé de la santé publique",
             "en": "Ministry in charge of public health"}
GROUP_TITLE = {"ar": "الفلاحة والصيد البحري", "fr": "Agriculture et pêche",
               "en": "Agriculture and fisheries"}
GROUP_NOTES = {"ar": "بيانات محور الفلاحة", "fr": "Données du thème agriculture",
               "en": "Data of the agriculture theme"}
DATASET = "etablissements-sante"


@pytest.fixture
def context(with_plugins, clean_db, clean_index):
    """Requests the clean-up fixtures itself so it runs after them."""
    return {"user": factories.Sysadmin()["name"]}


@pytest.fixture
def org(context):
    return helpers.call_action(
        "organization_create", dict(context), name="ministere-sante",
        title_translated=ORG_TITLE, description_translated=ORG_NOTES)


@pytest.fixture
def group(context):
    return helpers.call_action(
        "group_create", dict(context), name="agriculture",
        title_translated=GROUP_TITLE, description_translated=GROUP_NOTES)


@pytest.fixture
def dataset(context, org, group):
    return helpers.call_action(
        "package_create", dict(context), name=DATASET, owner_org=org["id"],
        groups=[{"name": group["name"]}],
        title_translated={"ar": "المؤسسات الصحية", "fr": "Établissements de santé"},
        notes_translated={"ar": "قائمة المؤسسات", "fr": "Liste des établissements"},
        personal_data_declaration="no_personal_data")


def _page(app, url: str) -> str:
    response = app.get(url)
    assert response.status_code == 200, url
    return unescape(response.body)


def _section(html: str, start: str, end: str) -> str:
    """The part of a page from the first ``start`` to the next ``end``."""
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


def _breadcrumb(html: str) -> str:
    return _section(html, '<ol class="breadcrumb">', "</ol>")


def _org_sidebar(html: str) -> str:
    return _section(html, 'id="organization-info"', "</section>")


def _facet(html: str, field: str) -> str:
    """Facet links of one field on a search page (``?field=value`` hrefs)."""
    return " ".join(re.findall(rf'<a[^>]*href="[^"]*[?&]{field}=[^"]*"[^>]*>.*?</a>', html, re.S))


def _cards(html: str) -> str:
    return _section(html, '<ul class="media-grid"', "</ul>")


# lists -----------------------------------------------------------------------

@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_organisation_and_group_lists_show_titles_and_descriptions_in_the_ui_language(app, lang):
    others = [ORG_TITLE[code] for code in ("ar", "fr", "en") if code != lang]
    cards = _cards(_page(app, f"/{lang}/organization/"))
    assert ORG_TITLE[lang] in cards
    assert ORG_NOTES[lang] in cards
    assert not any(title in cards for title in others)

    cards = _cards(_page(app, f"/{lang}/group/"))
    assert GROUP_TITLE[lang] in cards
    assert GROUP_NOTES[lang] in cards
    assert not any(GROUP_TITLE[code] in cards for code in ("ar", "fr", "en") if code != lang)


# organisation and group pages ------------------------------------------------

@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_organisation_page_heading_breadcrumb_and_sidebar_use_the_ui_language(app, org, lang):
    html = _page(app, f"/{lang}/organization/{org['name']}")
    assert ORG_TITLE[lang] in _breadcrumb(html)
    assert ORG_TITLE[lang] in _org_sidebar(html)
    assert ORG_TITLE[lang] in _section(html, "<title>", "</title>")
    if lang != "fr":
        assert ORG_TITLE["fr"] not in html

    about = _page(app, f"/{lang}/organization/about/{org['name']}")
    assert f">{ORG_TITLE[lang]}</h1>" in about
    assert "{'ar'" not in about  # no raw {lang: text} dict printed


@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_group_page_heading_breadcrumb_and_sidebar_use_the_ui_language(app, group, lang):
    html = _page(app, f"/{lang}/group/{group['name']}")
    assert GROUP_TITLE[lang] in _breadcrumb(html)
    assert GROUP_TITLE[lang] in _section(html, 'id="group-info"', "</section>")
    assert GROUP_NOTES[lang] in _section(html, 'id="group-info"', "</section>")
    if lang != "fr":
        assert GROUP_TITLE["fr"] not in html
        assert GROUP_NOTES["fr"] not in html

    about = _page(app, f"/{lang}/group/about/{group['name']}")
    assert f">{GROUP_TITLE[lang]}</h1>" in about
    assert "{'ar'" not in about


# dataset page and search -----------------------------------------------------

@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_dataset_breadcrumb_and_sidebar_show_the_organisation_in_the_ui_language(app, lang):
    html = _page(app, f"/{lang}/dataset/{DATASET}")
    assert ORG_TITLE[lang] in _breadcrumb(html)
    assert ORG_TITLE[lang] in _org_sidebar(html)
    if lang != "fr":
        assert ORG_TITLE["fr"] not in html

    groups_tab = _page(app, f"/{lang}/dataset/groups/{DATASET}")
    assert GROUP_TITLE[lang] in groups_tab
    if lang != "fr":
        assert GROUP_TITLE["fr"] not in groups_tab


@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_search_facets_label_organisations_and_groups_in_the_ui_language(app, org, group, lang):
    html = _page(app, f"/{lang}/dataset/")
    organisations = _facet(html, "organization")
    assert ORG_TITLE[lang] in organisations
    assert not any(ORG_TITLE[code] in organisations for code in ("ar", "fr", "en") if code != lang)

    # the group page lists its datasets with the organisation facet too
    html = _page(app, f"/{lang}/group/{group['name']}")
    assert ORG_TITLE[lang] in _facet(html, "organization")

    # API consumers get the facet labels in the request's language as well
    result = helpers.call_action("package_search", **{"facet.field": '["organization", "groups"]'})
    labels = {item["name"]: item["display_name"]
              for field in ("organization", "groups")
              for item in result["search_facets"][field]["items"]}
    assert labels[org["name"]] in ORG_TITLE.values()
    assert labels[group["name"]] in GROUP_TITLE.values()


# fallback and freshness ------------------------------------------------------

def test_english_page_falls_back_to_the_default_locale_when_english_is_empty(app, context):
    org = helpers.call_action(
        "organization_create", dict(context), name="commune-sfax",
        title_translated={"ar": "بلدية صفاقس", "fr": "Commune de Sfax"},
        description_translated={"ar": "بلدية مدينة صفاقس"})
    cards = _cards(_page(app, "/en/organization/"))
    assert "Commune de Sfax" in cards          # en empty -> ckan.locale_default (fr)
    assert "بلدية مدينة صفاقس" in cards         # fr empty too -> the next non-empty (ar)
    # the text not in the UI language is marked with its language and direction
    assert re.search(r'<p class="media-description" lang="ar" dir="rtl">\s*بلدية مدينة صفاقس', cards)
    assert re.search(r'<h2 class="media-heading" lang="fr" dir="ltr">Commune de Sfax</h2>', cards)

    breadcrumb = _breadcrumb(_page(app, f"/en/organization/{org['name']}"))
    assert "Commune de Sfax" in breadcrumb


def test_titles_in_the_ui_language_carry_no_extra_lang_attribute(app, org):
    cards = _cards(_page(app, "/ar/organization/"))
    assert f'<h2 class="media-heading">{ORG_TITLE["ar"]}</h2>' in cards


@pytest.mark.usefixtures("dataset")
def test_an_edited_title_shows_on_the_next_page_without_stale_values(app, context, org):
    assert ORG_TITLE["ar"] in _cards(_page(app, "/ar/organization/"))
    helpers.call_action("organization_patch", dict(context), id=org["id"],
                        title_translated={**ORG_TITLE, "ar": "وزارة الصحة العمومية"})
    for url in ("/ar/organization/", f"/ar/dataset/{DATASET}", "/ar/dataset/"):
        html = _page(app, url)
        assert "وزارة الصحة العمومية" in html, url
    assert "وزارة الصحة العمومية" in _breadcrumb(_page(app, f"/ar/dataset/{DATASET}"))


@pytest.mark.usefixtures("dataset")
def test_a_page_reads_group_texts_once_whatever_the_number_of_items(app, context, monkeypatch):
    for number in range(3):
        helpers.call_action("organization_create", dict(context), name=f"commune-{number}",
                            title_translated={"ar": f"بلدية {number}", "fr": f"Commune {number}"})
    loads = []
    real_load = groups._load
    monkeypatch.setattr(groups, "_load", lambda: loads.append(1) or real_load())
    for url in ("/ar/organization/", "/ar/group/", "/ar/dataset/", f"/ar/dataset/{DATASET}",
                "/ar/organization/ministere-sante"):
        loads.clear()
        _page(app, url)
        assert len(loads) <= 1, url  # lists of shown organisations need no query at all
    loads.clear()
    _page(app, "/ar/dataset/")
    assert len(loads) == 1  # the organisation facet items, one query


# Arabic text wrapping --------------------------------------------------------

@pytest.mark.usefixtures("dataset")
def test_arabic_card_descriptions_wrap_between_words_not_inside_them(app):
    """CKAN's stylesheet sets ``word-break: break-all`` on ``.media-description``
    (and ``.media-heading``), cutting Arabic words between joined letters; the
    portal's stylesheet, loaded after CKAN's, wraps between words."""
    response = app.get("/ar/organization/")
    html = response.body
    links = re.findall(r'<link href="([^"]+\.css)" rel="stylesheet"', html)
    ours = [href for href in links if "opengov" in href]
    assert ours, links
    assert links.index(ours[0]) > links.index(next(h for h in links if "main-rtl" in h))

    css = app.get(ours[0]).body
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    for selector in (".media-description", ".media-heading"):
        body = next(b for s, b in rules.items() if selector in [x.strip() for x in s.split(",")])
        assert re.search(r"word-break:\s*normal", body), selector
        assert re.search(r"overflow-wrap:\s*anywhere", body), selector

    # the Arabic description is printed whole, inside the element the rule targets
    assert re.search(r'<p class="media-description">\s*' + re.escape(ORG_NOTES["ar"]), unescape(html))


# publisher forms -------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_dataset_form_offers_publishers_by_their_title_in_the_ui_language(app, org, lang):
    sysadmin = factories.SysadminWithToken()
    response = app.get(f"/{lang}/dataset/new", headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200
    select = _section(unescape(response.body), 'id="field-organizations"', "</select>")
    assert f'<option value="{org["id"]}">{ORG_TITLE[lang]}</option>' in select
