"""``ckan reuse check-links``: is every reuse link still alive?

Links are requested a few at a time (``ckanext.reuse.check_links.concurrency``)
with a timeout (``…timeout``). A link (or a redirect) to a private, loopback,
link-local or reserved address is refused without any request unless its host
or network is in ``ckanext.reuse.check_links.allowed_hosts``. Each result is
recorded in ``reuse_link_check``; dead links show in the moderation queue."""
from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional
from urllib.parse import urljoin, urlparse

import requests

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search

from ckanext.reuse.model.reuse import ReuseLinkCheck

#: Redirects followed (each hop checked like the first URL).
MAX_REDIRECTS = 5
USER_AGENT = "ckanext-reuse link checker"


@dataclass
class Outcome:
    status: str
    http_status: Optional[int] = None
    error: Optional[str] = None


class Refused(Exception):
    """The URL may not be requested from the portal."""


class AllowList:
    """Host names and networks of private addresses that may be requested."""

    def __init__(self, entries: Iterable[str] | str) -> None:
        self.hosts: set[str] = set()
        self.networks: list[ipaddress._BaseNetwork] = []
        for entry in entries.split() if isinstance(entries, str) else entries:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.lower())

    def allows(self, host: str, address: ipaddress._BaseAddress) -> bool:
        return host.lower() in self.hosts or any(address in net for net in self.networks)


def _public(address: ipaddress._BaseAddress) -> bool:
    return not (address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified)


def check_target(url: str, allowed: AllowList) -> None:
    """Raise Refused unless the URL is http(s) to public (or allowed) addresses."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise Refused("only http and https links are checked")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectionError(str(error))
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not _public(address) and not allowed.allows(parsed.hostname, address):
            raise Refused("private address %s is not allowed" % address)


def check_url(url: str, allowed: AllowList, timeout: float) -> Outcome:
    """Request the URL (GET, streamed, body not read), following redirects
    by hand so each hop is checked. Runs in worker threads: no request
    context, so messages are plain (they are records, not UI text)."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            check_target(url, allowed)
            with session.get(url, timeout=timeout, allow_redirects=False, stream=True,
                             headers={"User-Agent": USER_AGENT}) as response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                ok = response.status_code < 400
                return Outcome("ok" if ok else "dead", response.status_code)
        return Outcome("dead", None, "too many redirects")
    except Refused as error:
        return Outcome("refused", None, str(error))
    except (requests.RequestException, ConnectionError, OSError) as error:
        return Outcome("dead", None, type(error).__name__ + ": " + str(error)[:300])
    finally:
        session.close()


def reuses_to_check(only: Optional[list[str]] = None) -> list[tuple[str, str]]:
    """(id, url) of the active reuses, or of the named ones."""
    query = model.Session.query(model.Package.id, model.Package.url).filter(
        model.Package.type == "reuse", model.Package.state == "active",
        model.Package.url.isnot(None), model.Package.url != "")
    if only:
        query = query.filter(model.Package.id.in_(only) | model.Package.name.in_(only))
    return [(row.id, row.url) for row in query.order_by(model.Package.name)]


def check_all(links: list[tuple[str, str]],
              progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Check the links with bounded concurrency and record each result."""
    config = tk.config
    allowed = AllowList(config.get("ckanext.reuse.check_links.allowed_hosts") or [])
    timeout = float(config.get("ckanext.reuse.check_links.timeout"))
    workers = max(1, int(config.get("ckanext.reuse.check_links.concurrency")))
    counts = {"ok": 0, "dead": 0, "refused": 0}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for reuse_id, url, outcome in _results(pool, links, allowed, timeout):
            changed = ReuseLinkCheck.record(reuse_id, url, outcome.status,
                                            outcome.http_status, outcome.error)
            model.Session.commit()
            if changed:  # the moderation queue reads the status from Solr
                search.rebuild(reuse_id)
            counts[outcome.status] += 1
            progress(1)
    return counts


def _results(pool: ThreadPoolExecutor, links: list[tuple[str, str]], allowed: AllowList,
             timeout: float) -> Iterator[tuple[str, str, Outcome]]:
    futures: list[tuple[str, str, Future]] = [
        (reuse_id, url, pool.submit(check_url, url, allowed, timeout)) for reuse_id, url in links]
    for reuse_id, url, future in futures:
        yield reuse_id, url, future.result()
