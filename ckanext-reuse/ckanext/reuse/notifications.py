"""Publishers hear of approved reuses of their datasets, and submitters of
the moderators' decisions, in one e-mail digest per user (``ckan reuse
send-digests``, run from cron), never one mail per event."""
from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any, Iterable, Optional

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from ckan.lib.plugins import get_permission_labels

from ckanext.reuse.model.reuse import ReuseNotification

log = logging.getLogger(__name__)

#: Roles in an organisation that publish its datasets.
PUBLISHER_ROLES = ("admin", "editor")


def _publishers(org_ids: Iterable[str]) -> dict[str, set[str]]:
    """User ids of the admins and editors of each organisation."""
    rows = model.Session.query(model.Member.group_id, model.Member.table_id).join(
        model.User, model.User.id == model.Member.table_id).filter(
        model.Member.group_id.in_(list(org_ids)), model.Member.table_name == "user",
        model.Member.state == "active", model.Member.capacity.in_(PUBLISHER_ROLES),
        model.User.state == "active")
    found: dict[str, set[str]] = defaultdict(set)
    for org_id, user_id in rows:
        found[org_id].add(user_id)
    return found


def record_activity(reuse: dict[str, Any], actor: Optional[str]) -> None:
    """A "new reuse" activity in the stream of each linked dataset (seen by
    its followers on their dashboard and in CKAN's activity e-mails)."""
    if not plugins.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    user = model.User.get(actor) if actor else None
    labels = get_permission_labels()
    for dataset_id in reuse.get("dataset_ids") or []:
        dataset = model.Package.get(dataset_id)
        if dataset is None or dataset.state != "active":
            continue
        model.Session.add(Activity(
            user.id if user else reuse.get("creator_user_id") or "", dataset.id, "new reuse",
            {"package": {"id": dataset.id, "name": dataset.name, "title": dataset.title,
                         "type": dataset.type},
             "reuse": {"id": reuse["id"], "name": reuse["name"], "title": reuse.get("title")}},
            labels.get_dataset_labels(dataset)))
    model.Session.commit()


def queue_approval(reuse: dict[str, Any]) -> int:
    """One digest entry per publisher and linked dataset of an approved reuse."""
    datasets = model.Session.query(model.Package.id, model.Package.owner_org).filter(
        model.Package.id.in_(reuse.get("dataset_ids") or []),
        model.Package.owner_org.isnot(None)).all()
    publishers = _publishers({org for _id, org in datasets})
    queued = 0
    for dataset_id, org_id in datasets:
        for user_id in publishers.get(org_id, ()):
            model.Session.add(ReuseNotification(
                user_id=user_id, reuse_id=reuse["id"], dataset_id=dataset_id))
            queued += 1
    model.Session.commit()
    return queued


def queue_decision(reuse: dict[str, Any], decision: str, note: str,
                   actor: Optional[str]) -> None:
    """The submitter hears of the moderators' decision in their digest
    (not of their own decisions, e.g. an import)."""
    submitter = model.User.get(reuse.get("creator_user_id") or "")
    acting = model.User.get(actor) if actor else None
    if submitter is not None and (acting is None or acting.id != submitter.id):
        model.Session.add(ReuseNotification(user_id=submitter.id, reuse_id=reuse["id"],
                                            decision=decision, note=note or None))
        model.Session.commit()


def _title(pkg: model.Package) -> str:
    """The title in the site's language (multilingual titles are extras)."""
    return tk.h.fluent_language_text(pkg.extras.get("title_translated")) or pkg.title


def _link(pkg: model.Package, route: str) -> str:
    return "{} ({})".format(_title(pkg), tk.url_for(route, id=pkg.name, _external=True))


def _reused_lines(rows: list[ReuseNotification]) -> list[str]:
    lines = []
    for row in rows:
        reuse, dataset = model.Package.get(row.reuse_id), model.Package.get(row.dataset_id or "")
        if reuse is not None and dataset is not None and reuse.state == "active":
            lines += ["- " + _link(reuse, "reuse.read"),
                      "  " + tk._("uses {dataset}").format(dataset=_link(dataset, "dataset.read"))]
    if not lines:
        return []
    site = tk.config.get("ckan.site_title")
    return ([tk._("New reuses of your datasets were published on {site}:").format(site=site), ""]
            + lines + ["", tk._('If a reuse does not really use your dataset, you can refuse the '
                                'link from the "Reuses" tab of the dataset.'), ""])


def _decision_lines(rows: list[ReuseNotification]) -> list[str]:
    from ckanext.reuse.helpers import reuse_state_label

    lines = []
    for row in rows:
        reuse = model.Package.get(row.reuse_id)
        if reuse is not None and reuse.state == "active":
            lines.append("- {}: {}".format(_link(reuse, "reuse.read"), reuse_state_label(row.decision)))
            if row.note:
                lines.append("  " + tk._("Moderator note") + ": " + row.note)
    if not lines:
        return []
    return [tk._("The moderators decided on your reuses:"), ""] + lines + [""]


def _digest_body(user: model.User, rows: list[ReuseNotification]) -> str:
    sections = (_reused_lines([r for r in rows if r.dataset_id])
                + _decision_lines([r for r in rows if r.decision]))
    if not sections:
        return ""
    site = tk.config.get("ckan.site_title")
    lines = [tk._("Hello {name},").format(name=user.display_name), ""] + sections + [
        "--", "{} · {}".format(site, tk.config.get("ckan.site_url"))]
    return "\n".join(lines) + "\n"


def send_digests() -> dict[str, int]:
    """Mail every user with waiting entries one digest; entries of a user
    without e-mail address stay queued. Returns counts sent/failed."""
    pending: dict[str, list[ReuseNotification]] = defaultdict(list)
    for row in model.Session.query(ReuseNotification).filter(
            ReuseNotification.sent.is_(None)).order_by(ReuseNotification.created):
        pending[row.user_id].append(row)
    sent = failed = 0
    for user_id, rows in pending.items():
        user = model.User.get(user_id)
        body = _digest_body(user, rows) if user is not None else ""
        if body and user is not None and user.email:
            try:
                mailer.mail_user(user, tk._("Reuses: your digest from {site}").format(
                    site=tk.config.get("ckan.site_title")), body)
            except mailer.MailerException as error:
                log.warning("reuse digest to %s not sent: %s", user.name, error)
                failed += 1
                continue
            sent += 1
        elif user is not None and not user.email and body:
            failed += 1
            continue
        now = datetime.datetime.utcnow()
        for row in rows:
            row.sent = now
        model.Session.commit()
    return {"sent": sent, "failed": failed}
