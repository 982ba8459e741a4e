"""The one moderation queue (``/moderation``): data requests awaiting
moderation, pending reuses and dead reuse links (the reuse showcase's own
snippet and routes), and abuse reports; filters by section."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.types import Response

from ckanext.reuse.views.datarequest import post_action, run_action

moderation = Blueprint("moderation", __name__)

SECTIONS = ("datarequests", "reuses", "links", "reports")
PAGE_SIZE = 50


def index() -> str:
    section = tk.request.args.get("section")
    section = section if section in SECTIONS else None
    # one section pages through all its items; "everything" shows the first page of each
    page = tk.h.get_page_number(tk.request.args) if section else 1
    try:
        queue = run_action("moderation_queue_list", {
            "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE,
            **({"section": "reuses" if section == "links" else section} if section else {})})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only moderators see the moderation queue"))
    reuses: Any = queue.get("reuses")
    if reuses is not None:
        if section == "links":
            reuses = dict(reuses, results=[r for r in reuses["results"] if r.get("link_status")])
        elif section == "reuses":
            reuses = dict(reuses, results=[r for r in reuses["results"]
                                           if not r.get("link_status")])
    return tk.render("moderation/index.html", {
        "queue": dict(queue, reuses=reuses), "section": section, "sections": SECTIONS,
        "page": page, "page_size": PAGE_SIZE})


def decide() -> Response:
    form = tk.request.form
    data = {k: form.get(k, "") for k in ("kind", "id", "decision", "reason")}
    back = tk.h.url_for("moderation.index")
    return post_action("moderation_decide", data, "came_from", back, tk._("Done"))


moderation.add_url_rule("/moderation", view_func=index, methods=["GET"])
moderation.add_url_rule("/moderation/decide", view_func=decide, methods=["POST"])
