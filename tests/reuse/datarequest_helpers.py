"""Builders and a real SMTP server for the data request, feedback and
moderation tests."""
from __future__ import annotations

import itertools
import socket
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any, Iterator

import pytest

from ckan import model
from ckan.tests import factories, helpers

_counter = itertools.count()


def call(action: str, user: Any = None, /, **data: Any) -> Any:
    """Run an action as ``user`` (a user dict, a name, or None for anonymous)."""
    name = user["name"] if isinstance(user, dict) else (user or "")
    return helpers.call_action(action, {"user": name, "model": model, "ignore_auth": False},
                               **data)


def request_data(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    data = {"title": "Horaires des bus de Sfax %d" % n,
            "description": "Les horaires **en CSV** par ligne.",
            "requester_type": "citizen", "intended_use": "Une application mobile",
            "kind": "new_dataset", "themes": ["transport"],
            "keywords": ["bus", "horaires"], "desired_formats": ["CSV", "json"],
            "desired_frequency": "MONTHLY", "spatial_coverage": "Sfax",
            "temporal_coverage": "2024-2026"}
    data.update(overrides)
    return data


def publisher_org(capacity: str = "editor", **org: Any) -> tuple[dict, dict]:
    """An organisation and one of its users with ``capacity``."""
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": capacity}], **org)
    return org, user


def open_request(requester: dict, moderator: dict, **overrides: Any) -> dict[str, Any]:
    """A request filed by ``requester`` and approved by ``moderator``."""
    created = call("datarequest_create", requester, **request_data(**overrides))
    return call("datarequest_status_update", moderator, id=created["id"], status="open")


class Mailbox:
    """Messages received by the test's SMTP server."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def recipients(self) -> list[str]:
        return [parseaddr(m["To"])[1] for m in self.messages]

    def bodies(self) -> list[str]:
        out = []
        for m in self.messages:
            part = m.get_payload(0) if m.is_multipart() else m
            out.append(part.get_payload(decode=True).decode("utf-8"))
        return out

    def wait_for(self, count: int, timeout: float = 10) -> None:
        end = time.time() + timeout
        while len(self.messages) < count and time.time() < end:
            time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(ckan_config, monkeypatch) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd); CKAN's mailer sends to it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:%d" % port)
        monkeypatch.setitem(ckan_config, "smtp.starttls", False)
        yield mailbox
    finally:
        controller.stop()


def run_jobs() -> None:
    """Run the queued background jobs (needs the ``with_test_worker`` fixture)."""
    from ckan.lib import jobs
    jobs.Worker(["default"]).work(burst=True)
