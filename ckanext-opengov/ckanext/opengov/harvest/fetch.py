"""Downloading a sectoral portal's catalogue safely.

Every request of the bundle's harvesters goes through :func:`fetch`:

* only ``http``/``https``; no proxy from the environment;
* the address the socket really connects to (after DNS, for every redirect
  hop) must be public: private, loopback, link-local, reserved, multicast
  and unspecified addresses are refused unless listed in
  ``ckanext.opengov.harvest.allowed_private_addresses`` (addresses or
  networks). Checking the connected peer, not a prior DNS answer, also
  defeats DNS rebinding;
* connect and read timeouts, and a total time limit while streaming;
* a size cap (``Content-Length`` and the bytes really read);
* the body decoded with the charset the server declares, else UTF-8;
  anything else is an error, never a crash.

Errors are :class:`FetchError` carrying a :mod:`messages` code, so the
harvesters record them as gather errors an operator can read in their
language.
"""
from __future__ import annotations

import codecs
import ipaddress
import time
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

import ckan.plugins.toolkit as tk

from ckanext.opengov.harvest import messages

USER_AGENT = "ckanext-opengov-harvester/1.0 (+national open data portal)"
CHUNK_SIZE = 256 * 1024
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A download that failed; ``code``/``params`` name the message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(messages.render(code, **params))


@dataclass
class Fetched:
    url: str
    text: str
    content_type: Optional[str]
    status: int


# --------------------------------------------------------------- settings

def _float(key: str, default: float) -> float:
    try:
        return float(tk.config.get(key) or default)
    except (TypeError, ValueError):
        return default


def timeouts() -> tuple[float, float]:
    return (_float("ckanext.opengov.harvest.connect_timeout", 10),
            _float("ckanext.opengov.harvest.read_timeout", 60))


def total_timeout() -> float:
    return _float("ckanext.opengov.harvest.total_timeout", 600)


def max_bytes() -> int:
    return int(_float("ckanext.opengov.harvest.max_response_mb", 50) * 1024 * 1024)


def allowed_networks() -> list:
    """``ckanext.opengov.harvest.allowed_private_addresses`` as networks."""
    value = tk.config.get("ckanext.opengov.harvest.allowed_private_addresses") or ""
    if isinstance(value, (list, tuple)):
        value = " ".join(value)
    networks = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


# ---------------------------------------------------------------- address

def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def address_allowed(address: str) -> bool:
    """A public address, or one the configuration allow-lists."""
    if is_public(address):
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip in network for network in allowed_networks())


class PrivateAddressRefused(NewConnectionError):
    """The socket connected to an address harvesting may not reach."""

    def __init__(self, conn, host: str, address: str):
        self.host = host
        self.address = address
        super().__init__(conn, f"{host} resolves to {address}, a private address")


class _GuardedConnectionMixin:
    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not address_allowed(peer):
            sock.close()
            raise PrivateAddressRefused(self, self.host, peer)
        return sock


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections check the peer address."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}


def session() -> requests.Session:
    """A session that only reaches allowed addresses, with the bundle's
    user agent and no proxy or credentials from the environment."""
    s = requests.Session()
    s.trust_env = False
    s.verify = tk.config.get("ckanext.opengov.harvest.ca_bundle") or True
    s.headers["User-Agent"] = USER_AGENT
    adapter = GuardedAdapter(max_retries=0)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


# ------------------------------------------------------------------ fetch

def check_url(url: str) -> None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_scheme", url=url)


def _refusal(error: BaseException) -> Optional[PrivateAddressRefused]:
    """The PrivateAddressRefused somewhere in a requests error's chain."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, PrivateAddressRefused):
            return error
        nxt = getattr(error, "reason", None)
        if nxt is None and error.args and isinstance(error.args[0], BaseException):
            nxt = error.args[0]
        error = nxt or error.__cause__ or error.__context__
    return None


def _charset(content_type: str) -> Optional[str]:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"\'')
    return None


def decode(body: bytes, content_type: str, url: str) -> str:
    """The body as text: declared charset, else UTF-8 (BOM dropped)."""
    declared = _charset(content_type)
    encoding = declared or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FetchError("unknown_charset", url=url, charset=declared)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise FetchError("not_utf8" if not declared else "bad_charset", url=url,
                         charset=encoding, position=error.start)
    return text.lstrip("\ufeff")


def _read(response: requests.Response, url: str, limit: int, deadline: float) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise FetchError("too_big", url=url, limit_mb=limit // (1024 * 1024))
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise FetchError("too_big", url=url, limit_mb=limit // (1024 * 1024))
        if time.monotonic() > deadline:
            raise FetchError("timeout", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, http: Optional[requests.Session] = None, params: Optional[dict] = None) -> Fetched:
    """GET ``url`` under the rules above (redirects followed and checked)."""
    http = http or session()
    deadline = time.monotonic() + total_timeout()
    limit = max_bytes()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(current)
        try:
            response = http.get(current, params=params, stream=True, timeout=timeouts(),
                                allow_redirects=False)
        except requests.exceptions.ConnectTimeout:
            raise FetchError("connect_timeout", url=current)
        except requests.exceptions.ReadTimeout:
            raise FetchError("timeout", url=current)
        except requests.exceptions.SSLError as error:
            raise FetchError("tls", url=current, reason=_short(error))
        except requests.exceptions.ConnectionError as error:
            refused = _refusal(error)
            if refused is not None:
                raise FetchError("private_address", url=current, address=refused.address)
            raise FetchError("unreachable", url=current, reason=_short(error))
        except requests.exceptions.RequestException as error:
            raise FetchError("unreachable", url=current, reason=_short(error))
        with response:
            if response.is_redirect and response.headers.get("Location"):
                target = urljoin(current, response.headers["Location"])
                if urlsplit(target).netloc != urlsplit(current).netloc:
                    http.headers.pop("Authorization", None)  # credentials stay with their host
                current, params = target, None
                continue
            if response.status_code >= 400:
                raise FetchError("http_status", url=current, status=response.status_code,
                                 reason=response.reason or "")
            try:
                body = _read(response, current, limit, deadline)
            except requests.exceptions.RequestException as error:
                if isinstance(error, requests.exceptions.ConnectionError) and "timed out" in str(error):
                    raise FetchError("timeout", url=current)
                raise FetchError("unreachable", url=current, reason=_short(error))
            content_type = response.headers.get("Content-Type") or ""
            return Fetched(current, decode(body, content_type, current),
                           content_type.split(";", 1)[0].strip().lower() or None,
                           response.status_code)
    raise FetchError("too_many_redirects", url=url)


def _short(error: BaseException) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:297] + "..."


__all__ = ["fetch", "FetchError", "Fetched", "session", "address_allowed", "is_public",
           "check_url", "decode"]
