"""The messages the bundle's harvesters record (gather and object errors).

They are stored in English in ckanext-harvest's tables (what its own pages
and API show); :func:`translate` turns a stored message back into the UI
language for the operator view and ``ckan opengov harvest-report``, by
matching it against the templates below (each marked for translation).
"""
from __future__ import annotations

import re
from typing import Callable, Optional


def N_(text: str) -> str:
    """Mark a message for extraction; translated when shown."""
    return text


TEMPLATES: dict[str, str] = {
    "bad_scheme": N_("Refused source address {url}: only http and https addresses are harvested."),
    "private_address": N_("Refused source address {url}: it resolves to the private address {address}, "
                          "which is not allowed in ckanext.opengov.harvest.allowed_private_addresses."),
    "connect_timeout": N_("Could not connect to {url}: the connection timed out."),
    "timeout": N_("The source {url} stopped answering: the download timed out."),
    "tls": N_("Could not establish a secure (TLS) connection to {url}: {reason}"),
    "unreachable": N_("Could not reach {url}: {reason}"),
    "http_status": N_("The source {url} answered with HTTP error {status} {reason}."),
    "too_big": N_("The answer of {url} is larger than the limit of {limit_mb} MB."),
    "too_many_redirects": N_("Too many redirections from {url}."),
    "not_utf8": N_("The answer of {url} is not UTF-8 text and declares no charset (invalid byte at {position})."),
    "bad_charset": N_("The answer of {url} is not valid {charset} text (invalid byte at {position})."),
    "unknown_charset": N_("The answer of {url} declares an unknown charset {charset}."),
    "html_page": N_("The source {url} returned an HTML page instead of a DCAT catalogue."),
    "unknown_format": N_("The source {url} returned content of type {content_type}, which is not an RDF format; "
                         "set rdf_format in the source configuration."),
    "parse_error": N_("The catalogue at {url} could not be read as {rdf_format}: {reason}"),
    "xml_entities": N_("The catalogue at {url} declares a DTD or XML entities, which are refused for security."),
    "jsonld_remote_context": N_("The catalogue at {url} refers to a remote JSON-LD context, which is not fetched."),
    "page_failed": N_("Page {page} of the catalogue failed: nothing was imported or withdrawn in this job."),
    "pagination_loop": N_("The catalogue's pages loop back to {url} (page {page}): harvest stopped, "
                          "nothing was imported or withdrawn."),
    "too_many_pages": N_("The catalogue has more than {max_pages} pages: harvest stopped, "
                         "nothing was imported or withdrawn."),
    "no_identifier": N_("A dataset of the catalogue has no identifier (title: {title}); it was skipped."),
    "duplicate_guid": N_("The identifier {guid} appears more than once in the catalogue; the first one was kept."),
    "empty_catalogue": N_("The catalogue lists no dataset; {previous} datasets harvested before were kept. "
                          "An administrator can allow the withdrawal with: ckan opengov harvest-allow-withdrawal {source}"),
    "shrunk_catalogue": N_("The catalogue shrank from {previous} to {current} datasets (more than {percent} percent gone): "
                           "job refused, nothing was withdrawn. An administrator can allow the withdrawal with: "
                           "ckan opengov harvest-allow-withdrawal {source}"),
    "no_datasets": N_("The catalogue lists no dataset."),
    "taken_guid": N_("The identifier {guid} is already used by the dataset {dataset}, harvested from another source "
                     "or created on the portal: it was not taken over."),
    "invalid_dataset": N_("The dataset {guid} was refused by the portal's schema: {errors}"),
    "bad_json": N_("The answer of {url} is not valid JSON: {reason}"),
}


def render(code: str, **params) -> str:
    """The English message of ``code`` with its parameters."""
    return TEMPLATES[code].format(**{k: _text(v) for k, v in params.items()})


def _text(value) -> str:
    return "" if value is None else str(value)


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = ""
    for i, part in enumerate(parts):
        regex += re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)"
    return re.compile("^" + regex + "$", re.DOTALL)


_PATTERNS = {code: _pattern(template) for code, template in TEMPLATES.items()}


def parse(message: str) -> Optional[tuple[str, dict]]:
    """``(code, params)`` of a stored message, None for a foreign one."""
    for code, pattern in _PATTERNS.items():
        match = pattern.match(message or "")
        if match:
            return code, match.groupdict()
    return None


def localise(message: str, gettext: Optional[Callable[[str], str]] = None) -> str:
    """A stored message in the UI language (unchanged when not ours)."""
    parsed = parse(message)
    if not parsed:
        return message
    if gettext is None:
        import ckan.plugins.toolkit as tk
        gettext = tk._
    code, params = parsed
    try:
        return gettext(TEMPLATES[code]).format(**params)
    except (KeyError, IndexError, ValueError):
        return message
