"""Logic of ckanext-odassessment: actions, auth functions, schemas and validators."""
