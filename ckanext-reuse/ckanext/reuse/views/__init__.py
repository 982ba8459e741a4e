"""Pages of ckanext-reuse, one Flask blueprint module per feature.

CKAN's blanket decorator registers every Blueprint imported here."""
from ckanext.reuse.views.reuse import reuse_dataset  # noqa: E402,F401
