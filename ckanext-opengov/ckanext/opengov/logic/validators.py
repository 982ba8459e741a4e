"""Fluent-compatible multilingual validators (fluent_text, fluent_tags, ...)."""
from __future__ import annotations
