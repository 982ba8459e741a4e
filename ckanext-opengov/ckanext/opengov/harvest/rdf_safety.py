"""What is checked before rdflib sees a downloaded catalogue.

* The RDF format: the source's ``rdf_format``, else the response's
  ``Content-Type``; an HTML page (a portal's error or maintenance page) or
  a type rdflib cannot parse is refused.
* XML (RDF/XML): any DTD (``<!DOCTYPE``) or entity declaration
  (``<!ENTITY``) is refused before parsing, so neither external entities
  (local files, internal URLs) nor entity expansion ("billion laughs") can
  happen, whatever the XML parser's own defaults.
* JSON-LD: the JSON must load, and a remote ``@context``/``@import`` (which
  rdflib would download, bypassing the address guard) is refused.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from ckanext.dcat.processors import RDFParser

from ckanext.opengov.harvest import messages
from ckanext.opengov.harvest.fetch import Fetched

XML_FORMATS = {"xml", "application/rdf+xml", "application/xml", "text/xml", "pretty-xml", "trix"}
JSONLD_FORMATS = {"json-ld", "application/ld+json", "application/json"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeContent(Exception):
    pass


def parse_format(fetched: Fetched, configured: Optional[str]) -> str:
    if configured:
        return "json-ld" if configured in JSONLD_FORMATS else configured
    content_type = fetched.content_type or ""
    if content_type in HTML_TYPES or (not content_type and fetched.text.lstrip()[:15].lower()
                                      .startswith(("<!doctype html", "<html"))):
        raise UnsafeContent(messages.render("html_page", url=fetched.url))
    if content_type in JSONLD_FORMATS:
        return "json-ld"
    if content_type in XML_FORMATS:
        return "xml"
    if content_type not in RDFParser().supported_formats():
        raise UnsafeContent(messages.render("unknown_format", url=fetched.url,
                                            content_type=content_type or "?"))
    return content_type


def check(text: str, fmt: str, url: str) -> None:
    if fmt in XML_FORMATS or text.lstrip().startswith("<"):
        if _DECLARATION.search(text):
            raise UnsafeContent(messages.render("xml_entities", url=url))
    if fmt in JSONLD_FORMATS:
        try:
            document = json.loads(text)
        except ValueError as error:
            raise UnsafeContent(messages.render("parse_error", url=url, rdf_format="JSON-LD",
                                                reason=str(error)))
        if _remote_context(document):
            raise UnsafeContent(messages.render("jsonld_remote_context", url=url))


def _remote_context(node: Any) -> bool:
    if isinstance(node, list):
        return any(_remote_context(item) for item in node)
    if not isinstance(node, dict):
        return False
    for key, value in node.items():
        if key in ("@context", "@import") and _has_reference(value):
            return True
        if _remote_context(value):
            return True
    return False


def _has_reference(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(_has_reference(v) for v in value)
    if isinstance(value, dict):
        return "@import" in value or _remote_context(value)
    return False
