"""Who may do what with a reuse (shared by auth functions, actions and the plugin)."""
from __future__ import annotations

import html
import re
from typing import Any, Optional

import nh3

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model

#: Fields never shown publicly nor indexed.
PRIVATE_FIELDS = ("submitter_name", "submitter_email")
#: Fields only the reuse_* actions write.
PROTECTED_FIELDS = ("moderation_state", "moderator_note", "featured", "dataset_ids",
                    "badges", "archived", "approved_at", "rejected_dataset_ids")
#: Markdown links whose target would run a script.
_SCRIPT_LINK = re.compile(r"\]\(\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def user_obj(user_name: Optional[str]) -> Optional[model.User]:
    """The user named in the context, if any."""
    return model.User.get(user_name) if user_name else None


def configured_moderators() -> list[str]:
    """Names (or ids) listed in ``ckanext.reuse.moderators``."""
    names = tk.config.get("ckanext.reuse.moderators") or []
    return names.split() if isinstance(names, str) else list(names)


def is_moderator(user_name: Optional[str]) -> bool:
    """Sysadmins, users listed in ``ckanext.reuse.moderators`` and users
    named with ``reuse_moderator_add``."""
    from ckanext.reuse.model.reuse import ReuseModerator

    user = user_obj(user_name)
    if not user or user.state != "active":
        return False
    if user.sysadmin:
        return True
    names = configured_moderators()
    return (user.name in names or user.id in names
            or model.Session.get(ReuseModerator, user.id) is not None)


def sanitise_markdown(text: str) -> str:
    """Markdown without HTML tags (their text kept) nor script links."""
    previous = None
    while previous != text:
        previous = text
        text = html.unescape(nh3.clean(text, tags=set()))
        text = _SCRIPT_LINK.sub("](", text)
    return text


def extra(pkg: model.Package, key: str, default: Any = None) -> Any:
    """A stored extra of a package."""
    return pkg.extras.get(key, default)


def is_submitter(user_name: Optional[str], pkg: model.Package) -> bool:
    user = user_obj(user_name)
    return bool(user and pkg.creator_user_id == user.id)


def is_org_editor(user_name: Optional[str], pkg: model.Package) -> bool:
    return bool(user_name and pkg.owner_org and
                authz.has_user_permission_for_group_or_org(
                    pkg.owner_org, user_name, "update_dataset"))


def is_dataset_publisher(user_name: Optional[str], dataset: model.Package) -> bool:
    """A user who may edit the dataset (its organisation's editors and admins)."""
    user = user_obj(user_name)
    return bool(user and authz.is_authorized_boolean(
        "package_update",
        {"user": user.name, "auth_user_obj": user, "model": model},  # type: ignore
        {"id": dataset.id}))


def can_read(user_name: Optional[str], pkg: model.Package) -> bool:
    """Approved reuses are public; others only for submitter, editors, moderators."""
    if pkg.state == "deleted":
        return is_moderator(user_name)
    if extra(pkg, "moderation_state") == "approved":
        return True
    return (is_submitter(user_name, pkg) or is_moderator(user_name)
            or is_org_editor(user_name, pkg))


def can_edit(user_name: Optional[str], pkg: model.Package) -> bool:
    """Submitter, editors of its organisation and moderators."""
    return (is_moderator(user_name) or is_submitter(user_name, pkg)
            or is_org_editor(user_name, pkg))


def can_see_private_fields(user_name: Optional[str], pkg: model.Package) -> bool:
    return is_submitter(user_name, pkg) or is_moderator(user_name)


def get_reuse(id_or_name: Optional[str]) -> model.Package:
    """The reuse package or NotFound."""
    pkg = model.Package.get(id_or_name) if id_or_name else None
    if not pkg or pkg.type != "reuse":
        raise tk.ObjectNotFound(tk._("Reuse not found"))
    return pkg


#: The scheming schema of the ``reuse`` package type.
REUSE_SCHEMA = "ckanext.opengov.schemas:reuse.yaml"


def register_reuse_schema(config: Any) -> None:
    """Make the ``reuse`` type exist whatever schemas the operator lists in
    ``scheming.dataset_schemas`` (the reuse pages, links and navigation
    need it). Runs before scheming reads the option."""
    schemas = config.get("scheming.dataset_schemas", "").split()
    if REUSE_SCHEMA not in schemas:
        config["scheming.dataset_schemas"] = " ".join(schemas + [REUSE_SCHEMA])
