"""HTTP checks of access and download URLs (MQA metrics 5 and 7).

HEAD (GET when the server refuses HEAD with 405/501, and for OGC web
services), redirects followed by hand so that every hop is checked, a
timeout per request, bounded concurrency, and no request to a private,
loopback, link-local or reserved address unless its host or network is
listed in ``ckanext.odassessment.http.allowed_hosts``. A file whose content
is checked (data validity) is fetched with GET, at most
``ckanext.odassessment.http.max_bytes`` bytes, and parsed as CSV, JSON and
XML."""
from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import datetime as dt
import io
import ipaddress
import json
import socket
import xml.etree.ElementTree as ElementTree
from typing import Any, Iterable, Optional
from urllib.parse import urljoin, urlparse

import requests
import ckan.plugins.toolkit as tk

MAX_REDIRECTS = 5
OGC_SERVICES = ("service=wms", "service=wfs", "service=wmts", "service=wcs")
USER_AGENT = "ckanext-odassessment link checker"


@dataclasses.dataclass
class UrlResult:
    url: str
    status: Optional[int] = None
    method: str = "HEAD"
    error: Optional[str] = None
    content_type: Optional[str] = None
    last_modified: Optional[str] = None
    final_url: Optional[str] = None
    content: Optional[dict] = None      # {"parsed": {"csv", "json", "xml"}, "truncated", "bytes"}
    checked_at: dt.datetime = dataclasses.field(default_factory=dt.datetime.utcnow)


class Refused(Exception):
    pass


# ------------------------------------------------------------- addresses

def _allowed_entries() -> list[Any]:
    entries = []
    for item in (tk.config.get("ckanext.odassessment.http.allowed_hosts") or "").split():
        try:
            entries.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            entries.append(item.lower())
    return entries


def check_address(url: str) -> None:
    """Raise Refused for a URL this server must not request."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise Refused("not an http(s) URL")
    host = parsed.hostname.lower()
    allowed = _allowed_entries()
    if host in allowed:
        return
    try:
        infos = socket.getaddrinfo(host, parsed.port or (443 if parsed.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise Refused(f"host not found: {e}") from e
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_global:
            continue
        if any(isinstance(a, (ipaddress.IPv4Network, ipaddress.IPv6Network)) and address in a
               for a in allowed):
            continue
        raise Refused(f"private address refused ({address})")


# ------------------------------------------------------------- requests

def _timeout() -> float:
    return float(tk.config.get("ckanext.odassessment.http.timeout"))


def _max_bytes() -> int:
    return int(tk.config.get("ckanext.odassessment.http.max_bytes"))


def _request(session: requests.Session, method: str, url: str, timeout: float) -> requests.Response:
    return session.request(method, url, allow_redirects=False, timeout=timeout, stream=True,
                           headers={"User-Agent": USER_AGENT})


def check_url(url: str, fetch_content: bool = False, timeout: Optional[float] = None,
              max_bytes: Optional[int] = None) -> UrlResult:
    """Status code of ``url`` (after redirects), never raising."""
    timeout = timeout or _timeout()
    result = UrlResult(url=url, method="GET" if fetch_content else "HEAD")
    current = url
    try:
        with requests.Session() as session:
            for _hop in range(MAX_REDIRECTS + 1):
                check_address(current)
                method = result.method
                if method == "HEAD" and any(s in current.lower() for s in OGC_SERVICES):
                    method = "GET"
                response = _request(session, method, current, timeout)
                if method == "HEAD" and response.status_code in (405, 501):
                    response.close()
                    method = "GET"
                    response = _request(session, method, current, timeout)
                result.method = method
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    response.close()
                    current = urljoin(current, location)
                    continue
                result.status = response.status_code
                result.content_type = response.headers.get("Content-Type")
                result.last_modified = response.headers.get("Last-Modified")
                result.final_url = current if current != url else None
                if method == "GET" and fetch_content and 200 <= response.status_code < 300:
                    result.content = inspect_content(response, max_bytes or _max_bytes())
                response.close()
                return result
            result.error = "too many redirects"
    except Refused as e:
        result.error = str(e)
    except requests.Timeout:
        result.error = "timeout"
    except requests.RequestException as e:
        result.error = "request failed: " + e.__class__.__name__
    return result


def inspect_content(response: requests.Response, max_bytes: int) -> dict[str, Any]:
    body = b""
    truncated = False
    for chunk in response.iter_content(65536):
        body += chunk
        if len(body) > max_bytes:
            truncated = True
            break
    if truncated:
        return {"truncated": True, "bytes": len(body), "parsed": {}}
    return {"truncated": False, "bytes": len(body), "parsed": parse_all(body)}


def parse_all(body: bytes) -> dict[str, Optional[str]]:
    """For each of csv, json and xml: None when the body parses, else the
    error."""
    return {"csv": _parse_csv(body), "json": _parse_json(body), "xml": _parse_xml(body)}


def _text(body: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1256", "latin-1"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1")


def _parse_csv(body: bytes) -> Optional[str]:
    text = _text(body)
    if not text.strip():
        return "empty file"
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        return "an HTML page, not a table"
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(text), dialect) if row]
    except csv.Error as e:
        return str(e)
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        return f"rows have {min(widths)} to {max(widths)} columns"
    return None


def _parse_json(body: bytes) -> Optional[str]:
    try:
        json.loads(_text(body))
    except ValueError as e:
        return str(e)[:200]
    return None


def _parse_xml(body: bytes) -> Optional[str]:
    if b"<!ENTITY" in body[:65536]:
        return "entity declarations refused"
    try:
        ElementTree.fromstring(body)
    except ElementTree.ParseError as e:
        return str(e)[:200]
    return None


def syntax_of(content: Optional[dict], format_code: Optional[str]) -> tuple[Optional[bool], Optional[str]]:
    """Whether the fetched file parses as its declared format (None when
    the format is not parseable or the file was too large)."""
    family = {"CSV": "csv", "TSV": "csv", "JSON": "json", "GEOJSON": "json", "JSON_LD": "json",
              "XML": "xml", "RDF_XML": "xml", "KML": "xml"}.get(format_code or "")
    if not content or not family or content.get("truncated"):
        return None, None
    error = (content.get("parsed") or {}).get(family, "not parsed")
    return error is None, error


def check_urls(urls: Iterable[str], content_urls: Iterable[str] = (), concurrency: Optional[int] = None,
               progress=None) -> dict[str, UrlResult]:
    """Check each URL once, ``concurrency`` at a time; ``content_urls``
    are fetched with GET and their content parsed."""
    wanted = dict.fromkeys(urls)
    with_content = set(content_urls)
    wanted.update(dict.fromkeys(with_content))
    workers = concurrency or int(tk.config.get("ckanext.odassessment.http.concurrency"))
    results: dict[str, UrlResult] = {}
    if not wanted:
        return results
    timeout, max_bytes = _timeout(), _max_bytes()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(check_url, url, url in with_content, timeout, max_bytes): url
                   for url in wanted}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()
            if progress:
                progress(1)
    return results

