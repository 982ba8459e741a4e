"""Actions of ckanext-opengov, one module per feature."""
from ckanext.opengov.logic import export_functions
from ckanext.opengov.logic.action import harvest

__all__ = export_functions(globals(), harvest)
