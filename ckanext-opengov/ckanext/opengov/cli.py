"""``ckan opengov ...`` commands for portal operators."""
from __future__ import annotations

import click

from ckanext.opengov import demo
from ckanext.opengov.harvest import cli as harvest_cli

__all__ = ["opengov"]


@click.group(short_help="National open data portal commands.")
def opengov():
    """National open data portal commands."""


@opengov.command("demo-load")
@click.option("--admin", default="admin", show_default=True, help="Sysadmin user name.")
@click.option("--password", envvar="OPENGOV_ADMIN_PASSWORD", required=True,
              help="Sysadmin password (or OPENGOV_ADMIN_PASSWORD).")
@click.option("--email", default="admin@localhost", show_default=True)
def demo_load(admin: str, password: str, email: str):
    """Load the demo content (themes, organisations, datasets) once."""
    if demo.ensure_sysadmin(admin, password, email):
        click.echo(f"Created sysadmin {admin}")
    steps = demo.demo_steps()
    with click.progressbar(length=len(steps), label="Demo content") as bar:
        created = demo.load_demo(steps, on_step=lambda: bar.update(1))
    click.echo(f"Demo content: {created} created, {len(steps) - created} already there")


opengov.add_command(harvest_cli.harvest_register)
opengov.add_command(harvest_cli.harvest_report)
opengov.add_command(harvest_cli.harvest_allow_withdrawal)
