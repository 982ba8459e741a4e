"""Auth functions of ckanext-opengov, one module per feature."""
from ckanext.opengov.logic import export_functions
from ckanext.opengov.logic.auth import harvest

__all__ = export_functions(globals(), harvest)
