"""Template helpers of the multilingual presets (fluent-compatible names)."""
from __future__ import annotations
