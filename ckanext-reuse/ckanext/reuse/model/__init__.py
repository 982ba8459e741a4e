"""Tables of ckanext-reuse, one module per feature (as ckanext-activity's model).

Each module declares its tables on ``ckan.model.meta.metadata``; they are
created by the plugin's alembic migrations (``ckan db upgrade -p reuse``,
revisions under ``migration/reuse/versions``)."""
from ckanext.reuse.model.datarequest import *  # noqa: E402,F401,F403
from ckanext.reuse.model.feedback import *  # noqa: E402,F401,F403
from ckanext.reuse.model.report import *  # noqa: E402,F401,F403
from ckanext.reuse.model.reuse import *  # noqa: E402,F401,F403
