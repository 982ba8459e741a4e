"""Demo content of the reuse plugin (``ckan reuse demo-load``): reuses,
data requests and a feedback thread on the demo datasets of ``ckan opengov
demo-load``. Everything goes through the Action API, as the site user (a
moderator) or as the demo users who post it, and is created only when
missing: loading twice changes nothing."""
from __future__ import annotations

import os
import secrets
from typing import Any, Callable, Optional

import yaml

import ckan.plugins.toolkit as tk

DEMO_FILE = os.path.join(os.path.dirname(__file__), "data", "demo.yaml")

REUSE_FIELDS = ("name", "url", "reuse_type", "themes", "platforms", "languages",
                "submitter_type", "event")
REQUEST_FIELDS = ("title", "description", "requester_type", "kind", "dataset_id", "themes",
                  "desired_formats", "organizations")


def demo_content() -> dict[str, Any]:
    with open(DEMO_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _call(action: str, user: str, data: dict[str, Any]) -> Any:
    """Run ``action`` as ``user`` (auth checked; a fresh context each time)."""
    return tk.get_action(action)({"user": user}, data)


# ------------------------------------------------------------------ users

def ensure_user(user: dict[str, Any]) -> bool:
    try:
        tk.get_action("user_show")({"ignore_auth": True}, {"id": user["name"]})
        return False
    except tk.ObjectNotFound:
        tk.get_action("user_create")({"ignore_auth": True, "user": site_user()}, {
            "name": user["name"], "fullname": user["fullname"], "email": user["email"],
            "password": secrets.token_urlsafe(24)})
        return True


# ------------------------------------------------------------------ reuses

def _reuse_exists(name: str) -> bool:
    try:
        _call("reuse_show", site_user(), {"id": name})
        return True
    except tk.ObjectNotFound:
        return False


def ensure_reuse(reuse: dict[str, Any]) -> bool:
    """Submit the reuse (as its submitter, or the site user), link its
    datasets, and unless it has a submitter approve it (and feature it)."""
    if _reuse_exists(reuse["name"]):
        return False
    moderator = site_user()
    author = reuse.get("submitter") or moderator
    data = {k: reuse[k] for k in REUSE_FIELDS if k in reuse}
    data.update(title_translated=reuse["title"], notes_translated=reuse["notes"], submit=True)
    created = _call("reuse_create", author, data)
    for dataset in reuse.get("datasets", []):
        _call("reuse_dataset_add", author, {"id": created["id"], "dataset_id": dataset})
    if reuse.get("submitter"):
        return True
    _call("reuse_moderate", moderator, {"id": created["id"], "moderation_state": "approved"})
    if reuse.get("featured") or reuse.get("badges"):
        _call("reuse_feature", moderator, {"id": created["id"],
                                           "featured": bool(reuse.get("featured")),
                                           "badges": list(reuse.get("badges", []))})
    return True


# ------------------------------------------------------------ data requests

def find_datarequest(title: str) -> Optional[dict[str, Any]]:
    found = _call("datarequest_search", site_user(), {"q": title, "limit": 100})
    return next((r for r in found["results"] if r["title"] == title), None)


def ensure_datarequest(request: dict[str, Any]) -> bool:
    """File the request as its requester, then move it through its statuses,
    post the official answer, the comments and the votes."""
    if find_datarequest(request["title"]):
        return False
    moderator = site_user()
    data = {k: request[k] for k in REQUEST_FIELDS if k in request}
    created = _call("datarequest_create", request["requester"], data)
    for step in request.get("statuses", []):
        _call("datarequest_status_update", moderator, dict(step, id=created["id"]))
    if request.get("official_answer"):
        _call("datarequest_comment_create", moderator, {
            "id": created["id"], "body": request["official_answer"], "official": True})
    for body in request.get("comments", []):
        _call("datarequest_comment_create", request["requester"], {"id": created["id"], "body": body})
    for voter in request.get("voters", []):
        _call("datarequest_vote", voter, {"id": created["id"]})
    return True


# ----------------------------------------------------------------- feedback

def find_feedback(thread: dict[str, Any]) -> Optional[dict[str, Any]]:
    found = _call("feedback_list", site_user(), {"package_id": thread["dataset"], "limit": 100})
    return next((f for f in found["results"] if f.get("title") == thread["title"]), None)


def ensure_feedback(thread: dict[str, Any]) -> bool:
    if find_feedback(thread):
        return False
    data = {"package_id": thread["dataset"], "kind": thread["kind"], "title": thread["title"],
            "body": thread["body"]}
    if thread.get("rating"):
        data["rating"] = thread["rating"]
    created = _call("feedback_create", thread["author"], data)
    if thread.get("reply"):
        _call("feedback_reply", site_user(), {"id": created["id"], "body": thread["reply"]})
    return True


# ------------------------------------------------------------------ loading

def missing_prerequisites() -> list[str]:
    """The datasets and organisations the demo content names that are not on
    the portal (they come from ``ckan opengov demo-load``)."""
    demo = demo_content()
    wanted = {("package_show", d) for r in demo.get("reuses", []) for d in r.get("datasets", [])}
    wanted |= {("package_show", f["dataset"]) for f in demo.get("feedback", [])}
    for request in demo.get("datarequests", []):
        wanted |= {("organization_show", o) for o in request.get("organizations", [])}
    missing = []
    for show, name in sorted(wanted):
        try:
            tk.get_action(show)({"ignore_auth": True}, {"id": name})
        except tk.ObjectNotFound:
            missing.append(name)
    return missing


def demo_steps() -> list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]]:
    """(create-if-missing function, item) for every demo object, in order."""
    demo = demo_content()
    return ([(ensure_user, u) for u in demo.get("users", [])]
            + [(ensure_reuse, r) for r in demo.get("reuses", [])]
            + [(ensure_datarequest, r) for r in demo.get("datarequests", [])]
            + [(ensure_feedback, f) for f in demo.get("feedback", [])])


def load_demo(steps: list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]],
              on_step: Callable[[int], None] = lambda n: None) -> int:
    """Run the steps; returns how many objects were created."""
    created = 0
    for ensure, item in steps:
        created += ensure(item)
        on_step(1)
    return created
