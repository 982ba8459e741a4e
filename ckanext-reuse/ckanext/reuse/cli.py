"""``ckan reuse …``: commands for portal admins (reuses, data requests)."""
from __future__ import annotations

import click


@click.group(short_help="Reuses, data requests and feedback.")
def reuse() -> None:
    """Reuses, data requests and feedback on datasets."""
