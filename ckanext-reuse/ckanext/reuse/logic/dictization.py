"""Turning data request, feedback and report rows into API dicts."""
from __future__ import annotations

import datetime
import json
from typing import Any, Iterable, Optional

from ckan import model


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


def row_dict(obj: Any) -> dict[str, Any]:
    """Every column of a mapped row, dates as ISO strings."""
    return {column.name: iso(getattr(obj, column.name)) for column in obj.__table__.columns}


def _extras_json(obj: Any, key: str) -> Any:
    raw = (getattr(obj, "extras", None) or {}).get(key)
    try:
        return json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None


def _rows(model_class: Any, ids: Iterable[Optional[str]]) -> list[Any]:
    """The rows with these ids, in the order given (unknown ids left out)."""
    ids = [i for i in ids if i]
    if not ids:
        return []
    found = {row.id: row for row in
             model.Session.query(model_class).filter(model_class.id.in_(ids))}
    return [found[i] for i in ids if i in found]


def organization_briefs(ids: Iterable[Optional[str]]) -> list[dict[str, Any]]:
    """id, name, titles of organisations, in the order given."""
    return [{"id": g.id, "name": g.name, "title": g.title, "display_name": g.display_name,
             "title_translated": _extras_json(g, "title_translated")}
            for g in _rows(model.Group, ids)]


def organization_briefs_by_name(names: Iterable[str]) -> list[dict[str, Any]]:
    """The briefs of organisations named (name or id), in the order given."""
    groups = [model.Group.get(name) for name in names]
    return organization_briefs([g.id for g in groups if g is not None and g.is_organization])


def organization_brief(org_id: Optional[str]) -> Optional[dict[str, Any]]:
    return (organization_briefs([org_id]) or [None])[0]


def dataset_briefs(ids: Iterable[Optional[str]]) -> list[dict[str, Any]]:
    """id, name, titles and state of datasets, in the order given."""
    return [{"id": p.id, "name": p.name, "title": p.title, "owner_org": p.owner_org,
             "title_translated": _extras_json(p, "title_translated"), "state": p.state}
            for p in _rows(model.Package, ids)]


def dataset_brief(package_id: Optional[str]) -> Optional[dict[str, Any]]:
    return (dataset_briefs([package_id]) or [None])[0]


def user_brief(user_id: Optional[str]) -> Optional[dict[str, Any]]:
    user = model.User.get(user_id) if user_id else None
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "display_name": user.display_name}


def post_dictize(post: Any) -> dict[str, Any]:
    """A comment or reply; ``official`` when posted on behalf of an organisation."""
    out = row_dict(post)
    out["user"] = user_brief(post.user_id)
    out["organization"] = organization_brief(post.organization_id)
    out["official"] = bool(post.organization_id)
    return out
