"""The programme dashboard ``/assessment/programme`` (issue 8): indicators of
the national open data programme with filters, a CSV download and a printable
report for the annual review of the national action plan."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk
from ckan.common import current_user, request

from ckanext.odassessment import inventory, programme as programme_

programme = Blueprint("odassessment_programme", __name__, url_prefix="/assessment/programme")


def _indicators() -> tuple[dict[str, Any], dict[str, list[str]]]:
    filters = {k: request.args.get(k) or None for k in programme_.FILTERS}
    context = {"user": current_user.name, "auth_user_obj": current_user}
    try:
        return tk.get_action("programme_indicators_show")(context, filters), {}
    except tk.ValidationError as error:
        return tk.get_action("programme_indicators_show")(context, {}), error.error_dict


def _render(template: str) -> str:
    result, errors = _indicators()
    return tk.render(template, {
        "result": result, "errors": errors, "args": request.args,
        "levels": tk.h.opengov_vocabulary("government_levels"),
        "regions": tk.h.opengov_vocabulary("regions"),
        "themes": tk.h.opengov_vocabulary("themes"),
        "status_label": inventory.status_label,
    })


def index() -> str:
    return _render("programme/index.html")


def report() -> str:
    return _render("programme/report.html")


def download() -> Response:
    result, _errors = _indicators()
    return Response(inventory.to_csv(programme_.csv_rows(result)),
                    mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="programme-indicators.csv"'})


programme.add_url_rule("", view_func=index)
programme.add_url_rule("/report", view_func=report)
programme.add_url_rule("/indicators.csv", view_func=download)
