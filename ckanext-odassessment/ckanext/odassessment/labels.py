"""Texts of the assessment pages in the UI language: metric names, how to
earn the missing points, bands, dimensions, pillars (issue 7)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _(text: str) -> str:
    return tk._(text)


def band(name: Any) -> str:
    return {
        "excellent": _("Excellent"), "good": _("Good"), "sufficient": _("Sufficient"), "bad": _("Bad"),
    }.get(name, _("Not assessed"))


def dimension(name: str) -> str:
    return {
        "findability": _("Findability"), "accessibility": _("Accessibility"),
        "interoperability": _("Interoperability"), "reusability": _("Reusability"),
        "contextuality": _("Contextuality"), "timeliness": _("Timeliness"), "openness": _("Openness"),
        "validity": _("Data validity"), "documentation": _("Documentation"),
    }.get(name, name)


def timeliness(name: Any) -> str:
    return {
        "on_time": _("On time"), "late": _("Late"), "overdue": _("Overdue"),
        "undeclared": _("Frequency not declared"), "not_quantifiable": _("No fixed frequency"),
    }.get(name, "–")


def basis(name: str) -> str:
    return {
        "declared": _("declared"), "defaulted": _("filled in by CKAN"), "inherited": _("from the dataset"),
        "organization": _("the organisation"), "http": _("HTTP check"), "shacl": _("SHACL validation"),
        "absent": _("missing"),
    }.get(name, name)


def pillar(name: str) -> str:
    return {
        "availability": _("Data availability"), "accessibility": _("Data accessibility"),
        "reuse": _("Support for reuse"),
        "publisher_coverage": _("Public bodies publishing"), "theme_coverage": _("Themes with open, up-to-date data"),
        "release_engagement": _("Data requests answered"), "inventory_progress": _("Inventory published"),
        "mqa": _("Mean MQA score"), "open_licence": _("Datasets under an open licence"),
        "machine_readable": _("Machine-readable datasets"), "accessible": _("Datasets whose links work"),
        "dcat_ap_conformant": _("DCAT-AP conformant datasets"), "on_time": _("Datasets updated on time"),
        "datasets_with_reuses": _("Datasets with a reuse"), "usage": _("Views and downloads"),
        "monitoring": _("Months assessed in the last year"),
    }.get(name, name)


def flag(name: Any) -> str:
    if not name:
        return ""
    if name == "not_available":
        return _("not assessed: the feature is not enabled")
    if name == "no_input":
        return _("not assessed: no data yet")
    return _("not assessed: the source failed")


def metric(name: str) -> dict[str, str]:
    """``{"label", "advice"}`` of a metric."""
    texts = {
        "keywordAvailability": (_("Keywords"), _("Add at least one keyword.")),
        "categoryAvailability": (_("Themes"), _("Choose at least one theme.")),
        "spatialAvailability": (_("Spatial coverage"), _("Give the regions the data cover.")),
        "temporalAvailability": (_("Temporal coverage"), _("Give the period the data cover.")),
        "accessUrlStatusCode": (_("Access URL works"),
                                _("Fix the resource link: it must answer with a success (2xx) code.")),
        "downloadUrlAvailability": (_("Download URL"), _("Give a direct download URL for the file.")),
        "downloadUrlStatusCode": (_("Download URL works"),
                                  _("Fix the download link: it must answer with a success (2xx) code.")),
        "formatAvailability": (_("Format"), _("Choose the file format of each resource.")),
        "mediaTypeAvailability": (_("Media type"), _("Choose a format the portal knows, so that the media type is set.")),
        "formatMediaTypeVocabularyAlignment": (_("Standard format and media type"),
                                               _("Use a format from the portal's list (EU file types with an IANA media type).")),
        "formatMediaTypeNonProprietary": (_("Non-proprietary format"),
                                          _("Also publish the data in an open format such as CSV, JSON or XML.")),
        "formatMediaTypeMachineInterpretable": (_("Machine-readable format"),
                                                _("Publish the data in a machine-readable format (CSV, JSON, XML, XLSX...), not only PDF.")),
        "dcatApCompliance": (_("DCAT-AP conformance"), _("Fix the problems listed by the DCAT-AP validation.")),
        "licenceAvailability": (_("Licence"), _("Choose a licence.")),
        "knownLicence": (_("Known licence"), _("Choose a licence from the portal's list.")),
        "accessRightsAvailability": (_("Access rights"), _("State the access rights.")),
        "accessRightsVocabularyAlignment": (_("Standard access rights"), _("Choose access rights from the list.")),
        "contactPointAvailability": (_("Contact point"), _("Give a contact point (name and e-mail).")),
        "publisherAvailability": (_("Publisher"), _("Publish the dataset under an organisation.")),
        "rightsAvailability": (_("Rights statement"), _("Add a rights statement to the resources.")),
        "byteSizeAvailability": (_("File size"), _("Give the size of each file.")),
        "dateIssuedAvailability": (_("Issue date"), _("Give the date the data were first published.")),
        "dateModifiedAvailability": (_("Modification date"), _("Give the date the data were last changed.")),
        "accrualPeriodicityAvailability": (_("Update frequency"), _("Declare how often the data are updated.")),
        "accrualPeriodicityVocabularyAlignment": (_("Standard frequency"), _("Choose the frequency from the list.")),
        "updateFulfilledInTime": (_("Updated on time"), _("Update the data as often as the declared frequency says.")),
        "temporalCoverageCurrency": (_("Recent period"), _("Publish data covering the latest period.")),
        "fiveStarRating": (_("5-star openness"), _("Use an open licence and structured, open formats (CSV, then RDF).")),
        "openLicence": (_("Open licence"), _("Choose an open licence, such as the national open licence.")),
        "formatMatch": (_("Format matches the file"), _("Make sure the declared format is the real format of the file.")),
        "syntaxValid": (_("File is valid"), _("Fix the file: it does not parse in its declared format.")),
        "descriptionQuality": (_("Detailed description"), _("Describe the data in more than 100 characters.")),
        "resourceDocumentation": (_("Documentation"), _("Describe every resource or add a documentation resource.")),
        "multilingualMetadata": (_("Title and description in two languages"),
                                 _("Give the title and description in at least two of Arabic, French and English.")),
    }
    label, advice = texts.get(name, (name, ""))
    return {"label": label, "advice": advice}
