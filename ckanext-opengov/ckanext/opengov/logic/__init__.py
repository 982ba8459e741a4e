"""Logic of ckanext-opengov, and what the bundle's other plugins share."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from ckan.authz import get_local_functions


def export_functions(namespace: dict[str, Any], *modules: ModuleType) -> list[str]:
    """Put the public functions of ``modules`` into a package ``namespace``
    and return their names, for the package's ``__all__`` (read by CKAN's
    blanket decorators), so actions and auth functions live in one module
    per feature as in CKAN core's ``logic.action``."""
    names: list[str] = []
    for module in modules:
        for name, func in get_local_functions(module):
            namespace[name] = func
            names.append(name)
    return names
