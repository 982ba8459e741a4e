"""Logic of ckanext-reuse: actions, auth functions, schemas and validators."""
