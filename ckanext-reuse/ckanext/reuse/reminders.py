"""Reminder digests to publishers about data requests past their due date
(``ckan reuse datarequest-reminders``, run from cron)."""
from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ckanext.reuse import notify
from ckanext.reuse.model import DataRequest

log = logging.getLogger(__name__)

#: Statuses still waiting for the publisher.
WAITING = ("open", "under_review", "planned")


def overdue(today: Optional[datetime.date] = None) -> list[DataRequest]:
    """Public requests still waiting whose due date has passed, oldest due first."""
    today = today or datetime.date.today()
    return (model.Session.query(DataRequest)
            .filter(DataRequest.status.in_(WAITING), DataRequest.visibility == "visible",
                    DataRequest.due_date < today)
            .order_by(DataRequest.due_date, DataRequest.created).all())


def digests(requests: list[DataRequest]) -> dict[str, list[DataRequest]]:
    """Requests per recipient (user id): admins and editors of the
    organisations a request targets; moderators for requests targeting none."""
    per_user: dict[str, list[DataRequest]] = defaultdict(list)
    moderators = [u for u in notify.moderators() if u.email]
    for request in requests:
        recipients = notify.org_publishers(request.organization_ids()) or moderators
        for user in recipients:
            if user.email and request not in per_user[user.id]:
                per_user[user.id].append(request)
    return dict(per_user)


def _body(requests: list[DataRequest], today: datetime.date) -> str:
    lines = [tk._("These data requests addressed to you are past their due date:"), ""]
    for request in requests:
        lines.append("- {title} ({days})".format(
            title=request.title,
            days=tk._("due {date}, {n} days late").format(
                date=request.due_date.isoformat(), n=(today - request.due_date).days)))
        lines.append("  " + notify.page_url("/datarequest/" + request.id))
    lines += ["", tk._("Answer them, plan the publication or explain why the data cannot be "
                       "opened."), "", tk.config.get("ckan.site_title", "")]
    return "\n".join(lines)


def send_reminders(today: Optional[datetime.date] = None, dry_run: bool = False,
                   now: bool = False,
                   progress: Optional[Callable[[int], None]] = None) -> dict[str, int]:
    """One digest per recipient through CKAN's mailer: queued as a
    background job (``ckan jobs worker`` sends it), or sent at once with
    ``now`` (then failures are counted)."""
    today = today or datetime.date.today()
    requests = overdue(today)
    per_user = digests(requests)
    counts = {"requests": len(requests), "recipients": len(per_user),
              "queued": 0, "sent": 0, "failed": 0}
    for user_id, items in per_user.items():
        user = model.User.get(user_id)
        if not dry_run and user is not None:
            subject = tk.ungettext("[Data requests] {n} request past its due date",
                                   "[Data requests] {n} requests past their due date",
                                   len(items)).format(n=len(items))
            args = [user.email, user.display_name, subject, _body(items, today)]
            if not now:
                tk.enqueue_job(notify.send, args, title="data request reminder")
                counts["queued"] += 1
            else:
                try:
                    notify.send(*args)
                    counts["sent"] += 1
                except mailer.MailerException:
                    log.exception("Reminder to %s not sent", user.name)
                    counts["failed"] += 1
        if progress:
            progress(1)
    return counts
