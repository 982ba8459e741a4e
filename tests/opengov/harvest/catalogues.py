"""DCAT catalogues and CKAN API answers built from real records of
Tunisia's national catalogue (/work/shared/data/tn_catalog_sample.json,
read-only), for the harvest tests."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Iterable, Optional

DATA = os.environ.get("OPENGOV_SHARED_DATA", "/work/shared/data/tn_catalog_sample.json")
BASE = "https://catalog.agridata.tn/dataset/"

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@lru_cache(maxsize=1)
def records() -> list[dict]:
    with open(DATA, encoding="utf-8") as f:
        return json.load(f)["datasets"]


def distinct_records(count: int, start: int = 0) -> list[dict]:
    """``count`` records with distinct titles (the sample repeats some)."""
    seen, out = set(), []
    for record in records()[start:]:
        if record["title"] in seen:
            continue
        seen.add(record["title"])
        out.append(record)
        if len(out) == count:
            break
    return out


def _literal(text: str, lang: Optional[str] = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def dataset_turtle(record: dict, uri: Optional[str] = None, title: Optional[str] = None,
                   title_lang: Optional[str] = "fr") -> str:
    uri = uri or BASE + record["id"]
    node = uri if uri.startswith("_:") else f"<{uri}>"
    lines = [f"{node} a dcat:Dataset ;",
             f"    dct:identifier {_literal(record['id'])} ;",
             f"    dct:title {_literal(title or record['title'], title_lang)} ;"]
    if record.get("notes"):
        lines.append(f"    dct:description {_literal(record['notes'], 'fr')} ;")
    for tag in record.get("tags") or []:
        lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in tag) else "fr"
        lines.append(f"    dcat:keyword {_literal(tag, lang)} ;")
    lines.append(f"    dct:publisher [ a foaf:Agent ; foaf:name {_literal(record['org'], 'fr')} ] ;")
    lines.append(f"    dct:modified \"{record['modified']}\"^^xsd:date ;")
    if uri.startswith("_:"):
        uri = BASE + record["id"] + "/" + uri[2:]
    for resource in record.get("resources") or []:
        lines.append(f"    dcat:distribution <{uri}/resource/{resource['id']}> ;")
    lines[-1] = lines[-1].rstrip(" ;") + " ."
    for resource in record.get("resources") or []:
        lines.append(f"<{uri}/resource/{resource['id']}> a dcat:Distribution ;")
        lines.append(f"    dct:title {_literal(resource.get('name') or 'Ressource', 'fr')} ;")
        if resource.get("format"):
            lines.append(f"    dct:format {_literal(resource['format'])} ;")
        lines.append(f"    dcat:accessURL <{resource['url'].replace(' ', '%20')}> .")
    return "\n".join(lines) + "\n"


def catalogue(datasets: Iterable[str], next_url: Optional[str] = None, this_url: str = "",
              total: Optional[int] = None) -> str:
    """A Turtle catalogue of the given dataset blocks, with hydra paging."""
    body = PREFIXES + "\n".join(datasets)
    if next_url:
        body += (f"\n<{this_url}> a hydra:PagedCollection ;\n"
                 f"    hydra:totalItems {total or 0} ;\n"
                 f"    hydra:next \"{next_url}\" .\n")
    return body


def turtle_of(recs: Iterable[dict]) -> str:
    return catalogue(dataset_turtle(r) for r in recs)


def ckan_package(record: dict, number: int) -> dict:
    """A stock CKAN 2.9 ``package_search`` result (what catalog.data.gov.tn
    serves: single-language title and notes, flat tags)."""
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "name": record["id"][:90],
        "type": "dataset",
        "title": record["title"],
        "notes": record.get("notes") or "",
        "metadata_modified": record["modified"] + "T08:00:00.000000",
        "organization": {"name": "ministere-agriculture", "title": record["org"]},
        "tags": [{"name": t, "display_name": t} for t in record.get("tags") or []],
        "license_id": "cc-by",
        "resources": [{"id": r["id"], "name": r.get("name") or "", "format": r.get("format") or "",
                       "url": r["url"], "url_type": None} for r in record.get("resources") or []],
    }


def ckan_search_answer(packages: list[dict], start: int, rows: int) -> str:
    return json.dumps({"success": True, "result": {"count": len(packages),
                                                   "results": packages[start:start + rows]}})
