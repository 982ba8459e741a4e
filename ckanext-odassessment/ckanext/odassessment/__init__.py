"""ckanext-odassessment: the assessment grid (scores, inventories, dashboards, exports)."""
