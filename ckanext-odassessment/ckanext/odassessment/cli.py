"""``ckan odassessment …``: commands for portal admins (assessment runs, inventories, usage)."""
from __future__ import annotations

import click


@click.group(short_help="Assessment grid, inventories and usage.")
def odassessment() -> None:
    """Assessment grid, publication inventories and usage figures."""
