"""Auth functions of ckanext-reuse, one module per feature (CKAN core's layout).

A new feature module is imported here and added to the ``export_functions`` call."""
from ckanext.opengov.logic import export_functions
from ckanext.reuse.logic.auth import datarequest, feedback, moderation, reuse

__all__ = export_functions(globals(), reuse, datarequest, feedback, moderation)
