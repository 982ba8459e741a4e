"""Pages of ckanext-odassessment, one Flask blueprint module per feature.

CKAN's blanket decorator registers every Blueprint imported here."""
