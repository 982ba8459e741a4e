"""The harvest operator page: every source the user administers, its last
job with created/updated/unchanged/withdrawn/errored counts, next run, and
the errors in the UI language (``/harvest-report``)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

harvest_report = Blueprint("opengov_harvest_report", __name__)


@harvest_report.route("/harvest-report")
def index():
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    source = tk.request.args.get("source") or None
    try:
        reports = tk.get_action("opengov_harvest_report")(context, {"id": source} if source else {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You must be logged in to read harvest reports"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Harvest source not found"))
    return tk.render("harvest_report/index.html", {"reports": reports, "source": source})
