"""Data request pages: the list with facets and sorts, the request page with
its timeline, comments and the publishers' panel, the new/edit form, the
"Data requests" tab of organisations, and abuse reports of any item."""
from __future__ import annotations

from typing import Any, Callable, Optional
from urllib.parse import urlencode, urlparse

from flask import Blueprint

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from ckan.types import Context, Response

from ckanext.reuse.logic.dictization import organization_briefs_by_name

datarequest = Blueprint("datarequest", __name__)
report = Blueprint("reuse_report", __name__)

PAGE_SIZE = 20
#: form fields holding several values
LIST_FIELDS = ("themes", "desired_formats", "organizations")
FORM_FIELDS = ("title", "description", "requester_type", "intended_use", "kind",
               "dataset_id", "keywords", "desired_frequency", "spatial_coverage",
               "temporal_coverage") + LIST_FIELDS
FACETS = ("status", "kind", "organization", "theme")


def _context() -> Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}  # type: ignore


def run_action(action: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)(_context(), data)


def _show_or_abort(id: str) -> dict[str, Any]:
    try:
        return run_action("datarequest_show", {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised to see this data request"))


def safe_came_from(default: str) -> str:
    """A local path to come back to (never another site)."""
    came_from = tk.request.form.get("came_from") or tk.request.args.get("came_from") or ""
    parsed = urlparse(came_from)
    if came_from.startswith("/") and not came_from.startswith("//") and not parsed.netloc:
        return came_from
    return default


def _field_labels() -> dict[str, str]:
    """What the forms call the fields an action may complain about."""
    return {"status": tk._("Status"), "status_reason": tk._("Reason"),
            "approx_publishing_date": tk._("Approximate publishing date (to plan)"),
            "dataset_id": tk._("Dataset (name or id)"), "dataset_ids": tk._("Dataset (name or id)"),
            "duplicate_of": tk._("Original request (id), for a duplicate"),
            "due_date": tk._("Answer due by"), "organization_id": tk._("Organization"),
            "body": tk._("Message"), "kind": tk._("Kind"), "rating": tk._("Your rating"),
            "reason": tk._("Reason"), "subject_id": tk._("Report")}


def flash_errors(error: tk.ValidationError) -> None:
    """One flash message per field, named as the form names it."""
    labels = _field_labels()
    for field, messages in (error.error_dict or {}).items():
        text = "; ".join(m if isinstance(m, str) else str(m) for m in messages) \
            if isinstance(messages, list) else str(messages)
        label = labels.get(field, "" if field == "rate_limit" else field)
        tk.h.flash_error("{}: {}".format(label, text) if label else text)


def post_action(action: str, data: dict[str, Any], done: str, back: str,
                success: Optional[str] = None) -> Response:
    """Run an action from a POSTed form, flash the outcome, go back."""
    try:
        run_action(action, data)
        if success:
            tk.h.flash_success(success)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorised"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Not found"))
    except tk.ValidationError as error:
        flash_errors(error)
    return tk.redirect_to(safe_came_from(back) if done == "came_from" else done)


# ------------------------------------------------------------------ list

def _search_args() -> dict[str, Any]:
    args = tk.request.args
    data: dict[str, Any] = {"q": args.get("q", ""), "sort": args.get("sort") or "newest"}
    for facet in FACETS:
        if args.get(facet):
            data[facet] = args[facet]
    return data


def _page_number() -> int:
    try:
        return max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        return 1


def _render_search(template: str, extra: dict[str, Any],
                   fixed: Optional[dict[str, Any]] = None) -> str:
    data = _search_args()
    data.update(fixed or {})
    page = _page_number()
    errors: dict[str, Any] = {}
    try:
        found = run_action("datarequest_search", dict(
            data, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    except tk.ValidationError as error:
        errors = error.error_dict
        found = {"count": 0, "results": [], "facets": {f: {} for f in FACETS}}
    args = [(k, v) for k, v in tk.request.args.items(multi=True) if k != "page"]

    def pager_url(q: Any = None, page: Optional[int] = None) -> str:
        return tk.request.path + "?" + urlencode(args + [("page", page)])

    def facet_url(name: str, value: Optional[str]) -> str:
        kept = [(k, v) for k, v in args if k != name]
        if value is not None:
            kept.append((name, value))
        return tk.request.path + ("?" + urlencode(kept) if kept else "")

    extra.update({
        "found": found, "query": data, "errors": errors, "facet_url": facet_url,
        "page": Page(collection=found["results"], page=page, url=pager_url,
                     item_count=found["count"], items_per_page=PAGE_SIZE, presliced_list=True),
        "organizations": {o["name"]: o for o in _organizations(found["facets"]["organization"])},
    })
    return tk.render(template, extra)


def _organizations(names: Any) -> list[dict[str, Any]]:
    return organization_briefs_by_name(list(names or []))


def index() -> str:
    """``/datarequest``: search, facets, sorts."""
    return _render_search("datarequest/index.html", {})


def organization_tab(id: str) -> str:
    """The "Data requests" tab of an organisation: its publisher inbox."""
    try:
        group_dict = tk.get_action("organization_show")(
            _context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
    return _render_search("datarequest/organization.html",
                          {"group_dict": group_dict, "group_type": "organization"},
                          fixed={"organization": group_dict["name"]})


def user_tab(id: str) -> str:
    """The "Data requests" tab of a user: the requests they filed (those
    awaiting moderation for themselves and moderators only)."""
    context = _context()
    try:
        user_dict = tk.get_action("user_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("User not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    return _render_search("datarequest/user.html", {
        "user_dict": user_dict, "is_myself": user_dict["name"] == context["user"],
        "is_sysadmin": authz.is_sysadmin(context["user"]),
        "about_formatted": tk.h.render_markdown(user_dict.get("about") or "")},
        fixed={"requester": user_dict["name"]})


# ------------------------------------------------------------------ form

def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {}
    for field in FORM_FIELDS:
        if field in LIST_FIELDS:
            data[field] = [v for v in form.getlist(field) if v]
        elif field in form:
            data[field] = form.get(field, "")
    return data


def _render_form(data: dict[str, Any], errors: dict[str, Any],
                 request: Optional[dict[str, Any]] = None) -> str:
    return tk.render("datarequest/form.html", {
        "data": data, "errors": errors, "request": request,
        "error_summary": {k: "; ".join(map(str, v)) if isinstance(v, list) else str(v)
                          for k, v in errors.items()}})


def new() -> Any:
    """File a request (logged-in users)."""
    try:
        tk.check_access("datarequest_create", _context())
    except tk.NotAuthorized:
        return tk.redirect_to(tk.h.url_for("user.login", came_from=tk.request.path))
    if tk.request.method != "POST":
        initial: dict[str, Any] = {"kind": "new_dataset"}
        if tk.request.args.get("organization"):
            initial["organizations"] = [tk.request.args["organization"]]
        if tk.request.args.get("dataset_id"):
            initial.update(dataset_id=tk.request.args["dataset_id"], kind="extend_dataset")
        return _render_form(initial, {})
    data = _form_data()
    try:
        created = run_action("datarequest_create", data)
    except tk.ValidationError as error:
        return _render_form(data, error.error_dict)
    if created["status"] == "submitted":
        tk.h.flash_success(tk._("Thank you. Your request will be published once a moderator "
                                "has checked it."))
    return tk.redirect_to("datarequest.read", id=created["id"])


def edit(id: str) -> Any:
    request = _show_or_abort(id)
    if not request["can_edit"]:
        return tk.abort(403, tk._("Not authorised to edit this request"))
    if tk.request.method != "POST":
        data = dict(request, organizations=[o["name"] for o in request["organizations"]],
                    keywords=", ".join(request["keywords"] or []))
        return _render_form(data, {}, request)
    data = dict(_form_data(), id=request["id"])
    try:
        run_action("datarequest_update", data)
    except tk.ValidationError as error:
        return _render_form(data, error.error_dict, request)
    return tk.redirect_to("datarequest.read", id=request["id"])


def delete(id: str) -> Response:
    done = tk.h.url_for("datarequest.index")
    return post_action("datarequest_delete", {"id": id}, done, done,
                       tk._("The request was deleted"))


# ------------------------------------------------------------------ request page

def read(id: str) -> str:
    request = _show_or_abort(id)
    return tk.render("datarequest/read.html", {
        "request": request,
        "events": run_action("datarequest_event_list", {"id": request["id"]}),
        "comments": run_action("datarequest_comment_list", {"id": request["id"]}),
    })


def _back(id: str) -> str:
    return tk.h.url_for("datarequest.read", id=id)


def status(id: str) -> Response:
    form = tk.request.form
    data = {"id": id, "status": form.get("status", "")}
    for field in ("status_reason", "approx_publishing_date", "duplicate_of", "due_date"):
        if form.get(field):
            data[field] = form[field]
    if form.get("dataset_id"):
        data["dataset_ids"] = [form["dataset_id"]]
    return post_action("datarequest_status_update", data, _back(id), _back(id),
                       tk._("The status was changed"))


def comment(id: str) -> Response:
    form = tk.request.form
    data = {"id": id, "body": form.get("body", ""),
            "official": bool(form.get("official"))}
    if form.get("organization_id"):
        data["organization_id"] = form["organization_id"]
    return post_action("datarequest_comment_create", data, _back(id) + "#comments", _back(id))


def comment_delete(id: str, comment_id: str) -> Response:
    return post_action("datarequest_comment_delete", {"id": comment_id},
                       _back(id) + "#comments", _back(id))


def engage(id: str, verb: str) -> Response:
    """follow, unfollow, vote, unvote."""
    return post_action("datarequest_" + verb, {"id": id}, _back(id), _back(id))


def datasets(id: str) -> Response:
    """Link (or, with ``unlink``, unlink) a dataset."""
    form = tk.request.form
    action = "datarequest_unlink_dataset" if form.get("unlink") else "datarequest_link_dataset"
    return post_action(action, {"id": id, "dataset_id": form.get("dataset_id", "")},
                       _back(id), _back(id))


def organizations(id: str) -> Response:
    """Address the request to one more organisation, or stop (``unassign``)."""
    form = tk.request.form
    action = "datarequest_unassign" if form.get("unassign") else "datarequest_assign"
    return post_action(action, {"id": id, "organization_id": form.get("organization_id", "")},
                       _back(id), _back(id))


# ------------------------------------------------------------------ reports

def report_create() -> Response:
    """Report any reuse, request, comment, feedback or reply."""
    form = tk.request.form
    data = {k: form.get(k, "") for k in ("subject_type", "subject_id", "reason", "message")}
    return post_action("abuse_report_create", data, "came_from", tk.h.url_for("home.index"),
                       tk._("Thank you. A moderator will look at your report."))


def _rule(blueprint: Blueprint, path: str, view: Callable[..., Any], methods: tuple) -> None:
    blueprint.add_url_rule(path, view_func=view, methods=list(methods))


for _path, _view, _methods in (
        ("/datarequest", index, ("GET",)),
        ("/datarequest/new", new, ("GET", "POST")),
        ("/datarequest/<id>", read, ("GET",)),
        ("/datarequest/edit/<id>", edit, ("GET", "POST")),
        ("/datarequest/<id>/delete", delete, ("POST",)),
        ("/datarequest/<id>/status", status, ("POST",)),
        ("/datarequest/<id>/comment", comment, ("POST",)),
        ("/datarequest/<id>/comment/<comment_id>/delete", comment_delete, ("POST",)),
        ("/datarequest/<id>/<any(follow, unfollow, vote, unvote):verb>", engage, ("POST",)),
        ("/datarequest/<id>/datasets", datasets, ("POST",)),
        ("/datarequest/<id>/organizations", organizations, ("POST",)),
        ("/organization/datarequests/<id>", organization_tab, ("GET",)),
        ("/user/datarequests/<id>", user_tab, ("GET",))):
    _rule(datarequest, _path, _view, _methods)
_rule(report, "/report", report_create, ("POST",))
