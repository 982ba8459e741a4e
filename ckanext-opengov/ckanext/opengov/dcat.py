"""The portal's DCAT-AP profile for ckanext-dcat (entry point ``opengov`` in
the group ``ckan.rdf.profiles``), listed after the standard profile::

    ckanext.dcat.rdf.profiles = euro_dcat_ap_3 opengov

Export (``graph_from_dataset``, ``graph_from_catalog``), after
``euro_dcat_ap_3`` has built the graph:

* multilingual texts (titles, descriptions, keywords, publisher names):
  each non-empty language once, tagged (``"…"@ar``), never ``""@xx``;
  untagged text is tagged (Arabic script -> ``ar``, else the default locale);
* theme -> EU data-theme URI plus the portal theme (``<site>/group/<name>``),
  frequency, access rights, resource language and format -> EU authority
  URIs; licence -> EU licence URI or the licence's own page, on every
  distribution and on the dataset; regions -> a ``dct:Location`` per
  governorate (ISO 3166-2 code) or the EU country URI for Tunisia, plus the
  GeoJSON geometry;
* the catalogue's title/description per language, its languages as EU URIs.

Import (``parse_dataset``), after the standard profiles: language keys
normalised (``fr-FR``, ``AR`` -> ``fr``, ``ar``) with the presets' language
map, empty values dropped, and the URIs above mapped back to the portal's
vocabulary values so that the dict passes the dataset schema; an Arabic-only
title gives a stable name instead of ``__``.

Harvesting (``dcat_rdf``): :class:`OpenGovDCATHarvesterHooks` holds the
``IDCATRDFHarvester`` methods (harvested-content rule, ``guid`` and source
provenance moved out of the extras); a plugin must implement the interface.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import re
from typing import Any, Iterable, Iterator, Optional

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.profiles.base import (
    DCAT, DCT, FOAF, GEOJSON_IMT, LOCN, RDF, RDFS, SKOS,
)
from ckanext.dcat.utils import catalog_uri

from ckanext.opengov import languages, slugs
from ckanext.opengov.logic import vocabularies

log = logging.getLogger(__name__)

EU = vocabularies.EU
EU_COUNTRY_TUNISIA = EU + "country/TUN"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
#: Default base of the URI of a governorate: ISO's page of the code
#: (``ckanext.opengov.dcat.region_uri_base`` changes it).
DEFAULT_REGION_URI_BASE = "https://www.iso.org/obp/ui/#iso:code:3166:"
_REGION_CODE = re.compile(r"(?:^|[/#:=])(TN(?:-\d{2})?)/?$", re.IGNORECASE)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

#: Multilingual text predicates of datasets and distributions.
TEXT_PREDICATES = (DCT.title, DCT.description)
KEYWORD_PREDICATE = DCAT.keyword


# --------------------------------------------------------------- settings

def _language_map() -> dict[str, str]:
    return languages.parse_language_map(
        tk.config.get("ckanext.opengov.language_map") or languages.DEFAULT_LANGUAGE_MAP
    )


def _default_language() -> str:
    locale = tk.config.get("ckan.locale_default") or "en"
    return locale.replace("_", "-").split("-")[0].lower()


def _core_order() -> list[str]:
    """Language of the core ``title``/``notes``: default locale, then the
    configured fallback order."""
    return languages.fallback_order(
        _default_language(),
        tk.config.get("ckanext.opengov.language_fallback_order") or languages.DEFAULT_FALLBACK_ORDER,
    )


def _offered_languages() -> list[str]:
    offered = tk.config.get("ckan.locales_offered") or [_default_language()]
    out: list[str] = []
    for code in languages.parse_languages(offered):
        primary = code.split("-", 1)[0]
        if primary not in out:
            out.append(primary)
    return out or [_default_language()]


def _known(lang: str, keep: list[str]) -> bool:
    """A language the schema stores (any when the schema lists none)."""
    if keep and lang not in keep:
        log.info("Text in language %r dropped: not a language of the portal", lang)
        return False
    return True


#: Language of untagged literals while a harvest source is parsed (its
#: ``default_language``); unset outside harvesting.
UNTAGGED_LANGUAGE: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "opengov_untagged_language", default=None)


def language_of(text: str) -> str:
    """Language of an untagged text: Arabic script -> ``ar``, else the
    harvest source's default language, else the default locale."""
    if _ARABIC.search(text or ""):
        return "ar"
    return UNTAGGED_LANGUAGE.get() or _default_language()


def normalise_language(tag: Optional[str], text: str = "", keep: Iterable[str] = ()) -> str:
    """``fr-FR`` -> ``fr``, ``AR`` -> ``ar``; untagged -> :func:`language_of`."""
    if not tag:
        return language_of(text)
    return languages.normalise_language(str(tag), _language_map(), keep)


# ------------------------------------------------------------ vocabularies

def _uri_key(uri: str) -> str:
    """Compare URIs without scheme and trailing slash."""
    return re.sub(r"^https?://", "", str(uri).strip()).rstrip("/").lower()


def vocabulary_uri(name: str, value: Any) -> Optional[str]:
    """The URI of a vocabulary value (EU authority URI where there is one)."""
    if name == "licences":
        return licence_uri(value)
    if name == "regions":
        return region_uri(value)
    return vocabularies.opengov_vocabulary_uri(name, value)


def vocabulary_value(name: str, uri: Any) -> Optional[str]:
    """The portal value of a vocabulary URI (or of a bare code):
    ``.../frequency/ANNUAL`` -> ``ANNUAL``; None when unknown."""
    if uri in (None, ""):
        return None
    text = str(uri).strip()
    if name == "regions":
        return region_value(text)
    entries = vocabularies.vocabulary(name)
    for entry in entries:
        known = [entry.get("uri"), entry.get("url")]
        if any(k and _uri_key(k) == _uri_key(text) for k in known):
            return entry["value"]
    code = re.split(r"[/#]", text.rstrip("/"))[-1].lower()
    for entry in entries:
        codes = [entry["value"], entry.get("eu_code")]
        if any(c and str(c).lower() == code for c in codes):
            return entry["value"]
    return None


def licence_uri(value: Any) -> Optional[str]:
    """EU licence URI of a licence, else the address of its text."""
    entry = vocabularies.vocabulary_entry("licences", value)
    if not entry:
        return None
    return entry.get("uri") or entry.get("eu_uri") or entry.get("url") or None


def region_uri(code: Any) -> Optional[str]:
    """``TN`` -> EU country URI of Tunisia; ``TN-51`` -> the governorate's
    URI (the vocabulary's own ``uri``, else region base + code)."""
    entry = vocabularies.vocabulary_entry("regions", code)
    if not entry:
        return None
    if entry.get("uri"):
        return entry["uri"]
    if entry["value"].upper() == "TN":
        return EU_COUNTRY_TUNISIA
    base = tk.config.get("ckanext.opengov.dcat.region_uri_base") or DEFAULT_REGION_URI_BASE
    return base + entry["value"]


def region_value(uri: str) -> Optional[str]:
    """The region code of a region URI (any base ending with the code)."""
    if _uri_key(uri) == _uri_key(EU_COUNTRY_TUNISIA):
        return "TN"
    values = vocabularies.vocabulary_values("regions")
    for value in values:
        if region_uri(value) and _uri_key(region_uri(value)) == _uri_key(uri):
            return value
    match = _REGION_CODE.search(uri.strip())
    if match and match.group(1).upper() in values:
        return match.group(1).upper()
    return None


def stable_name(dataset_ref: Node) -> str:
    """``dataset-<12 hex>`` from the dataset's URI: the same on every harvest."""
    return "dataset-" + hashlib.sha1(str(dataset_ref).encode("utf-8")).hexdigest()[:12]


def portal_theme_uri(name: str) -> str:
    """The portal theme as a URI: its group page."""
    return f"{catalog_uri().rstrip('/')}/group/{name}"


def theme_uris(themes: Any) -> list[str]:
    """EU data-theme URIs then portal theme URIs of a dataset's themes."""
    values = [t for t in _as_list(themes) if vocabularies.vocabulary_entry("themes", t)]
    return vocabularies.opengov_theme_uris(values) + [portal_theme_uri(t) for t in values]


def themes_from_uris(uris: Iterable[str]) -> list[str]:
    """Portal themes from theme URIs: the portal's own theme URIs (any
    portal: ``…/group/<theme>``) first, then each EU theme not already
    covered, mapped to the first portal theme using it."""
    entries = vocabularies.vocabulary("themes")
    names = [e["value"] for e in entries]
    out: list[str] = []
    eu_uris: list[str] = []
    for uri in uris:
        text = str(uri).strip().rstrip("/")
        last = text.rsplit("/", 1)[-1]
        if "/group/" in text and last in names:
            if last not in out:
                out.append(last)
        elif text:
            eu_uris.append(text)
    covered = {_uri_key(e["uri"]) for e in entries if e["value"] in out and e.get("uri")}
    for uri in eu_uris:
        if _uri_key(uri) in covered:
            continue
        code = uri.rsplit("/", 1)[-1].upper()
        match = next((e["value"] for e in entries
                      if e.get("uri") and (_uri_key(e["uri"]) == _uri_key(uri)
                                           or str(e.get("eu_theme", "")).upper() == code)), None)
        if match and match not in out:
            out.append(match)
            covered.add(_uri_key(uri))
        elif match is None and last_segment(uri) in names and last_segment(uri) not in out:
            out.append(last_segment(uri))
    return in_vocabulary_order("themes", out)


def in_vocabulary_order(name: str, values: Iterable[str]) -> list[str]:
    """RDF has no order: list values as the vocabulary does."""
    order = {value: i for i, value in enumerate(vocabularies.vocabulary_values(name))}
    return sorted(dict.fromkeys(values), key=lambda v: order.get(v, len(order)))


def last_segment(uri: str) -> str:
    return re.split(r"[/#]", str(uri).rstrip("/"))[-1]


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [v.strip() for v in value.split(",") if v.strip()]
        return loaded if isinstance(loaded, list) else [loaded]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# ----------------------------------------------------------------- profile

class OpenGovDCATProfile(RDFProfile):
    """DCAT-AP 3 adapted to the portal; runs after ``euro_dcat_ap_3``."""

    # ------------------------------------------------------------- export

    def graph_from_dataset(self, dataset_dict: dict, dataset_ref: Node) -> None:
        distributions = self._distribution_refs(dataset_dict, dataset_ref)
        self._write_texts(dataset_ref, dataset_dict, (("title", DCT.title), ("notes", DCT.description)))
        for resource, distribution in self._with_resources(dataset_dict, distributions):
            self._write_texts(distribution, resource,
                              (("name", DCT.title), ("description", DCT.description)))
        self._write_keywords(dataset_ref, dataset_dict.get("tags_translated"))
        self._publisher_names(dataset_dict, dataset_ref)
        self._themes(dataset_dict, dataset_ref)
        self._set_uri(dataset_ref, DCT.accrualPeriodicity,
                      vocabulary_uri("frequencies", dataset_dict.get("frequency")), DCT.Frequency)
        self._access_rights_uri(dataset_dict, dataset_ref)
        self._licences(dataset_dict, dataset_ref, distributions)
        self._regions(dataset_dict, dataset_ref)
        for resource, distribution in self._with_resources(dataset_dict, distributions):
            self._resource_vocabularies(resource, distribution)
        self._drop_empty_literals(dataset_ref)

    def graph_from_catalog(self, catalog_dict: Optional[dict], catalog_ref: Node) -> None:
        for predicate, key in ((DCT.title, "title"), (DCT.description, "description")):
            texts = self._catalog_texts(key, catalog_dict)
            if texts:
                self.g.remove((catalog_ref, predicate, None))
                for lang, text in texts.items():
                    self.g.add((catalog_ref, predicate, Literal(text, lang=lang)))
            else:
                self._tidy_texts(catalog_ref, predicate)
        language_uris = [vocabulary_uri("languages", lang) for lang in _offered_languages()]
        language_uris = [uri for uri in language_uris if uri]
        if language_uris:
            self.g.remove((catalog_ref, DCT.language, None))
            for uri in language_uris:
                self.g.add((catalog_ref, DCT.language, URIRef(uri)))
                self.g.add((URIRef(uri), RDF.type, DCT.LinguisticSystem))

    def _catalog_texts(self, key: str, catalog_dict: Optional[dict]) -> dict[str, str]:
        """``ckanext.opengov.dcat.catalog_<key>_<lang>`` for each offered
        language; else the site title/description tagged with its language."""
        texts = {}
        for lang in _offered_languages():
            text = tk.config.get(f"ckanext.opengov.dcat.catalog_{key}_{lang}")
            if text and str(text).strip():
                texts[lang] = str(text).strip()
        if texts:
            return texts
        value = (catalog_dict or {}).get(key) or tk.config.get(f"ckan.site_{key}")
        if isinstance(value, dict):
            return {normalise_language(k): v for k, v in value.items() if not languages.is_empty(v)}
        return {}

    # multilingual texts

    def _write_texts(self, subject: Node, data: dict, fields: Iterable[tuple[str, URIRef]]) -> None:
        """The literals of ``<core>_translated`` rewritten from the dict
        (None and blank values left out); any other value tidied."""
        for core, predicate in fields:
            values = data.get(f"{core}_translated")
            if isinstance(values, dict):
                self.g.remove((subject, predicate, None))
                cleaned = languages.normalise_values(
                    {k: v for k, v in values.items() if isinstance(v, str)}, _language_map())
                for lang, text in languages.drop_empty(cleaned).items():
                    self.g.add((subject, predicate, Literal(text.strip(), lang=str(lang))))
            self._tidy_texts(subject, predicate)

    def _write_keywords(self, subject: Node, values: Any) -> None:
        if isinstance(values, dict):
            self.g.remove((subject, KEYWORD_PREDICATE, None))
            for lang, tags in values.items():
                for tag in tags if isinstance(tags, list) else [tags]:
                    if isinstance(tag, str) and tag.strip():
                        self.g.add((subject, KEYWORD_PREDICATE, Literal(tag, lang=str(lang))))
        self._tidy_keywords(subject)

    def _tidy_texts(self, subject: Node, predicate: URIRef) -> None:
        """Each language once, tagged; empty and duplicate literals removed."""
        literals = [o for o in self.g.objects(subject, predicate) if isinstance(o, Literal)]
        tagged_texts = {str(o).strip() for o in literals if o.language}
        seen: set[str] = set()
        for literal in sorted(literals, key=lambda o: (o.language is None, str(o.language or ""))):
            self.g.remove((subject, predicate, literal))
            text = str(literal).strip()
            if not text or (literal.language is None and text in tagged_texts):
                continue
            lang = normalise_language(literal.language, text)
            if lang in seen:
                continue
            seen.add(lang)
            self.g.add((subject, predicate, Literal(text, lang=lang)))

    def _tidy_keywords(self, subject: Node) -> None:
        """One tagged literal per (language, keyword); no empty ones."""
        literals = [o for o in self.g.objects(subject, KEYWORD_PREDICATE) if isinstance(o, Literal)]
        tagged_texts = {str(o).strip() for o in literals if o.language}
        seen: set[tuple[str, str]] = set()
        for literal in literals:
            self.g.remove((subject, KEYWORD_PREDICATE, literal))
            text = languages.clean_tag(str(literal))
            if not text or (literal.language is None and text in tagged_texts):
                continue
            key = (normalise_language(literal.language, text), text)
            if key not in seen:
                seen.add(key)
        for lang, text in sorted(seen):
            self.g.add((subject, KEYWORD_PREDICATE, Literal(text, lang=lang)))

    def _publisher_names(self, dataset_dict: dict, dataset_ref: Node) -> None:
        """The organisation's name in each of its languages."""
        titles = self._organisation_titles(dataset_dict)
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            if titles:
                for literal in list(self.g.objects(publisher, FOAF.name)):
                    if literal.language is None and str(literal).strip() in titles.values():
                        self.g.remove((publisher, FOAF.name, literal))
                existing = {o.language for o in self.g.objects(publisher, FOAF.name)}
                for lang, text in titles.items():
                    if lang not in existing:
                        self.g.add((publisher, FOAF.name, Literal(text, lang=lang)))
            self._tidy_texts(publisher, FOAF.name)

    def _organisation_titles(self, dataset_dict: dict) -> dict[str, str]:
        org = dataset_dict.get("organization") or {}
        if not isinstance(org, dict) or not org.get("id"):
            return {}
        details = self._org_cache.get(org["id"])
        if details is None:
            try:
                details = tk.get_action("organization_show")(
                    {"ignore_auth": True}, {"id": org["id"], "include_datasets": False})
            except tk.ObjectNotFound:
                return {}
            self._org_cache[org["id"]] = details
        titles = details.get("title_translated") or org.get("title_translated")
        if not isinstance(titles, dict):
            return {}
        values = languages.normalise_values(titles, _language_map())
        return {k: str(v).strip() for k, v in languages.drop_empty(values).items()}

    def _drop_empty_literals(self, dataset_ref: Node) -> None:
        """No ``""@xx`` on the dataset, its distributions or their nodes."""
        subjects = {dataset_ref}
        for subject in list(subjects):
            for obj in self.g.objects(subject, None):
                if isinstance(obj, (URIRef, BNode)):
                    subjects.add(obj)
        for obj in list(subjects):
            for child in self.g.objects(obj, None):
                if isinstance(child, BNode):
                    subjects.add(child)
        for subject in subjects:
            for predicate, obj in list(self.g.predicate_objects(subject)):
                if isinstance(obj, Literal) and obj.language and not str(obj).strip():
                    self.g.remove((subject, predicate, obj))

    # vocabularies

    def _set_uri(self, subject: Node, predicate: URIRef, uri: Optional[str],
                 _class: Optional[URIRef] = None) -> None:
        """Replace the objects of ``predicate`` by ``uri`` (when known)."""
        if not uri:
            return
        for obj in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, obj))
            if not isinstance(obj, URIRef):  # statement nodes, literal "subjects"
                self.g.remove((obj, None, None))
        self.g.add((subject, predicate, URIRef(uri)))
        if _class is not None:
            self.g.add((URIRef(uri), RDF.type, _class))

    def _themes(self, dataset_dict: dict, dataset_ref: Node) -> None:
        """dcat:theme: the EU data themes and the portal themes."""
        values = _as_list(dataset_dict.get("theme"))
        for obj in list(self.g.objects(dataset_ref, DCAT.theme)):
            if str(obj) in values or not str(obj).startswith(("http://", "https://")):
                self.g.remove((dataset_ref, DCAT.theme, obj))
        eu_scheme = URIRef(EU + "data-theme")
        for uri in vocabularies.opengov_theme_uris(values):
            self.g.add((dataset_ref, DCAT.theme, URIRef(uri)))
            self.g.add((URIRef(uri), RDF.type, SKOS.Concept))
            self.g.add((URIRef(uri), SKOS.inScheme, eu_scheme))
        for value in values:
            entry = vocabularies.vocabulary_entry("themes", value)
            if not entry:
                continue
            ref = URIRef(portal_theme_uri(value))
            self.g.add((dataset_ref, DCAT.theme, ref))
            self.g.add((ref, RDF.type, SKOS.Concept))
            self._add_labels(ref, SKOS.prefLabel, entry.get("label"))

    def _add_labels(self, subject: Node, predicate: URIRef, labels: Any) -> None:
        if isinstance(labels, dict):
            for lang, text in languages.drop_empty(labels).items():
                self.g.add((subject, predicate, Literal(str(text).strip(), lang=lang)))

    def _access_rights_uri(self, dataset_dict: dict, dataset_ref: Node) -> None:
        uri = vocabulary_uri("access_rights", dataset_dict.get("access_rights"))
        self._set_uri(dataset_ref, DCT.accessRights, uri, DCT.RightsStatement)

    def _licences(self, dataset_dict: dict, dataset_ref: Node,
                  distributions: dict[str, Node]) -> None:
        """dct:license as a URI on every distribution (its own licence, else
        the dataset's) and on the dataset."""
        dataset_uri = licence_uri(dataset_dict.get("license_id"))
        if dataset_uri:
            self._set_licence(dataset_ref, dataset_uri)
        for resource, distribution in self._with_resources(dataset_dict, distributions):
            uri = licence_uri(resource.get("license")) or dataset_uri
            if uri:
                self._set_licence(distribution, uri)

    def _set_licence(self, subject: Node, uri: str) -> None:
        self._set_uri(subject, DCT.license, uri, DCT.LicenseDocument)

    def _regions(self, dataset_dict: dict, dataset_ref: Node) -> None:
        """dct:spatial: one dct:Location per region, labelled in each
        language; the GeoJSON geometry kept (and added as GeoJSON when only
        WKT was written)."""
        for code in _as_list(dataset_dict.get("spatial_region")):
            uri = region_uri(code)
            if not uri:
                continue
            ref = URIRef(uri)
            self.g.add((dataset_ref, DCT.spatial, ref))
            self.g.add((ref, RDF.type, DCT.Location))
            self.g.add((ref, DCT.identifier, Literal(str(code))))
            entry = vocabularies.vocabulary_entry("regions", code) or {}
            self._add_labels(ref, SKOS.prefLabel, entry.get("label"))
        geometry = dataset_dict.get("spatial")
        if not geometry:
            return
        for location in list(self.g.objects(dataset_ref, DCT.spatial)):
            geometries = list(self.g.objects(location, LOCN.geometry))
            if geometries and not any(g.datatype == URIRef(GEOJSON_IMT) for g in geometries
                                      if isinstance(g, Literal)):
                try:
                    text = json.dumps(json.loads(geometry) if isinstance(geometry, str) else geometry)
                except (TypeError, ValueError):
                    continue
                self.g.add((location, LOCN.geometry, Literal(text, datatype=GEOJSON_IMT)))

    def _resource_vocabularies(self, resource: dict, distribution: Node) -> None:
        """Resource language and format as EU URIs."""
        languages_ = _as_list(resource.get("language"))
        uris = [vocabulary_uri("languages", lang) for lang in languages_]
        if languages_ and all(uris):
            self.g.remove((distribution, DCT.language, None))
            for uri in uris:
                self.g.add((distribution, DCT.language, URIRef(uri)))
                self.g.add((URIRef(uri), RDF.type, DCT.LinguisticSystem))
        entry = vocabularies.format_entry(resource.get("format"))
        if entry and entry.get("uri"):
            self._set_uri(distribution, DCT["format"], entry["uri"], DCT.MediaTypeOrExtent)
        for media_type in list(self.g.objects(distribution, DCAT.mediaType)):
            if isinstance(media_type, Literal) and "/" in media_type \
                    and not str(media_type).startswith(("http://", "https://")):
                self._set_uri(distribution, DCAT.mediaType, IANA_MEDIA_TYPES + str(media_type).strip(),
                              DCT.MediaType)

    def _distribution_refs(self, dataset_dict: dict, dataset_ref: Node) -> dict[str, Node]:
        """Resource id -> its dcat:Distribution node."""
        from ckanext.dcat.utils import resource_uri

        refs = {}
        present = set(self.g.objects(dataset_ref, DCAT.distribution))
        for resource in dataset_dict.get("resources") or []:
            try:
                ref = URIRef(resource_uri(resource))
            except (KeyError, TypeError):
                continue
            if ref in present:
                refs[resource.get("id") or str(ref)] = ref
        return refs

    @staticmethod
    def _with_resources(dataset_dict: dict,
                        distributions: dict[str, Node]) -> Iterator[tuple[dict, Node]]:
        for resource in dataset_dict.get("resources") or []:
            ref = distributions.get(resource.get("id"))
            if ref is not None:
                yield resource, ref

    # ------------------------------------------------------------- import

    def parse_dataset(self, dataset_dict: dict, dataset_ref: Node) -> dict:
        keep = list(self._form_languages or [])
        self._parse_dataset_texts(dataset_dict, dataset_ref, keep)
        self._parse_vocabularies(dataset_dict, dataset_ref)
        for resource in dataset_dict.get("resources") or []:
            distribution = self._distribution_for(dataset_ref, resource)
            self._parse_resource(resource, distribution, keep)
        self._tidy_extras(dataset_dict)
        return dataset_dict

    def _texts(self, subject: Node, predicate: URIRef, keep: list[str]) -> dict[str, str]:
        """``{lang: text}`` of a subject's literals, tags normalised,
        untagged text given a language, empty values dropped."""
        literals = [o for o in self.g.objects(subject, predicate) if isinstance(o, Literal)]
        # canonical tags first, then region variants, then untagged
        literals.sort(key=lambda o: (o.language is None,
                                     o.language != (o.language or "").lower().split("-")[0],
                                     str(o.language or ""), str(o)))
        out: dict[str, str] = {}
        for literal in literals:
            text = str(literal).strip()
            lang = normalise_language(literal.language, text, keep)
            if text and _known(lang, keep):
                out.setdefault(lang, text)
        return out

    def _keywords(self, subject: Node, keep: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for literal in self.g.objects(subject, KEYWORD_PREDICATE):
            if not isinstance(literal, Literal):
                continue
            for tag in languages.split_tags(str(literal)):
                lang = normalise_language(literal.language, tag, keep)
                if not _known(lang, keep):
                    continue
                if tag not in out.setdefault(lang, []):
                    out[lang].append(tag)
        return {lang: sorted(tags) for lang, tags in out.items() if tags}

    def _parse_dataset_texts(self, dataset_dict: dict, dataset_ref: Node, keep: list[str]) -> None:
        fields = self._multilingual_dataset_fields()
        for core, predicate in (("title", DCT.title), ("notes", DCT.description)):
            if f"{core}_translated" in fields:
                values = self._texts(dataset_ref, predicate, keep)
                dataset_dict[f"{core}_translated"] = values
                dataset_dict[core] = languages.pick_language(values, _core_order())[1]
        if "title_translated" in fields:
            self._name_friendly_title(dataset_dict, dataset_ref)
        if "tags_translated" in fields:
            dataset_dict["tags_translated"] = self._keywords(dataset_ref, keep)
            # keywords live in tags_translated; CKAN's core tag rules
            # (no apostrophe) must not refuse the dataset
            dataset_dict.pop("tags", None)
        for field in fields:
            value = dataset_dict.get(field)
            if isinstance(value, dict) and field not in ("title_translated", "notes_translated",
                                                          "tags_translated"):
                dataset_dict[field] = languages.drop_empty(
                    languages.normalise_values(value, _language_map(), keep))

    @staticmethod
    def _name_friendly_title(dataset_dict: dict, dataset_ref: Node) -> None:
        """Harvesters make the dataset's name from the core ``title`` (which
        the presets rewrite on save): give them a Latin-script title, or,
        when there is none (Arabic only, which munges to ``__``), the
        transliterated Arabic title (else a stable name from the URI)."""
        values = dataset_dict.get("title_translated") or {}
        latin = {k: v for k, v in values.items() if not _ARABIC.search(v)}
        if latin:
            dataset_dict["title"] = languages.pick_language(latin, _core_order())[1]
        elif values and not dataset_dict.get("name"):
            arabic = languages.pick_language(values, _core_order())[1]
            dataset_dict["name"] = slugs.arabic_slug(arabic) or stable_name(dataset_ref)

    def _distribution_for(self, dataset_ref: Node, resource: dict) -> Optional[Node]:
        wanted = resource.get("distribution_ref") or resource.get("uri")
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            if str(distribution) == wanted:
                return distribution
        return None

    def _parse_resource(self, resource: dict, distribution: Optional[Node], keep: list[str]) -> None:
        fields = self._multilingual_resource_fields()
        if distribution is not None:
            for core, predicate in (("name", DCT.title), ("description", DCT.description)):
                if f"{core}_translated" in fields:
                    values = self._texts(distribution, predicate, keep)
                    resource[f"{core}_translated"] = values
                    resource[core] = languages.pick_language(values, _core_order())[1]
        for field in fields:
            value = resource.get(field)
            if isinstance(value, dict):
                resource[field] = languages.drop_empty(
                    languages.normalise_values(value, _language_map(), keep))
        licence = vocabulary_value("licences", resource.get("license"))
        if licence:
            resource["license"] = licence
        elif resource.get("license"):
            log.info("Unknown licence %s of a distribution dropped", resource["license"])
            resource.pop("license")
        if resource.get("language"):
            codes = [vocabulary_value("languages", v) for v in _as_list(resource["language"])]
            codes = [c for c in codes if c]
            if codes:
                resource["language"] = in_vocabulary_order("languages", codes)
            else:
                resource.pop("language")
        mimetype = str(resource.get("mimetype") or "")
        for prefix in (IANA_MEDIA_TYPES, IANA_MEDIA_TYPES.replace("http:", "https:")):
            if mimetype.startswith(prefix):
                resource["mimetype"] = mimetype[len(prefix):]
        entry = vocabularies.format_entry(resource.get("format")) or \
            vocabularies.format_entry(resource.get("mimetype"))
        if entry:
            resource["format"] = entry["value"]

    def _parse_vocabularies(self, dataset_dict: dict, dataset_ref: Node) -> None:
        themes = themes_from_uris(str(o) for o in self.g.objects(dataset_ref, DCAT.theme))
        self._set_or_drop(dataset_dict, "theme", themes)
        for field, vocabulary, predicate in (
            ("frequency", "frequencies", DCT.accrualPeriodicity),
            ("access_rights", "access_rights", DCT.accessRights),
        ):
            value = None
            for obj in self.g.objects(dataset_ref, predicate):
                value = value or vocabulary_value(vocabulary, obj) or next(
                    (vocabulary_value(vocabulary, label) for label in self.g.objects(obj, RDFS.label)), None)
            self._set_or_drop(dataset_dict, field, value)
        licence = self._parse_licence(dataset_ref)
        if not licence and vocabularies.vocabulary_entry("licences", dataset_dict.get("license_id")):
            licence = dataset_dict["license_id"]
        self._set_or_drop(dataset_dict, "license_id", licence)
        regions = []
        for obj in self.g.objects(dataset_ref, DCT.spatial):
            candidates = [obj] if isinstance(obj, URIRef) else []
            candidates += list(self.g.objects(obj, DCT.identifier))
            code = next((c for c in map(lambda c: region_value(str(c)), candidates) if c), None)
            if code and code not in regions:
                regions.append(code)
        self._set_or_drop(dataset_dict, "spatial_region", in_vocabulary_order("regions", regions))

    def _parse_licence(self, dataset_ref: Node) -> Optional[str]:
        """The dataset's licence, else the first distribution's known one."""
        subjects = [dataset_ref, *self.g.objects(dataset_ref, DCAT.distribution)]
        for subject in subjects:
            for obj in self.g.objects(subject, DCT.license):
                value = vocabulary_value("licences", obj)
                if not value:
                    for title in self.g.objects(obj, DCT.title):
                        value = next((e["value"] for e in vocabularies.vocabulary("licences")
                                      if str(title).strip() in (e.get("title"), *e["label"].values())), None)
                        if value:
                            break
                if value:
                    return value
        return None

    def _set_or_drop(self, dataset_dict: dict, field: str, value: Any) -> None:
        """Set a schema field to a vocabulary value; drop what the
        vocabulary does not know, so the dataset still validates."""
        if value:
            dataset_dict[field] = value
        elif field in dataset_dict:
            if dataset_dict[field]:
                log.info("Value %r of %s not in the portal's vocabulary: dropped",
                         dataset_dict[field], field)
            dataset_dict.pop(field)

    @staticmethod
    def _tidy_extras(dataset_dict: dict) -> None:
        """Extras the portal maps to its own fields, or empty ones, go."""
        handled = {"theme", "frequency", "access_rights", "spatial_uri", "spatial_text",
                   "spatial_region", "license_id"}
        extras = dataset_dict.get("extras")
        if isinstance(extras, list):
            dataset_dict["extras"] = [
                e for e in extras
                if e.get("key") not in handled and not languages.is_empty(e.get("value"))
            ]


# ------------------------------------------------------ RDF harvester hooks

def _harvested_schema(package_schema: dict) -> dict:
    """The package schema with ``opengov_harvested_content`` first in
    ``__before``: harvested content needs one language, no declaration."""
    marker = tk.get_validator("opengov_harvested_content")
    before = [v for v in package_schema.get("__before", []) if v is not marker]
    package_schema["__before"] = [marker, *before]
    return package_schema


def provenance_from_extras(dataset_dict: dict, schema_fields: Iterable[str]) -> dict:
    """Extras that are fields of the dataset schema (the harvester's
    ``guid``) moved to the root, where scheming expects them; the source's
    address and modification date kept in ``source_url``/``source_modified``."""
    fields = set(schema_fields)
    extras = dataset_dict.get("extras") or []
    kept = []
    found: dict[str, Any] = {}
    for extra in extras:
        key = extra.get("key")
        if key in fields:
            dataset_dict[key] = extra.get("value")
        else:
            kept.append(extra)
            found[key] = extra.get("value")
    dataset_dict["extras"] = kept
    if "source_url" in fields and not dataset_dict.get("source_url"):
        source = found.get("uri") or dataset_dict.get("url")
        if source:
            dataset_dict["source_url"] = source
    if "source_modified" in fields and not dataset_dict.get("source_modified") and found.get("modified"):
        dataset_dict["source_modified"] = found["modified"]
    return dataset_dict


def _dataset_schema_fields(dataset_type: str = "dataset") -> list[str]:
    try:
        schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": dataset_type})
    except (KeyError, tk.ObjectNotFound):
        return []
    return [f["field_name"] for f in schema.get("dataset_fields", [])]


class OpenGovDCATHarvesterHooks:
    """``IDCATRDFHarvester`` methods for the ``dcat_rdf`` harvester; mix into
    a plugin that implements the interface::

        p.implements(IDCATRDFHarvester, inherit=True)
    """

    def update_package_schema_for_create(self, package_schema: dict) -> dict:
        return _harvested_schema(package_schema)

    def update_package_schema_for_update(self, package_schema: dict) -> dict:
        return _harvested_schema(package_schema)

    def before_create(self, harvest_object: Any, dataset_dict: dict, temp_dict: dict) -> None:
        provenance_from_extras(dataset_dict, _dataset_schema_fields(dataset_dict.get("type") or "dataset"))

    def before_update(self, harvest_object: Any, dataset_dict: dict, temp_dict: dict) -> None:
        provenance_from_extras(dataset_dict, _dataset_schema_fields(dataset_dict.get("type") or "dataset"))

    def after_create(self, harvest_object: Any, dataset_dict: dict, temp_dict: dict) -> None:
        return None

    def after_update(self, harvest_object: Any, dataset_dict: dict, temp_dict: dict) -> None:
        return None
