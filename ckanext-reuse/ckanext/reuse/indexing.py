"""Reuses in Solr: private fields stripped, linked datasets and themes
indexed, ``num_reuses`` on datasets, reuses kept out of dataset searches."""
from __future__ import annotations

import json
from typing import Any, Optional

from ckan import model
from ckan.types import Context

from ckanext.reuse import utils

MODERATOR_LABEL = "reuse-moderator"


def reuse_labels(pkg: model.Package) -> list[str]:
    """Approved reuses are public; others readable by submitter, org, moderators."""
    if pkg.state == "active" and pkg.extras.get("moderation_state") == "approved":
        return ["public"]
    labels = [MODERATOR_LABEL, "creator-%s" % pkg.creator_user_id]
    if pkg.owner_org:
        labels.append("member-%s" % pkg.owner_org)
    return labels


def private_fields_for_viewer(context: Context, pkg_dict: dict[str, Any]) -> None:
    """Submitter name/email only for the submitter and moderators (read from
    the database: the Solr copy never holds them)."""
    pkg = model.Package.get(pkg_dict.get("id") or "")
    allowed = pkg is not None and (
        context.get("reuse_internal")
        or utils.can_see_private_fields(context.get("user"), pkg))
    for key in utils.PRIVATE_FIELDS:
        if allowed and pkg is not None and pkg.extras.get(key):
            pkg_dict[key] = pkg.extras[key]
        else:
            pkg_dict.pop(key, None)


def _strip_json(document: dict[str, Any], key: str) -> None:
    if not document.get(key):
        return
    data = json.loads(document[key])
    for field in utils.PRIVATE_FIELDS:
        data.pop(field, None)
    data["extras"] = [e for e in data.get("extras") or []
                      if e.get("key") not in utils.PRIVATE_FIELDS]
    document[key] = json.dumps(data)


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value.startswith("["):
        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            return []
    return [value] if value else []


def _index_reuse(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    for field in utils.PRIVATE_FIELDS:
        pkg_dict.pop(field, None)
        pkg_dict.pop("extras_" + field, None)
    _strip_json(pkg_dict, "data_dict")
    _strip_json(pkg_dict, "validated_data_dict")
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    pkg_dict["vocab_reuse_datasets"] = _list(validated.get("dataset_ids"))
    pkg_dict["vocab_reuse_themes"] = _list(validated.get("themes"))
    pkg_dict.pop("dataset_ids", None)
    pkg_dict.pop("extras_dataset_ids", None)
    # organisations' dataset counts facet on owner_org/organization: a reuse
    # answers to its own names so it is never counted as a dataset
    pkg_dict["reuse_owner_org"] = pkg_dict.pop("owner_org", None)
    pkg_dict["reuse_organization"] = pkg_dict.pop("organization", None)
    pkg_dict["moderation_state"] = validated.get("moderation_state") or "draft"
    pkg_dict["featured"] = str(bool(validated.get("featured"))).lower()
    pkg_dict["archived"] = str(bool(validated.get("archived"))).lower()
    # a string field sorts numbers written with the same number of digits
    pkg_dict["reuse_num_datasets"] = "%06d" % len(pkg_dict["vocab_reuse_datasets"])
    pkg_dict["vocab_reuse_dataset_orgs"] = _dataset_orgs(pkg_dict["vocab_reuse_datasets"])
    pkg_dict["vocab_reuse_badges"] = _list(validated.get("badges"))
    from ckanext.reuse.model.reuse import ReuseLinkCheck
    pkg_dict["reuse_link_status"] = ReuseLinkCheck.status_of(pkg_dict["id"]) or "unchecked"
    if validated.get("approved_at"):
        pkg_dict["reuse_approved_month"] = str(validated["approved_at"])[:7]
    return pkg_dict


def _dataset_orgs(dataset_ids: list[str]) -> list[str]:
    """Organisations of the linked datasets (one query)."""
    if not dataset_ids:
        return []
    rows = model.Session.query(model.Package.owner_org).filter(
        model.Package.id.in_(dataset_ids), model.Package.owner_org.isnot(None)).distinct()
    return [row[0] for row in rows]


def _reuses_linking(dataset_id: str) -> list[tuple[str, Optional[str]]]:
    """(id, moderation state) of the active reuses linking the dataset, read
    in the database (one query): the result does not depend on what Solr
    already holds, so a rebuild may index datasets and reuses in any order."""
    extras = model.Package.extras
    return model.Session.query(model.Package.id, extras["moderation_state"].astext).filter(
        model.Package.type == "reuse",
        model.Package.state == "active",
        extras["dataset_ids"].astext.contains('"%s"' % dataset_id),
    ).all()


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    if pkg_dict.get("dataset_type") == "reuse" or pkg_dict.get("type") == "reuse":
        return _index_reuse(pkg_dict)
    linking = _reuses_linking(pkg_dict["id"])
    # approved reuses count; every linking reuse lists the dataset, so
    # "datasets of this reuse" is one filter whatever their number
    pkg_dict["num_reuses"] = sum(1 for _id, state in linking if state == "approved")
    pkg_dict["vocab_reuse_links"] = [reuse_id for reuse_id, _state in linking]
    return pkg_dict


def before_dataset_search(search_params: dict[str, Any]) -> dict[str, Any]:
    """Searches that name no dataset type leave reuses out."""
    fq = search_params.get("fq") or ""
    if "dataset_type:" not in fq:
        search_params["fq"] = fq + " -dataset_type:reuse"
    return search_params
