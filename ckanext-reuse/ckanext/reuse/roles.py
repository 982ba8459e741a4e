"""Who may do what with data requests and feedback (shared by auth
functions, actions and pages).

Publishers of a request are the admins and editors of the organisations it
targets; publishers of a feedback thread are those of the dataset's
organisation. Moderators (``utils.is_moderator``) may do everything."""
from __future__ import annotations

from typing import Iterable, Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.reuse import utils
from ckanext.reuse.model import DataRequest, DataRequestComment, Feedback

#: Statuses each role may set (the transition itself is checked by the action).
REQUESTER_STATUSES = frozenset({"withdrawn"})
PUBLISHER_STATUSES = frozenset({"open", "under_review", "planned", "fulfilled",
                                "rejected", "duplicate"})


def user_id(user_name: Optional[str]) -> Optional[str]:
    user = utils.user_obj(user_name)
    return user.id if user else None


def publisher_org_ids(user_name: Optional[str], org_ids: Iterable[str]) -> list[str]:
    """The organisations among ``org_ids`` where the user is admin or editor."""
    if not user_name:
        return []
    return [org_id for org_id in org_ids
            if authz.has_user_permission_for_group_or_org(org_id, user_name, "create_dataset")]


def is_requester(user_name: Optional[str], request: DataRequest) -> bool:
    uid = user_id(user_name)
    return bool(uid and uid == request.requester_id)


def is_publisher(user_name: Optional[str], request: DataRequest) -> bool:
    return bool(publisher_org_ids(user_name, request.organization_ids()))


def can_read_request(user_name: Optional[str], request: DataRequest) -> bool:
    """Public once moderated; hidden (spam) ones for moderators only;
    submitted ones for the requester, its publishers and moderators."""
    if utils.is_moderator(user_name):
        return True
    if request.visibility != "visible":
        return False
    if request.status != "submitted":
        return True
    return is_requester(user_name, request) or is_publisher(user_name, request)


def statuses_allowed(user_name: Optional[str], request: DataRequest) -> frozenset[str]:
    """The statuses this user may move the request to."""
    from ckanext.reuse.logic.schema import STATUSES

    if utils.is_moderator(user_name):
        return frozenset(STATUSES)
    allowed: set[str] = set()
    if is_requester(user_name, request):
        allowed |= REQUESTER_STATUSES
    if request.status != "submitted" and is_publisher(user_name, request):
        allowed |= PUBLISHER_STATUSES
    return frozenset(allowed)


def can_manage_request(user_name: Optional[str], request: DataRequest) -> bool:
    """Answer, plan, link datasets, assign: publishers and moderators."""
    return utils.is_moderator(user_name) or (
        request.status != "submitted" and is_publisher(user_name, request))


def can_edit_request(user_name: Optional[str], request: DataRequest) -> bool:
    """Requester while the request is submitted or open; moderators always."""
    return utils.is_moderator(user_name) or (
        is_requester(user_name, request) and request.status in ("submitted", "open"))


def dataset_publisher(user_name: Optional[str], package_id: str) -> bool:
    """Admin or editor of the dataset's organisation."""
    pkg = model.Package.get(package_id)
    return bool(pkg and pkg.owner_org and publisher_org_ids(user_name, [pkg.owner_org]))


def can_read_dataset(user_name: Optional[str], package_id: str) -> bool:
    pkg = model.Package.get(package_id)
    if not pkg or pkg.state != "active":
        return False
    user = utils.user_obj(user_name)
    context = {"user": user.name if user else "", "auth_user_obj": user, "model": model}
    return authz.is_authorized_boolean("package_show", context, {"id": pkg.id})  # type: ignore


def can_read_feedback(user_name: Optional[str], feedback: Feedback) -> bool:
    if utils.is_moderator(user_name):
        return True
    if feedback.visibility != "visible":
        return feedback.user_id == user_id(user_name)
    return can_read_dataset(user_name, feedback.package_id)


def can_answer_feedback(user_name: Optional[str], feedback: Feedback) -> bool:
    """Reply to and close a thread: its author, the dataset's publishers, moderators."""
    return (utils.is_moderator(user_name) or feedback.user_id == user_id(user_name)
            or dataset_publisher(user_name, feedback.package_id))


def get_request(id_: object) -> DataRequest:
    """The data request or NotFound."""
    request = DataRequest.get(id_) if isinstance(id_, str) else None
    if request is None:
        raise tk.ObjectNotFound(tk._("Data request not found"))
    return request


def get_comment(id_: object) -> DataRequestComment:
    comment = DataRequestComment.get(id_) if isinstance(id_, str) else None
    if comment is None:
        raise tk.ObjectNotFound(tk._("Comment not found"))
    return comment


def get_feedback(id_: object) -> Feedback:
    feedback = Feedback.get(id_) if isinstance(id_, str) else None
    if feedback is None:
        raise tk.ObjectNotFound(tk._("Feedback not found"))
    return feedback
