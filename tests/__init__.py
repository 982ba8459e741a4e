"""Test suite of the bundle: run with ``make test`` (pytest --ckan-ini=test.ini)."""
