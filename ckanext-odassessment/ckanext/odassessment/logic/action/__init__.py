"""Actions of ckanext-odassessment, one module per feature (CKAN core's layout).

A new feature module is imported here and added to the ``export_functions`` call."""
from ckanext.opengov.logic import export_functions

from ckanext.odassessment.logic.action import inventory, programme, usage  # noqa: E402 (issue 8)
from ckanext.odassessment.logic.action import assessment  # noqa: E402 (issue 7)

__all__ = export_functions(globals(), inventory, programme, usage, assessment)
