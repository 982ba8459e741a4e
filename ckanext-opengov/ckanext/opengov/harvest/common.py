"""What both harvesters of the bundle (DCAT RDF and CKAN) share: which
dataset a source owns, the per-dataset lock, the withdrawal guard and the
"nothing changed" test.

Ownership is per source: a source finds its datasets through its own
harvest objects (``harvest_source_id`` + ``guid``), never through a guid
alone, so one source can never update, withdraw or reactivate another
source's dataset (ckanext-harvest #162), and a dataset whose ``guid`` extra
was lost in a web edit is still found (scheming #408).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from ckan import model

from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectExtra, HarvestSource

from ckanext.opengov.harvest import messages
from ckanext.opengov.harvest.sources import SourceSettings, set_config_key

#: Keys left out when deciding whether a harvested dataset changed: the
#: name is chosen by the portal (kept on update) and the id is local.
VOLATILE_KEYS = ("name", "id")


# -------------------------------------------------------------- ownership

def owned_package(source_id: str, guid: str) -> Optional[model.Package]:
    """The dataset (any state) this source harvested under ``guid``: through
    the source's harvest objects, else (history cleared) through the
    dataset's own ``harvest_source`` and ``guid`` fields."""
    row = (model.Session.query(HarvestObject.package_id)
           .filter(HarvestObject.harvest_source_id == source_id)
           .filter(HarvestObject.guid == guid)
           .filter(HarvestObject.package_id.isnot(None))
           .join(model.Package, model.Package.id == HarvestObject.package_id)
           .order_by(HarvestObject.gathered.desc())
           .first())
    if row:
        return model.Package.get(row[0])
    return (model.Session.query(model.Package)
            .filter(model.Package.extras["harvest_source"].astext == source_id)
            .filter(model.Package.extras["guid"].astext == guid)
            .order_by(model.Package.state)  # active before deleted
            .first())


def owns(source_id: str, package: model.Package) -> bool:
    return (source_id in package_sources(package.id)
            or (package.extras or {}).get("harvest_source") == source_id)


def package_sources(package_id: str) -> list[str]:
    rows = (model.Session.query(HarvestObject.harvest_source_id)
            .filter(HarvestObject.package_id == package_id).distinct().all())
    return [r[0] for r in rows]


def foreign_package(guid: str, source_id: str, package_id: Optional[str] = None) -> Optional[model.Package]:
    """A dataset of the portal with this guid (or id) that this source
    does not own: harvested by another source or created by hand."""
    query = model.Session.query(model.Package).filter(model.Package.state != "deleted")
    if package_id:
        candidates = query.filter(model.Package.id == package_id).all()
    else:
        candidates = query.filter(model.Package.extras["guid"].astext == guid).all()
    for package in candidates:
        if not owns(source_id, package):
            return package
    return None


def lock(source_id: str, guid: str) -> None:
    """Serialise the imports of one (source, guid) across fetch consumers
    until the transaction ends (the first commit of package_create)."""
    key = f"opengov-harvest:{source_id}:{guid}"
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                          {"key": key})


def previous_current(source_id: str, guid: str, exclude_id: str) -> Optional[HarvestObject]:
    return (model.Session.query(HarvestObject)
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.guid == guid)
            .filter(HarvestObject.current == True)  # noqa: E712
            .filter(HarvestObject.id != exclude_id)
            .order_by(HarvestObject.gathered.desc())
            .first())


def make_current(obj: HarvestObject) -> None:
    """This object becomes the current one of its guid in its source only."""
    (model.Session.query(HarvestObject)
     .filter(HarvestObject.harvest_source_id == obj.harvest_source_id)
     .filter(HarvestObject.guid == obj.guid)
     .filter(HarvestObject.id != obj.id)
     .update({"current": False}, synchronize_session=False))
    obj.current = True
    obj.add()


# --------------------------------------------------------------- changes

def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def content_hash(content: Optional[str]) -> Optional[str]:
    """A hash of a harvested dict that ignores list order (RDF has none)
    and the portal-chosen name."""
    if not content:
        return None
    try:
        data = json.loads(content)
    except ValueError:
        return None
    text = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unchanged(obj: HarvestObject, previous: Optional[HarvestObject], package: Optional[model.Package]) -> bool:
    """Same content as the source's previous harvest of an active dataset."""
    return bool(previous is not None and package is not None and package.state == "active"
                and previous.package_id == package.id
                and content_hash(previous.content) == content_hash(obj.content))


# ------------------------------------------------------------ withdrawal

def current_guids(source_id: str) -> dict[str, str]:
    """guid -> package id of the source's current, active datasets (its
    current harvest objects, plus its datasets whose history was cleared)."""
    rows = (model.Session.query(HarvestObject.guid, HarvestObject.package_id)
            .join(model.Package, model.Package.id == HarvestObject.package_id)
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.current == True)  # noqa: E712
            .filter(model.Package.state == "active")
            .all())
    found = {guid: package_id for guid, package_id in rows}
    marked = (model.Session.query(model.Package.extras["guid"].astext, model.Package.id)
              .filter(model.Package.extras["harvest_source"].astext == source_id)
              .filter(model.Package.state == "active").all())
    for guid, package_id in marked:
        if guid and package_id not in found.values():
            found.setdefault(guid, package_id)
    return found


def withdrawal_refusal(source: HarvestSource, settings: SourceSettings, seen: int,
                       previous: int) -> Optional[str]:
    """The error message refusing a job whose catalogue is empty or shrank
    beyond the source's ``max_shrink``, None when it may proceed."""
    if previous == 0 or settings.allow_withdrawal:
        return None
    name = _source_name(source)
    if seen == 0:
        return messages.render("empty_catalogue", previous=previous, source=name)
    gone = (previous - seen) / previous
    if gone > settings.max_shrink:
        return messages.render("shrunk_catalogue", previous=previous, current=seen,
                               percent=int(round(settings.max_shrink * 100)), source=name)
    return None


def _source_name(source: HarvestSource) -> str:
    package = model.Package.get(source.id)
    return package.name if package else source.id


def withdrawal_objects(job: Any, guids_seen: Iterable[str]) -> list[str]:
    """One ``status=delete`` harvest object per dataset of this source that
    the complete catalogue no longer lists; the one-shot override is used up."""
    seen = set(guids_seen)
    ids = []
    for guid, package_id in current_guids(job.source.id).items():
        if guid in seen:
            continue
        (model.Session.query(HarvestObject)
         .filter(HarvestObject.harvest_source_id == job.source.id)
         .filter(HarvestObject.guid == guid)
         .update({"current": False}, synchronize_session=False))
        obj = HarvestObject(guid=guid, job=job, package_id=package_id,
                            extras=[HarvestObjectExtra(key="status", value="delete")])
        obj.save()
        ids.append(obj.id)
    consume_override(job.source)
    return ids


def consume_override(source: HarvestSource) -> None:
    if SourceSettings.from_config(source.config).allow_withdrawal:
        set_config_key(source, "allow_withdrawal", None)
        source.save()


def gather_error(job: Any, message: str) -> None:
    HarvestGatherError(message=message, job=job).save()


def discard_objects(object_ids: Iterable[str]) -> None:
    """Drop harvest objects created by a gather that then failed, so no
    WAITING object is left for ``harvester run`` to resubmit."""
    ids = list(object_ids)
    if ids:
        model.Session.query(HarvestObjectExtra).filter(HarvestObjectExtra.harvest_object_id.in_(ids)) \
            .delete(synchronize_session=False)
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(ids)).delete(synchronize_session=False)
        model.Session.commit()
