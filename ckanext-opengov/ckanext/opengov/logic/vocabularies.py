"""Controlled vocabularies of the portal (themes, licences, frequencies, ...)
and the validators and helpers built on them."""
from __future__ import annotations


def get_validators() -> dict:
    return {}


def get_helpers() -> dict:
    return {}
