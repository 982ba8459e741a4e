"""Translations: every string the bundle adds is in the ar, fr and en
catalogues, compiled at install, shown in the UI language; CKAN's own
Arabic and French catalogues stay in use."""
from __future__ import annotations

import gettext
import importlib
import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests.conftest import PORTAL_PLUGINS, ROOT

PLUGINS = ("opengov", "reuse", "odassessment")
REQUIRED_LANGS = ("ar", "fr")
LANGS = (*REQUIRED_LANGS, "en")


def _source_i18n_dir(plugin: str) -> Path:
    return Path(ROOT, f"ckanext-{plugin}", "ckanext", plugin, "i18n")


def _installed_i18n_dir(plugin: str) -> Path:
    """The i18n folder next to the plugin's plugin.py, where CKAN's
    DefaultTranslation reads the catalogues from."""
    module = importlib.import_module(f"ckanext.{plugin}.plugin")
    return Path(module.__file__).parent / "i18n"


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def _po(plugin: str, lang: str) -> Path:
    return _source_i18n_dir(plugin) / lang / "LC_MESSAGES" / f"ckanext-{plugin}.po"


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _problems(catalog: Catalog, msgids) -> list[str]:
    """Messages of ``msgids`` missing, fuzzy or untranslated in ``catalog``."""
    problems = []
    for msgid in msgids:
        message = catalog.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(_strings(message)):
            problems.append(f"untranslated: {msgid!r}")
    return problems


# catalogues ------------------------------------------------------------------

@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize("plugin", PLUGINS)
def test_arabic_and_french_catalogues_are_complete_and_reviewed(plugin, lang):
    catalog = _read(_po(plugin, lang), lang)
    assert not catalog.fuzzy, "catalogue header marked fuzzy: pybabel compile would skip it"
    assert _problems(catalog, [m.id for m in catalog if m.id]) == []
    assert str(catalog.locale) == lang


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_message_of_the_template_is_in_each_catalogue(plugin):
    pot = _read(_source_i18n_dir(plugin) / f"ckanext-{plugin}.pot")
    msgids = [m.id for m in pot if m.id]
    for lang in LANGS:
        catalog = _read(_po(plugin, lang), lang)
        assert [msgid for msgid in msgids if msgid not in catalog] == [], lang


def test_english_catalogue_keeps_the_source_wording():
    catalog = _read(_po("opengov", "en"), "en")
    assert catalog["Government level"].string == "Government level"
    assert all(_strings(m) for m in catalog if m.id)


def test_translations_keep_the_format_placeholders():
    """A translated ``{lang}``/``{tag}`` placeholder would make .format()
    raise or show a raw brace to the user."""
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for plugin in PLUGINS:
        for lang in LANGS:
            for message in _read(_po(plugin, lang), lang):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                expected = set().union(*(fields(i) for i in ids))
                for text in _strings(message):
                    if isinstance(message.id, tuple):
                        # a plural form may leave the number out (Arabic
                        # "one request", "two requests") but add nothing
                        assert fields(text) <= expected, (plugin, lang, message.id)
                    else:
                        assert fields(text) == expected, (plugin, lang, message.id)


def test_messages_used_in_the_code_are_all_translated(tmp_path):
    """Extract afresh with the documented command (scripts/i18n): a string
    added to the code without its Arabic and French translation fails here."""
    result = subprocess.run(
        [os.path.join(ROOT, "scripts", "i18n"), "extract"],
        env={**os.environ, "I18N_POT_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    for plugin in PLUGINS:
        pot = _read(tmp_path / f"ckanext-{plugin}.pot")
        msgids = [m.id for m in pot if m.id]
        if plugin == "opengov":  # the extraction really reads the code
            assert {"Government level", "Themes", "Missing value"} <= set(msgids)
        for lang in REQUIRED_LANGS:
            catalog = _read(_po(plugin, lang), lang)
            assert _problems(catalog, msgids) == [], (
                f"{_po(plugin, lang)}: run scripts/i18n, then translate"
            )


def test_the_check_command_names_a_message_left_untranslated(tmp_path):
    """`scripts/i18n check` (for CI and translators) passes on the bundle and
    fails, naming the message, once the code gains an untranslated string."""
    script = os.path.join(ROOT, "scripts", "i18n")
    ok = subprocess.run([script, "check"], capture_output=True, text=True, timeout=300, check=False)
    assert ok.returncode == 0, ok.stderr

    copy = tmp_path / "bundle"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".local", ".git", "__pycache__", "*.egg-info", "node_modules", "tests", "bench", "docker"))
    (copy / "ckanext-opengov" / "ckanext" / "opengov" / "new_feature.py").write_text(
        "import ckan.plugins.toolkit as tk\n\n\ndef label():\n"
        "    return tk._(\"Number of reuses\")\n")
    failed = subprocess.run(
        [str(copy / "scripts" / "i18n"), "check", "opengov"],
        env={**os.environ, "VENV_PY": sys.executable},
        capture_output=True, text=True, timeout=300, check=False)
    assert failed.returncode == 1
    assert "missing 'Number of reuses'" in failed.stderr
    assert "/ar/LC_MESSAGES/ckanext-opengov.po" in failed.stderr
    assert "/fr/LC_MESSAGES/ckanext-opengov.po" in failed.stderr


# compiled catalogues ---------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plugin", PLUGINS)
def test_compiled_catalogues_are_installed_and_current(plugin, lang):
    directory = _installed_i18n_dir(plugin)
    mo_path = directory / lang / "LC_MESSAGES" / f"ckanext-{plugin}.mo"
    po_path = mo_path.with_suffix(".po")
    assert mo_path.is_file(), f"{mo_path} not built: reinstall (pip install -e .) or scripts/i18n compile"
    assert mo_path.stat().st_mtime >= po_path.stat().st_mtime, f"{mo_path} older than its .po"
    translations = gettext.translation(f"ckanext-{plugin}", str(directory), [lang])
    for message in _read(po_path, lang):
        if message.id and isinstance(message.id, str):
            assert translations.gettext(message.id) == message.string


@pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS)
@pytest.mark.usefixtures("with_plugins")
def test_plugins_declare_their_catalogues_to_ckan():
    """What CKAN's Babel setup reads: (directory, domain) of each ITranslation
    plugin, after CKAN's own catalogue."""
    import ckan.plugins as p

    declared = {
        plugin.name: (Path(plugin.i18n_directory()), plugin.i18n_domain(), set(plugin.i18n_locales()))
        for plugin in p.PluginImplementations(p.ITranslation)
    }
    for plugin in PLUGINS:
        directory, domain, locales = declared[plugin]
        assert directory == _installed_i18n_dir(plugin)
        assert domain == f"ckanext-{plugin}"
        assert set(LANGS) <= locales


# in the portal ---------------------------------------------------------------

def _facet_titles(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [h.get_text(" ", strip=True) for h in soup.select("#search-facets h2.module-heading")]


def _breadcrumb(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one(".breadcrumb").get_text(" ", strip=True)


@pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("lang, facets, datasets", [
    ("ar", ["المحاور", "المؤسسات", "المستوى الإداري", "الجهة", "الصيغ", "التراخيص",
            "الكلمات المفتاحية"], "مجموعات البيانات"),
    ("fr", ["Thèmes", "Organisations", "Niveau administratif", "Région", "Formats", "Licences",
            "Mots-clés"], "Jeux de données"),
    ("en", ["Themes", "Organisations", "Government level", "Region", "Formats", "Licences",
            "Keywords"], "Datasets"),
])
def test_dataset_search_shows_facet_titles_in_the_ui_language(app, lang, facets, datasets):
    """The facet titles the bundle adds come from its catalogue, CKAN's own
    words (the "Datasets" breadcrumb) from CKAN's catalogue."""
    response = app.get(f"/{lang}/dataset/")
    assert response.status_code == 200
    assert _facet_titles(response.body)[:len(facets)] == facets
    assert datasets in _breadcrumb(response.body)
    if lang != "en":
        assert "Government level" not in response.body
        assert "Datasets" not in _breadcrumb(response.body)


@pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("lang, tag_error, language_error", [
    ("fr", "Le mot-clé « x » compte moins de 2 caractères",
     "Valeur manquante dans la langue obligatoire « ar »"),
    ("ar", "عدد أحرف الوسم «x» أقل من الحد الأدنى (2)",
     "القيمة باللغة الإلزامية «ar» غير متوفرة"),
])
def test_validation_errors_of_the_bundle_come_in_the_ui_language(app, lang, tag_error, language_error):
    """A publisher using the French or Arabic portal reads the bundle's
    field errors in that language, and nothing is saved."""
    from ckan import model
    from ckan.tests import factories

    user = factories.Sysadmin()
    response = app.post(
        f"/{lang}/api/3/action/package_create",
        headers={"Authorization": factories.APIToken(user=user["name"])["token"]},
        json={"name": "eau-potable", "owner_org": factories.Organization()["id"],
              "title_translated": {"fr": "Eau potable"}, "tags_translated": {"fr": ["eau", "x"]}},
        status=409,
    )
    errors = response.json["error"]
    assert any(tag_error in message for message in errors["tags_translated"])
    assert language_error in errors["title_translated"]
    assert model.Package.get("eau-potable") is None
