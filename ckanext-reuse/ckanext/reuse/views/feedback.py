"""Feedback forms of dataset pages (the section itself is in
``package/read.html``): post, reply, close, rate."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.types import Response

from ckanext.reuse.views.datarequest import post_action, run_action

feedback = Blueprint("feedback", __name__)


def _dataset_page(id: str) -> str:
    return tk.h.url_for("dataset.read", id=id) + "#feedback"


def create(id: str) -> Response:
    form = tk.request.form
    data = {"package_id": id, "kind": form.get("kind", ""), "body": form.get("body", ""),
            "title": form.get("title", "")}
    for field in ("resource_id", "rating"):
        if form.get(field):
            data[field] = form[field]
    return post_action("feedback_create", data, _dataset_page(id), _dataset_page(id),
                       tk._("Thank you for your feedback"))


def rate(id: str) -> Response:
    return post_action("dataset_rate", {"package_id": id, "rating": tk.request.form.get(
        "rating", "")}, _dataset_page(id), _dataset_page(id), tk._("Thank you for your rating"))


def _thread_back(thread_id: str) -> str:
    package_id = tk.request.form.get("package_id") or ""
    return _dataset_page(package_id) if package_id else tk.h.url_for("home.index")


def reply(thread_id: str) -> Response:
    back = _thread_back(thread_id)
    return post_action("feedback_reply", {"id": thread_id, "body": tk.request.form.get(
        "body", "")}, back, back)


def close(thread_id: str) -> Response:
    back = _thread_back(thread_id)
    return post_action("feedback_close", {"id": thread_id, "reason": tk.request.form.get(
        "reason", "")}, back, back, tk._("The thread was closed"))


def organization_tab(id: str) -> str:
    """The "Feedback" tab of an organisation: threads on its datasets,
    filtered by status (open by default)."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        group_dict = tk.get_action("organization_show")(
            context, {"id": id, "include_datasets": False})  # type: ignore
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
    status = tk.request.args.get("status", "open")
    status = status if status in ("open", "answered", "closed") else "open"
    found = run_action("feedback_list", {"organization": group_dict["id"], "status": status,
                                         "limit": 100})
    return tk.render("feedback/organization.html", {
        "group_dict": group_dict, "group_type": "organization", "found": found,
        "status": status})


feedback.add_url_rule("/organization/feedback/<id>", view_func=organization_tab, methods=["GET"])
feedback.add_url_rule("/dataset/<id>/feedback", view_func=create, methods=["POST"])
feedback.add_url_rule("/dataset/<id>/rate", view_func=rate, methods=["POST"])
feedback.add_url_rule("/feedback/<thread_id>/reply", view_func=reply, methods=["POST"])
feedback.add_url_rule("/feedback/<thread_id>/close", view_func=close, methods=["POST"])
