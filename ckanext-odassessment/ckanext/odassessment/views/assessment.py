"""Assessment pages (issue 7): the portal dashboard ``/assessment``, an
organisation's scorecard, a dataset's score with the missing points, and
downloads of a run."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk
from ckan.common import current_user, request

from ckanext.odassessment import extended, labels, mqa

assessment = Blueprint("odassessment", __name__, url_prefix="/assessment")

FILTERS = ("theme", "government_level", "region")


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user, "for_view": True}


def _runs() -> list[dict[str, Any]]:
    return tk.get_action("odassessment_run_list")(_context(), {"limit": 10})


def portal() -> str:
    filters = {k: request.args.get(k) for k in FILTERS if request.args.get(k)}
    errors: dict[str, Any] = {}
    try:
        result = tk.get_action("odassessment_portal_show")(_context(), filters)
    except tk.ValidationError as e:
        errors = e.error_dict
        result = tk.get_action("odassessment_portal_show")(_context(), {})
    return tk.render("assessment/portal.html", {
        "result": result, "filters": filters, "errors": errors, "runs": _runs(),
        "labels": labels, "mqa_dimensions": mqa.DIMENSIONS, "extended_dimensions": extended.DIMENSIONS,
        "can_run": tk.h.check_access("odassessment_run_create"),
    })


def trends() -> str:
    return tk.render("assessment/trends.html", {
        "result": tk.get_action("odassessment_trends_show")(_context(), {}), "labels": labels,
        "history": tk.get_action("odassessment_portal_show")(_context(), {})["history"],
    })


def organization(id: str) -> str:
    context = _context()
    try:
        group_dict = tk.get_action("organization_show")(context, {"id": id})
        result = tk.get_action("odassessment_organization_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to read organization %s") % id)
    return tk.render("assessment/organization.html", {
        "group_dict": group_dict, "group_type": group_dict["type"], "result": result,
        "labels": labels, "mqa_dimensions": mqa.DIMENSIONS, "extended_dimensions": extended.DIMENSIONS,
    })


def dataset(id: str) -> str:
    context = _context()
    try:
        pkg_dict = tk.get_action("package_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to read dataset %s") % id)
    try:
        result = tk.get_action("odassessment_dataset_show")(context, {"id": pkg_dict["id"]})
    except tk.ObjectNotFound:
        result = None
    return tk.render("assessment/dataset.html", {
        "pkg_dict": pkg_dict, "pkg": pkg_dict, "dataset_type": pkg_dict.get("type") or "dataset",
        "result": result, "groups": _measurement_groups(result, pkg_dict), "labels": labels,
        "can_rescore": tk.h.check_access("odassessment_dataset_rescore", {"id": pkg_dict["id"]}),
    })


def _measurement_groups(result: Any, pkg_dict: dict) -> list[dict[str, Any]]:
    """Dimensions with their metrics: dataset metrics, then those of the
    distribution the score comes from."""
    if not result:
        return []
    best = (result.get("dimensions") or {}).get("best_distribution")
    rows = [m for m in result["measurements"] if m["resource_id"] in (None, best)]
    groups = []
    for layer, dims in (("mqa", mqa.DIMENSIONS), ("extended", extended.DIMENSIONS)):
        for dim in dims:
            metrics: dict[str, dict] = {}
            for m in rows:
                if m["layer"] != layer or m["dimension"] != dim:
                    continue
                kept = metrics.get(m["metric"])
                if kept is None or m["points"] > kept["points"]:
                    metrics[m["metric"]] = dict(m, text=labels.metric(m["metric"]))
            if layer == "mqa":
                points = sum(m["points"] for m in metrics.values())
                top = mqa.DIMENSION_MAX[dim]
            else:
                points = sum(m["points"] for m in metrics.values() if m["applicable"])
                top = sum(m["max_points"] for m in metrics.values() if m["applicable"])
            groups.append({"layer": layer, "dimension": dim, "label": labels.dimension(dim),
                           "points": points, "max": top, "metrics": list(metrics.values())})
    resource = next((r for r in pkg_dict.get("resources") or [] if r["id"] == best), None)
    if groups:
        groups[0]["best_resource"] = resource
    return groups


def rescore(id: str) -> Response:
    try:
        tk.get_action("odassessment_dataset_rescore")(_context(), {"id": id})
        tk.h.flash_success(tk._("The dataset was assessed again."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You cannot rescore this dataset"))
    return tk.redirect_to("odassessment.dataset", id=id)


def download() -> Response:
    data = {k: request.args.get(k) for k in ("format", "level", "run_id") if request.args.get(k)}
    try:
        out = tk.get_action("odassessment_export")(_context(), data)
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e.message or e))
    except tk.ValidationError as e:
        return tk.abort(400, "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in e.error_dict.items()))
    return Response(out["data"], mimetype=out["content_type"].split(";")[0],
                    headers={"Content-Disposition": f'attachment; filename="{out["filename"]}"',
                             "Content-Type": out["content_type"]})


assessment.add_url_rule("", view_func=portal, endpoint="portal")
assessment.add_url_rule("/trends", view_func=trends, endpoint="trends")
assessment.add_url_rule("/organization/<id>", view_func=organization, endpoint="organization")
assessment.add_url_rule("/dataset/<id>", view_func=dataset, endpoint="dataset")
assessment.add_url_rule("/dataset/<id>/rescore", view_func=rescore, endpoint="rescore", methods=["POST"])
assessment.add_url_rule("/download", view_func=download, endpoint="download")
