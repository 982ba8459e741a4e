"""Emails about data requests, feedback and reports: sent by CKAN's mailer
from background jobs (``ckan jobs worker``), never to the person who acted
and only when ``ckanext.reuse.email_notifications`` is on."""
from __future__ import annotations

import contextlib
import logging
from typing import Iterable, Iterator, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from flask_babel import force_locale

log = logging.getLogger(__name__)


@contextlib.contextmanager
def site_language() -> Iterator[None]:
    """Emails are written in the portal's default language
    (``ckan.locale_default``), whatever the language of the person acting."""
    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        yield


def send(email: str, name: str, subject: str, body: str) -> None:
    """The background job: one email through CKAN's mailer."""
    mailer.mail_recipient(name, email, subject, body)


def page_url(path: str) -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/") + path


def org_publishers(org_ids: Iterable[str]) -> list[model.User]:
    """Active admins and editors of the organisations."""
    org_ids = list(org_ids)
    if not org_ids:
        return []
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id.in_(org_ids), model.Member.table_name == "user",
                    model.Member.state == "active",
                    model.Member.capacity.in_(["admin", "editor"]),
                    model.User.state == "active")
            .distinct().all())


def moderators() -> list[model.User]:
    """Every user ``utils.is_moderator`` accepts: sysadmins, the users named
    in ``ckanext.reuse.moderators`` and those added with ``reuse_moderator_add``."""
    from ckanext.reuse.model.reuse import ReuseModerator
    from ckanext.reuse.utils import configured_moderators

    names = configured_moderators()
    query = model.Session.query(model.User).filter(model.User.state == "active")
    return query.filter(model.User.sysadmin.is_(True)
                        | model.User.name.in_(names) | model.User.id.in_(names)
                        | model.User.id.in_(sa.select(ReuseModerator.user_id))).all()


def users_by_id(ids: Iterable[Optional[str]]) -> list[model.User]:
    ids = [i for i in ids if i]
    if not ids:
        return []
    return model.Session.query(model.User).filter(
        model.User.id.in_(ids), model.User.state == "active").all()


def enqueue(recipients: Iterable[model.User], subject: str, body: str,
            actor_id: Optional[str] = None) -> int:
    """One job per recipient with an email address; returns how many."""
    if not tk.config.get("ckanext.reuse.email_notifications"):
        return 0
    seen: set[str] = set()
    count = 0
    for user in recipients:
        if not user.email or user.id == actor_id or user.id in seen:
            continue
        seen.add(user.id)
        try:
            tk.enqueue_job(send, [user.email, user.display_name, subject, body],
                           title="reuse notification")
            count += 1
        except Exception:  # a down Redis must not lose the user's write
            log.exception("Could not queue a notification to %s", user.name)
    return count


def message(intro: str, title: str, path: str, detail: str = "") -> str:
    """The body shared by every notification."""
    parts = [intro, "", title]
    if detail:
        parts += ["", detail]
    parts += ["", page_url(path), "", tk.config.get("ckan.site_title", "")]
    return "\n".join(parts)
