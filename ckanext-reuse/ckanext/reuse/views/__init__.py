"""Pages of ckanext-reuse, one Flask blueprint module per feature.

CKAN's blanket decorator registers every Blueprint imported here."""
