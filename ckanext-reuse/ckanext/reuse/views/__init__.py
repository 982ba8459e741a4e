"""Pages of ckanext-reuse, one Flask blueprint module per feature.

CKAN's blanket decorator registers every Blueprint imported here."""
from ckanext.reuse.views.reuse import reuse_admin, reuse_dataset  # noqa: E402,F401
from ckanext.reuse.views.datarequest import datarequest, report  # noqa: E402,F401
from ckanext.reuse.views.feedback import feedback  # noqa: E402,F401
from ckanext.reuse.views.moderation import moderation  # noqa: E402,F401
