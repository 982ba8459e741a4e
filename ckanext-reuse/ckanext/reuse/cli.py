"""``ckan reuse …``: commands for portal admins (reuses, data requests)."""
from __future__ import annotations

from typing import Any

import click

__all__ = ["reuse"]


@click.group(short_help="Reuses, data requests and feedback.")
def reuse() -> None:
    """Reuses, data requests and feedback on datasets."""


@reuse.command("check-links")
@click.argument("reuses", nargs=-1)
def check_links(reuses: tuple[str, ...]) -> None:
    """Check the link of every active reuse (or of the REUSES named) and
    record its status; dead links go to the moderation queue."""
    from ckanext.reuse import linkcheck

    links = linkcheck.reuses_to_check(list(reuses) or None)
    with click.progressbar(length=len(links), label="Checking reuse links") as bar:
        counts = linkcheck.check_all(links, bar.update)
    click.echo("ok: {ok}, dead: {dead}, refused: {refused}".format(**counts))


@reuse.command("import-showcases")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--lang", default="fr", show_default=True,
              help="Language of the showcases' titles and descriptions.")
@click.option("--reuse-type", default="application", show_default=True,
              help="Reuse type given to the imported showcases.")
def import_showcases(file: Any, lang: str, reuse_type: str) -> None:
    """Create approved reuses from a ckanext-showcase export (FILE.json)."""
    import ckan.plugins.toolkit as tk
    from ckanext.reuse import showcase_import

    try:
        showcases = showcase_import.read_showcases(file.read())
    except ValueError as error:
        raise click.ClickException("{}: {}".format(file.name, error))
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    with click.progressbar(length=len(showcases), label="Importing showcases") as bar:
        report = showcase_import.import_showcases(showcases, site_user, lang, reuse_type,
                                                  bar.update)
    click.echo("created: %d, skipped (already there): %d, failed: %d"
               % (len(report.created), len(report.skipped), len(report.failed)))
    for name, errors in report.failed.items():
        click.echo("failed {}: {}".format(name, errors), err=True)
    for name, refs in report.missing_datasets.items():
        click.echo("{}: datasets not on this portal: {}".format(name, ", ".join(refs)), err=True)
    if report.failed:
        raise click.exceptions.Exit(1)


@reuse.command("send-digests")
@click.pass_context
def send_digests(ctx: click.Context) -> None:
    """E-mail each publisher one digest of the approved reuses of their
    datasets since the last run (run it from cron, e.g. daily)."""
    from ckanext.reuse import notifications

    with ctx.meta["flask_app"].test_request_context():
        counts = notifications.send_digests()
    click.echo("digests sent: {sent}, not sent: {failed}".format(**counts))
