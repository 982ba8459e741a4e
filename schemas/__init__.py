"""Scheming schemas of the national portal (installed as ckanext.opengov.schemas)."""
