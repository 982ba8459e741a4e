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
    """E-mail each user one digest: approved reuses of their datasets and
    decisions on their reuses since the last run (cron, e.g. daily)."""
    from ckanext.reuse import notifications

    with ctx.meta["flask_app"].test_request_context():
        counts = notifications.send_digests()
    click.echo("digests sent: {sent}, not sent: {failed}".format(**counts))


@reuse.command("datarequest-reminders")
@click.option("--dry-run", is_flag=True, help="Count the reminders without sending them.")
@click.option("--now", is_flag=True,
              help="Send from this command instead of queueing background jobs.")
@click.pass_context
def datarequest_reminders(ctx: click.Context, dry_run: bool, now: bool) -> None:
    """E-mail the publishers (admins and editors of the organisations a
    request is addressed to; moderators when none) one digest of the data
    requests past their due date, through background jobs (``ckan jobs
    worker``) unless --now. Run it from cron, e.g. daily."""
    from ckanext.reuse import reminders

    with ctx.meta["flask_app"].test_request_context():
        recipients = len(reminders.digests(reminders.overdue()))
        with click.progressbar(length=recipients, label="Reminders") as bar:
            counts = reminders.send_reminders(dry_run=dry_run, now=now, progress=bar.update)
    click.echo("overdue requests: {requests}, recipients: {recipients}, queued: {queued}, "
               "sent: {sent}, failed: {failed}".format(**counts))
    if counts["failed"]:
        raise click.exceptions.Exit(1)


@reuse.command("purge-spammer")
@click.argument("user")
@click.option("--block", is_flag=True, help="Also delete the user account.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_spammer(user: str, block: bool, yes: bool) -> None:
    """Delete everything USER posted: data requests, comments, feedback,
    replies, ratings, votes, reports, and their reuses (all of them)."""
    import ckan.plugins.toolkit as tk

    if not yes:
        click.confirm("Delete everything {} posted?".format(user), abort=True)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        counts = tk.get_action("moderation_purge_user")(
            {"user": site_user}, {"user": user, "block": block})
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_dict))
    click.echo(", ".join("{}: {}".format(k, v) for k, v in counts.items()))


@reuse.command("demo-load")
def demo_load() -> None:
    """Load the demo reuses, data requests and feedback once (on top of
    ``ckan opengov demo-load``'s datasets); loading again changes nothing."""
    from ckanext.reuse import demo

    missing = demo.missing_prerequisites()
    if missing:
        raise click.ClickException("not on this portal: {} (load them first with "
                                   "`ckan opengov demo-load`)".format(", ".join(missing)))
    steps = demo.demo_steps()
    with click.progressbar(length=len(steps), label="Reuse demo content") as bar:
        created = demo.load_demo(steps, on_step=bar.update)
    click.echo("Reuse demo content: {} created, {} already there".format(
        created, len(steps) - created))
