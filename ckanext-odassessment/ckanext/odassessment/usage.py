"""Usage counting: dataset page views and resource downloads, recorded when
the page or the download route answers (CKAN's ``request_finished``
signal), once per visitor, target and day, bots left out by user agent.

A download is the resource download route: it serves uploaded files and
redirects to a link's address, and the portal's download buttons point at it
(``odassessment_download_url``)."""
from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import re
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import current_user, request

from ckanext.odassessment.model import usage as usage_model

log = logging.getLogger(__name__)

#: Default pattern of user agents that are not counted (case-insensitive).
DEFAULT_BOT_AGENTS = (
    r"bot|crawl|spider|slurp|scrap|archiver|curl|wget|python|java/|go-http|httpclient|"
    r"libwww|headless|phantom|lighthouse|monitor|uptime|pingdom|preview|facebookexternalhit|"
    r"okhttp|axios|node-fetch|feedfetcher|mediapartners|yandex|baiduspider"
)
#: Routes counted: endpoint -> (kind, accepted status codes).
_DOWNLOADED = {200, 301, 302, 303, 307}
COUNTED = {
    "dataset.read": ("view", {200}),
    "dataset_resource.read": ("view", {200}),
    "resource.read": ("view", {200}),
    "dataset_resource.download": ("download", _DOWNLOADED),
    "resource.download": ("download", _DOWNLOADED),
}


@functools.lru_cache(maxsize=8)
def _bot_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def is_bot(user_agent: Optional[str]) -> bool:
    """No user agent, or one matching ``ckanext.odassessment.usage_bot_agents``."""
    if not user_agent or not user_agent.strip():
        return True
    pattern = tk.config.get("ckanext.odassessment.usage_bot_agents") or DEFAULT_BOT_AGENTS
    return bool(_bot_pattern(pattern).search(user_agent))


def visitor_key(user_id: Optional[str], address: Optional[str], user_agent: str) -> str:
    """A salted hash naming the visitor (the user when logged in, else the
    address and browser); no address is stored."""
    secret = tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or ""
    who = f"user:{user_id}" if user_id else f"anon:{address}:{user_agent}"
    return hashlib.sha256(f"{secret}|{who}".encode("utf-8")).hexdigest()


def client_address() -> Optional[str]:
    """The visitor's address: the connection's, or, behind
    ``ckanext.odassessment.trusted_proxies`` reverse proxies, the address
    they added to ``X-Forwarded-For`` (a client cannot forge it)."""
    proxies = int(tk.config.get("ckanext.odassessment.trusted_proxies") or 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.remote_addr


def _is_prefetch() -> bool:
    purpose = (request.headers.get("Purpose") or request.headers.get("Sec-Purpose") or "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


def hit_from_request(response: Any) -> Optional[dict[str, Any]]:
    """What the finished request counts as, or None."""
    counted = COUNTED.get(request.endpoint or "")
    if not counted or request.method != "GET":
        return None
    kind, statuses = counted
    if response is None or response.status_code not in statuses or _is_prefetch():
        return None
    user_agent = request.headers.get("User-Agent", "")
    if is_bot(user_agent):
        return None
    args = request.view_args or {}
    pkg = model.Package.get(args.get("id"))
    if pkg is None or pkg.type != "dataset":
        return None
    resource_id = ""
    if kind == "download":
        resource = model.Resource.get(args.get("resource_id"))
        if resource is None or resource.package_id != pkg.id:
            return None
        resource_id = resource.id
    user_id = getattr(current_user, "id", None) if getattr(current_user, "is_authenticated", False) else None
    return {"kind": kind, "package_id": pkg.id, "organization_id": pkg.owner_org,
            "resource_id": resource_id,
            "visitor": visitor_key(user_id, client_address(), user_agent)}


def on_request_finished(sender: Any, **extra: Any) -> None:
    """``request_finished`` subscriber: count the page view or download."""
    if not tk.config.get("ckanext.odassessment.usage_enabled"):
        return
    try:
        hit = hit_from_request(extra.get("response"))
        if hit:
            usage_model.record_hit(**hit)
    except Exception:  # counting must never break the page
        log.exception("Could not record a usage hit")


def totals(package_id: str) -> dict[str, int]:
    """All-time views and downloads of a dataset."""
    months = usage_model.monthly_counts(package_ids=[package_id])
    return {"views": sum(m["views"] for m in months),
            "downloads": sum(m["downloads"] for m in months)}


def parse_day(value: Any, field: str) -> Optional[datetime.date]:
    """An optional ISO date from an API parameter (field-level error)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise tk.ValidationError({field: [tk._("Expecting a date as YYYY-MM-DD")]})
