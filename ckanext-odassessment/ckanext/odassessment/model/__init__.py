"""Tables of ckanext-odassessment, one module per feature (as ckanext-activity's model).

Each module declares its tables on ``ckan.model.meta.metadata``; they are
created by the plugin's alembic migrations (``ckan db upgrade -p odassessment``,
revisions under ``migration/odassessment/versions``)."""

from ckanext.odassessment.model import inventory, usage  # noqa: E402,F401  (issue 8)
from ckanext.odassessment.model import assessment  # noqa: E402,F401  (issue 7)
