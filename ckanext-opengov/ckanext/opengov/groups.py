"""Titles and descriptions of organisations and groups in the UI language.

CKAN's lists, breadcrumbs and facets print ``display_name``/``title`` of
dictized groups, which scheming's output validators never see (ckan#7448),
so an Arabic page shows the core (French) title. The portal reads the
multilingual ``title_translated``/``description_translated`` of every group
and organisation with ONE query per request, kept in the request's WSGI
environ (a new request sees an edited or renamed organisation at once), and
picks the text with the datasets' fallback rule
(``helpers.fluent_language_pick``).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import flask
from markupsafe import Markup, escape

from ckanext.opengov import helpers, languages

#: Where a request keeps the texts it has read (its WSGI environ).
_ENVIRON_KEY = "ckanext.opengov.group_texts"
#: Core field -> multilingual field written by ``fluent_core_translated``.
_TRANSLATED = {"title": "title_translated", "description": "description_translated"}


# lookup ----------------------------------------------------------------------

def group_texts() -> dict[str, dict[str, Any]]:
    """Name and id of every group and organisation -> its ``name``, core
    ``title``/``description`` and raw ``title_translated``/
    ``description_translated``. Read once per request."""
    if not flask.has_request_context():
        return _load()
    environ = flask.request.environ
    if _ENVIRON_KEY not in environ:
        environ[_ENVIRON_KEY] = _load()
    return environ[_ENVIRON_KEY]


def forget() -> None:
    """Drop the current request's texts (after an edit in the same request)."""
    if flask.has_request_context():
        flask.request.environ.pop(_ENVIRON_KEY, None)


def _load() -> dict[str, dict[str, Any]]:
    from ckan import model

    rows = model.Session.query(
        model.Group.id, model.Group.name, model.Group.title,
        model.Group.description, model.Group.extras,
    ).all()
    texts: dict[str, dict[str, Any]] = {}
    for group_id, name, title, description, extras in rows:
        extras = extras if isinstance(extras, Mapping) else {}
        entry = {"name": name, "title": title, "description": description,
                 **{field: extras.get(field) for field in _TRANSLATED.values()}}
        texts[group_id] = entry
        texts[name] = entry
    return texts


def _entry(group: Any, texts: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """What is known of a group given as a dict, a name or an id: the dict's
    own values over the stored ones."""
    if isinstance(group, Mapping) and not languages.is_empty(group.get("title_translated")):
        return dict(group)  # a scheming-validated dict: nothing to look up
    texts = group_texts() if texts is None else texts
    if isinstance(group, Mapping):
        stored = {}
        for key in ("name", "id"):
            if group.get(key):
                stored = texts.get(group[key]) or stored
                if stored:
                    break
        own = {k: v for k, v in group.items() if not languages.is_empty(v)}
        return {**stored, **own}
    if isinstance(group, str) and group:
        return texts.get(group) or {"name": group}
    return {}


# display ---------------------------------------------------------------------

def pick(group: Any, field: str = "title", prefer_lang: Optional[str] = None,
         texts: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """``{"lang", "dir", "text"}`` of a group's ``title`` or ``description``
    in the UI language (fallback over non-empty languages); the core value
    (``lang`` None) when no language has text; for titles, the name last so
    that a title is never blank."""
    entry = _entry(group, texts)
    shown = helpers.fluent_language_pick(entry.get(_TRANSLATED[field]) or {}, prefer_lang)
    if not shown["text"]:
        core = entry.get(field) or (entry.get("display_name") if field == "title" else "")
        if field == "title":
            core = core or entry.get("name") or (group if isinstance(group, str) else "")
        shown = {"lang": None, "dir": "auto", "text": core or ""}
    return shown


def text(group: Any, field: str = "title", prefer_lang: Optional[str] = None) -> str:
    """The shown text of ``pick``."""
    return pick(group, field, prefer_lang)["text"]


def lang_attrs(shown: Mapping[str, Any]) -> Markup:
    """`` lang="fr" dir="ltr"`` when the shown text is not in the UI
    language; empty otherwise (the page's own lang/dir apply)."""
    lang = shown.get("lang") if isinstance(shown, Mapping) else None
    ui = (helpers._ui_language() or "").replace("_", "-").split("-")[0].lower()
    if not lang or lang.split("-")[0] == ui:
        return Markup("")
    direction = shown.get("dir") or helpers.fluent_language_dir(lang)
    return Markup(' lang="{}" dir="{}"').format(escape(lang), escape(direction))


# search facets ---------------------------------------------------------------

#: Facet fields whose item names are group/organisation names.
GROUP_FACETS = ("organization", "groups")


def relabel_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Organisation and group facet items labelled with their title in the
    UI language (``display_name``), read with one query."""
    facets = search_results.get("search_facets") or {}
    items = [item for field in GROUP_FACETS
             for item in (facets.get(field) or {}).get("items", [])]
    texts = group_texts() if items else {}
    for item in items:
        if item.get("name") in texts:
            label = pick(item["name"], texts=texts)["text"]
            if label:
                item["display_name"] = label
    return search_results
