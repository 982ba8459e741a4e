"""Publishers of harvested datasets mapped to the portal's organisations,
following the source's ``organization_policy`` (see :mod:`sources`)."""
from __future__ import annotations

import logging
import unicodedata
from typing import Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.munge import munge_title_to_name

from ckanext.opengov import slugs

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return " ".join(text.split())


def _org_titles(group: model.Group) -> set[str]:
    titles = {_key(group.title), _key(group.name)}
    translated = (group.extras or {}).get("title_translated")
    if translated:
        import json
        try:
            values = json.loads(translated) if isinstance(translated, str) else translated
            titles |= {_key(v) for v in values.values() if v}
        except (ValueError, AttributeError):
            pass
    return titles


def publisher_slug(name: str) -> Optional[str]:
    if slugs.has_arabic(name):
        return slugs.arabic_slug(name)
    slug = munge_title_to_name(name or "")[:100].strip("-_")
    return slug if len(slug) >= 2 else None


class OrganizationMapper:
    """Per gather: publisher (name, URI) -> organisation id."""

    def __init__(self, policy: str, source_org: Optional[str], user: str, language: str):
        self.policy = policy
        self.source_org = source_org
        self.user = user
        self.language = language
        self._cache: dict[tuple, Optional[str]] = {}
        self._orgs: Optional[list[model.Group]] = None

    def organization_for(self, publisher_name: Optional[str], publisher_uri: Optional[str] = None) -> Optional[str]:
        if self.policy == "source" or not (publisher_name or publisher_uri):
            return self.source_org
        key = (publisher_name, publisher_uri)
        if key not in self._cache:
            found = self._match(publisher_name, publisher_uri)
            if found is None and self.policy == "create" and publisher_name:
                found = self._create(publisher_name, publisher_uri)
            self._cache[key] = found or self.source_org
        return self._cache[key]

    def _all(self) -> list[model.Group]:
        if self._orgs is None:
            self._orgs = (model.Session.query(model.Group)
                          .filter(model.Group.is_organization == True)  # noqa: E712
                          .filter(model.Group.state == "active").all())
        return self._orgs

    def _match(self, name: Optional[str], uri: Optional[str]) -> Optional[str]:
        wanted = _key(name) if name else None
        slug = publisher_slug(name) if name else None
        for group in self._all():
            extras = group.extras or {}
            if uri and uri in (extras.get("uri"), extras.get("url"), group.image_url):
                return group.id
            if wanted and (wanted in _org_titles(group) or group.name == slug):
                return group.id
        return None

    def _create(self, name: str, uri: Optional[str]) -> Optional[str]:
        slug = publisher_slug(name)
        if not slug:
            return None
        language = "ar" if slugs.has_arabic(name) else self.language
        context = {"user": self.user, "ignore_auth": True, "opengov_harvested": True}
        try:
            org = tk.get_action("organization_create")(context, {
                "name": slug, "title": name, "title_translated": {language: name},
            })
        except tk.ValidationError as error:
            log.warning("Organisation for publisher %r not created: %s", name, error.error_summary)
            return None
        self._orgs = None
        return org["id"]
