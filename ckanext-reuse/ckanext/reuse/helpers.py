"""Template helpers of the reuse showcase (registered with @tk.blanket.helpers)."""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.reuse import utils

__all__ = [
    "reuse_image_display_url", "reuse_json_ld", "reuse_choice_label", "reuse_field",
    "reuse_dataset_count", "reuse_organization_count", "reuse_featured",
    "reuse_can_edit", "reuse_is_moderator", "reuse_is_dataset_publisher",
    "reuse_facet_titles", "reuse_sorts", "reuse_state_label", "reuse_text",
]

#: Gallery facets and their titles.
GALLERY_FACETS = ("reuse_type", "vocab_reuse_themes", "reuse_organization", "event", "featured")


def _user() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def _ctx() -> dict[str, Any]:
    return {"user": _user()}


def reuse_text(value: Any) -> str:
    """A multilingual value in the UI language (opengov's fallback order)."""
    return tk.h.fluent_language_text(value) if value else ""


def reuse_image_display_url(reuse: dict[str, Any]) -> str:
    """The reuse image: its URL, or where its uploaded file is served."""
    image = reuse.get("image_url") or ""
    if not image or "://" in image:
        return image
    return tk.h.url_for_static("uploads/reuse/%s" % image, qualified=True)


def reuse_field(name: str) -> dict[str, Any]:
    """The scheming field of the reuse schema named ``name``."""
    schema = tk.h.scheming_get_dataset_schema("reuse") or {}
    return next((f for f in schema.get("dataset_fields", []) if f["field_name"] == name), {})


def reuse_choice_label(name: str, value: Any) -> str:
    """The label, in the UI language, of a choice of a reuse field."""
    field = reuse_field(name)
    if field.get("choices_helper"):
        choices = tk.h.scheming_field_choices(field) or []
    else:
        choices = field.get("choices") or []
    for choice in choices:
        if choice.get("value") == value:
            return tk.h.scheming_language_text(choice.get("label"))
    return str(value)


def reuse_state_label(state: Optional[str]) -> str:
    labels = {"draft": tk._("Draft"), "pending": tk._("Awaiting moderation"),
              "approved": tk._("Approved"), "needs_revision": tk._("Needs revision"),
              "rejected": tk._("Rejected")}
    return labels.get(state or "draft", state or "")


def reuse_facet_titles() -> dict[str, str]:
    return {"reuse_type": tk._("Reuse type"), "vocab_reuse_themes": tk._("Themes"),
            "reuse_organization": tk._("Organisations"), "event": tk._("Events"),
            "featured": tk._("Featured")}


def facet_label(facet: str, value: str) -> str:
    """What a gallery facet item shows, in the UI language."""
    if facet == "reuse_organization":
        return tk.h.opengov_group_title(value) or value
    if facet == "featured":
        return tk._("Featured") if value == "true" else tk._("Not featured")
    if facet in ("reuse_type", "vocab_reuse_themes"):
        return reuse_choice_label("themes" if facet == "vocab_reuse_themes" else facet, value)
    return value


def reuse_sorts() -> list[tuple[str, str]]:
    return [(tk._("Newest"), "newest"), (tk._("Most datasets"), "datasets"),
            (tk._("Featured first"), "featured")]


def reuse_dataset_count(dataset_id: str) -> int:
    """Reuses of a dataset the user may see (one Solr query)."""
    try:
        return tk.get_action("dataset_reuse_list")(_ctx(), {"id": dataset_id, "rows": 0})["count"]
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return 0


def reuse_organization_count(org_id: str) -> int:
    """Approved reuses an organisation owns or whose datasets they use."""
    return tk.get_action("reuse_search")(_ctx(), {
        "fq": '+moderation_state:approved +(reuse_owner_org:"{0}" OR vocab_reuse_dataset_orgs:"{0}")'
        .format(org_id), "rows": 0, "facet": "false"})["count"]


def reuse_featured(limit: int = 3) -> list[dict[str, Any]]:
    """Featured, approved, not archived reuses, newest first."""
    return tk.get_action("reuse_search")(_ctx(), {
        "fq": "+featured:true -archived:true +moderation_state:approved",
        "sort": "newest", "rows": limit})["results"]


def reuse_can_edit(reuse: dict[str, Any]) -> bool:
    return tk.h.check_access("reuse_update", {"id": reuse["id"]})


def reuse_is_moderator() -> bool:
    return utils.is_moderator(_user())


def reuse_is_dataset_publisher(dataset_id: str) -> bool:
    dataset = model.Package.get(dataset_id)
    return bool(dataset and utils.is_dataset_publisher(_user(), dataset))


def reuse_json_ld(reuse: dict[str, Any]) -> str:
    """schema.org CreativeWork of a reuse, safe inside a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "CreativeWork",
        "name": reuse_text(reuse.get("title_translated")) or reuse.get("title"),
        "description": reuse_text(reuse.get("notes_translated")) or reuse.get("notes"),
        "url": tk.h.url_for("reuse.read", id=reuse["name"], qualified=True),
        "sameAs": reuse.get("url"),
        "genre": reuse_choice_label("reuse_type", reuse.get("reuse_type")),
        "keywords": [k for tags in (reuse.get("keywords") or {}).values() for k in tags]
        if isinstance(reuse.get("keywords"), dict) else [],
        "inLanguage": reuse.get("languages") or [],
        "dateCreated": reuse.get("launch_date"),
        "dateModified": reuse.get("metadata_modified"),
        "image": reuse_image_display_url(reuse) or None,
        "isBasedOn": [tk.h.url_for("dataset.read", id=i, qualified=True)
                      for i in reuse.get("dataset_ids") or []],
    }
    if reuse.get("organization"):
        data["publisher"] = {"@type": "Organization",
                             "name": reuse["organization"].get("title")}
    if reuse.get("event"):
        data["recordedAt"] = {"@type": "Event", "name": reuse["event"]}
    data = {k: v for k, v in data.items() if v not in (None, [], "")}
    return (json.dumps(data, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# data requests, feedback and moderation (issue 6): their own module
from ckanext.reuse.datarequest_helpers import *  # noqa: E402,F401,F403
from ckanext.reuse import datarequest_helpers as _datarequest_helpers  # noqa: E402

__all__ += _datarequest_helpers.__all__
