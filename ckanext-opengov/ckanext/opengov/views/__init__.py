"""Blueprints of ckanext-opengov (registered by CKAN's blanket decorator)."""
from ckanext.opengov.views.harvest import harvest_report

__all__ = ["harvest_report"]
