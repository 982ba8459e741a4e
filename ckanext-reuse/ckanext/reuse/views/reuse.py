"""Reuse pages. The gallery, reuse page and forms take over the endpoints of
the ``reuse`` blueprint CKAN makes for the package type (``reuse.search``,
``reuse.read``, ``reuse.new``, ``reuse.edit``, ``reuse.delete``), so every
link CKAN builds to a reuse lands here; moderation and link routes are added
to it. The "Reuses" tab of datasets is the ``reuse_dataset`` blueprint."""
from __future__ import annotations

from typing import Any, Callable, Optional
from urllib.parse import urlencode

from flask import Blueprint

import ckan.lib.navl.dictization_functions as dict_fns
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from ckan.lib.search import SearchError
from ckan.logic import clean_dict, parse_params, tuplize_dict
from ckan.types import Context, Response

from ckanext.reuse import helpers, utils

#: Reuses per gallery page, linked datasets / reuses per page.
PAGE_SIZE = 12
LIST_SIZE = 10
#: Gallery sorts offered (reuse_search named sorts).
SORTS = ("newest", "datasets", "featured")


def _context() -> Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}  # type: ignore


def _page_number() -> int:
    try:
        return max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        return 1


def _call(action: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)(_context(), data)


def _reuse_or_abort(id: str) -> dict[str, Any]:
    try:
        return _call("reuse_show", {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Reuse not found"))
    except tk.NotAuthorized:
        if utils.get_reuse(id).state == "deleted":
            return tk.abort(404, tk._("Reuse not found"))
        return tk.abort(403, tk._("Not authorised to read this reuse"))


def _literal(value: str) -> str:
    """A facet value inside a quoted Solr term."""
    return value.replace("\\", "").replace('"', "")


def search(package_type: str = "reuse") -> str:
    """The gallery: facets (type, theme, organisation, event, featured) and
    sorts (newest, most datasets, featured); archived reuses on request."""
    args = tk.request.args
    q = args.get("q", "")
    sort = args.get("sort") if args.get("sort") in SORTS else "newest"
    fields = [(k, v) for k, v in args.items(multi=True)
              if k not in ("q", "page", "sort", "archived")]
    fq = " ".join('+{}:"{}"'.format(k, _literal(v)) for k, v in fields
                  if k in helpers.GALLERY_FACETS)
    if args.get("organization"):
        fq += ' +(reuse_owner_org:"{0}" OR vocab_reuse_dataset_orgs:"{0}")'.format(
            _literal(args["organization"]))
    if not tk.asbool(args.get("archived")):
        fq += " -archived:true"
    page = _page_number()
    try:
        found = _call("reuse_search", {"q": q, "fq": fq, "sort": sort, "rows": PAGE_SIZE,
                                       "start": (page - 1) * PAGE_SIZE,
                                       "facet.field": list(helpers.GALLERY_FACETS)})
    except (tk.ValidationError, SearchError):
        tk.h.flash_error(tk._("The search could not be understood; try other words."))
        found = {"count": 0, "results": [], "search_facets": {}}

    for name, facet in found["search_facets"].items():
        for item in facet.get("items", []):
            item["display_name"] = helpers.facet_label(name, item["name"])

    def pager_url(q: Any = None, page: Optional[int] = None) -> str:
        params = [(k, v) for k, v in args.items(multi=True) if k != "page"]
        return tk.h.url_for("reuse.search") + "?" + urlencode(params + [("page", page)])

    return tk.render("reuse/search.html", {
        "q": q, "sort_by_selected": sort, "fields": fields, "found": found,
        "search_facets": found["search_facets"], "archived": tk.asbool(args.get("archived")),
        "page": Page(collection=found["results"], page=page, url=pager_url,
                     item_count=found["count"], items_per_page=PAGE_SIZE, presliced_list=True),
        "dataset_type": "reuse"})


def read(id: str, package_type: str = "reuse") -> str:
    """A reuse: image, launch button, description, linked datasets (paged),
    moderation box for its submitter and moderators, JSON-LD."""
    reuse = _reuse_or_abort(id)
    page = _page_number()
    datasets = _call("reuse_dataset_list", {"id": reuse["id"], "rows": LIST_SIZE,
                                            "start": (page - 1) * LIST_SIZE})
    return tk.render("reuse/read.html", {
        "pkg": reuse, "pkg_dict": reuse, "dataset_type": "reuse",
        "datasets": Page(collection=datasets["results"], page=page, item_count=datasets["count"],
                         items_per_page=LIST_SIZE, presliced_list=True,
                         url=lambda q=None, page=None: tk.h.url_for("reuse.read", id=reuse["name"],
                                                                    page=page)),
        "json_ld": helpers.reuse_json_ld(reuse)})


def _form_data() -> dict[str, Any]:
    data = clean_dict(dict_fns.unflatten(tuplize_dict(parse_params(tk.request.form))))
    data.update(clean_dict(dict_fns.unflatten(tuplize_dict(parse_params(tk.request.files)))))
    data.pop("save", None)
    return data


def _form(data: dict[str, Any], errors: dict[str, Any], stage: str,
          reuse: Optional[dict[str, Any]] = None) -> str:
    summary = {key: ", ".join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
               for key, msgs in errors.items()}
    return tk.render("reuse/form.html", {
        "data": data, "errors": errors, "error_summary": summary, "stage": stage,
        "pkg_dict": reuse or {}, "dataset_type": "reuse",
        "schema": tk.h.scheming_get_dataset_schema("reuse")})


def new(package_type: str = "reuse") -> Any:
    """Submit a reuse (registered users); "Save as draft" or "Submit"."""
    try:
        tk.check_access("reuse_create", _context())
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("reuse.new"))
    if tk.request.method != "POST":
        return _form({}, {}, "new")
    data = _form_data()
    data["submit"] = "submit" in tk.request.form
    try:
        created = _call("reuse_create", data)
    except tk.ValidationError as error:
        return _form(data, error.error_dict, "new")
    tk.h.flash_success(tk._("Your reuse was sent to the moderators") if data["submit"]
                       else tk._("Your reuse was saved as a draft"))
    return tk.redirect_to("reuse.read", id=created["name"])


def edit(id: str, package_type: str = "reuse") -> Any:
    """Edit a reuse (its submitter until approval, organisation editors, moderators)."""
    reuse = _reuse_or_abort(id)
    try:
        tk.check_access("reuse_update", _context(), {"id": reuse["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised to edit this reuse"))
    if tk.request.method != "POST":
        return _form(reuse, {}, "edit", reuse)
    data = _form_data()
    data["id"] = reuse["id"]
    try:
        _call("reuse_update", data)
    except tk.ValidationError as error:
        return _form(dict(reuse, **data), error.error_dict, "edit", reuse)
    tk.h.flash_success(tk._("The reuse was saved"))
    return tk.redirect_to("reuse.read", id=reuse["id"])


def _post_action(action: str, id: str, data: dict[str, Any], done: str) -> Response:
    """Run a reuse action from a button; flash the outcome, back to the page."""
    try:
        _call(action, dict(data, id=id))
        tk.h.flash_success(done)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Reuse not found"))
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(
            str(m) for msgs in error.error_dict.values()
            for m in (msgs if isinstance(msgs, list) else [msgs])))
    came_from = tk.request.form.get("came_from") or ""
    if came_from.startswith("/") and not came_from.startswith("//") and "\\" not in came_from:
        return tk.h.redirect_to(came_from)
    return tk.redirect_to("reuse.read", id=id)


def delete(id: str, package_type: str = "reuse") -> Any:
    if tk.request.method != "POST":
        reuse = _reuse_or_abort(id)
        return tk.render("reuse/confirm_delete.html", {"pkg": reuse, "dataset_type": "reuse"})
    try:
        _call("reuse_delete", {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised"))
    tk.h.flash_success(tk._("The reuse was deleted"))
    return tk.redirect_to("reuse.search")


def submit(id: str, package_type: str = "reuse") -> Response:
    return _post_action("reuse_submit", id, {}, tk._("Your reuse was sent to the moderators"))


def moderate(id: str, package_type: str = "reuse") -> Response:
    form = tk.request.form
    return _post_action("reuse_moderate", id, {
        "moderation_state": form.get("moderation_state"),
        "moderator_note": form.get("moderator_note", "")}, tk._("Moderation decision saved"))


def feature(id: str, package_type: str = "reuse") -> Response:
    form = tk.request.form
    return _post_action("reuse_feature", id, {
        "featured": tk.asbool(form.get("featured")),
        "badges": form.getlist("badges")}, tk._("Featured flag and badges saved"))


def archive(id: str, package_type: str = "reuse") -> Response:
    archived = tk.asbool(tk.request.form.get("archived", True))
    return _post_action("reuse_archive", id, {"archived": archived},
                        tk._("The reuse was archived") if archived else tk._("The reuse is back"))


def dataset_add(id: str, package_type: str = "reuse") -> Response:
    return _post_action("reuse_dataset_add", id, {"dataset_id": tk.request.form.get("dataset_id")},
                        tk._("The dataset was linked"))


def dataset_remove(id: str, package_type: str = "reuse") -> Response:
    return _post_action("reuse_dataset_remove", id,
                        {"dataset_id": tk.request.form.get("dataset_id")},
                        tk._("The dataset was unlinked"))


def dataset_reject(id: str, package_type: str = "reuse") -> Response:
    return _post_action("reuse_dataset_reject", id,
                        {"dataset_id": tk.request.form.get("dataset_id")},
                        tk._("The link to your dataset was refused"))


#: Endpoints of CKAN's reuse blueprint answered by this module.
OVERRIDES: dict[str, Callable[..., Any]] = {
    "search": search, "read": read, "new": new, "edit": edit, "delete": delete}
#: Routes added to it: (rule, endpoint, view).
ROUTES = (
    ("/<id>/submit", "submit", submit),
    ("/<id>/moderate", "moderate", moderate),
    ("/<id>/feature", "feature", feature),
    ("/<id>/archive", "archive", archive),
    ("/<id>/datasets/add", "dataset_add", dataset_add),
    ("/<id>/datasets/remove", "dataset_remove", dataset_remove),
    ("/<id>/datasets/reject", "dataset_reject", dataset_reject),
)


def take_over_type_blueprint(sender: str, blueprint: Blueprint) -> None:
    """``register_blueprint`` signal: the package-type blueprint ``reuse``
    gets these views (after CKAN's own rules are recorded)."""
    if sender != "dataset" or blueprint.name != "reuse":
        return
    for rule, endpoint, view in ROUTES:
        blueprint.add_url_rule(rule, endpoint, view, methods=["POST"])

    def _override(state: Any) -> None:
        for endpoint, view in OVERRIDES.items():
            state.app.view_functions["reuse." + endpoint] = view
    blueprint.record(_override)


# the "Reuses" tab of a dataset ------------------------------------------------

reuse_dataset = Blueprint("reuse_dataset", __name__, url_prefix="/dataset")


@reuse_dataset.route("/<id>/reuses")
def dataset_reuses(id: str) -> str:
    """The reuses of a dataset, paged; its publishers may refuse a link."""
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    page = _page_number()
    found = _call("dataset_reuse_list", {"id": pkg["id"], "rows": LIST_SIZE,
                                         "start": (page - 1) * LIST_SIZE})
    return tk.render("reuse/dataset_reuses.html", {
        "pkg_dict": pkg, "pkg": pkg, "dataset_type": pkg["type"],
        "reuses": Page(collection=found["results"], page=page, item_count=found["count"],
                       items_per_page=LIST_SIZE, presliced_list=True,
                       url=lambda q=None, page=None: tk.h.url_for(
                           "reuse_dataset.dataset_reuses", id=pkg["name"], page=page)),
        "is_publisher": helpers.reuse_is_dataset_publisher(pkg["id"])})


# sysadmins name reuse moderators ---------------------------------------------

reuse_admin = Blueprint("reuse_admin", __name__, url_prefix="/ckan-admin/reuse-moderators")


@reuse_admin.route("")
def moderators() -> str:
    try:
        tk.check_access("reuse_moderator_add", _context())
        listed = _call("reuse_moderator_list", {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may name reuse moderators"))
    return tk.render("reuse/admin_moderators.html", {"moderators": listed})


def _moderator_change(action: str, done: str) -> Response:
    try:
        _call(action, {"username": tk.request.form.get("username", "")})
        tk.h.flash_success(done)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may name reuse moderators"))
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(str(m) for msgs in error.error_dict.values() for m in msgs))
    return tk.redirect_to("reuse_admin.moderators")


@reuse_admin.route("/add", methods=["POST"])
def moderator_add() -> Response:
    return _moderator_change("reuse_moderator_add", tk._("The user is now a reuse moderator"))


@reuse_admin.route("/remove", methods=["POST"])
def moderator_remove() -> Response:
    return _moderator_change("reuse_moderator_remove", tk._("The user is no longer a reuse moderator"))

