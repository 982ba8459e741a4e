"""``ckan opengov harvest-register|harvest-report|harvest-allow-withdrawal``."""
from __future__ import annotations

import json

import click

import ckan.plugins.toolkit as tk

from ckanext.opengov.harvest import registry


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.command("harvest-register", short_help="Register or update sectoral portals from a YAML file.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def harvest_register(path: str):
    """Create or update the harvest sources listed in PATH (see
    config/sectoral_portals.example.yaml); unchanged sources are left alone.
    Exit code 1 when an entry has errors (the others are still applied)."""
    try:
        entries = registry.load(path)
    except (ValueError, OSError) as error:
        raise click.ClickException(f"{path}: {error}")
    context = _site_context()
    results, failed = [], 0
    with click.progressbar(entries, label="Sectoral portals") as bar:
        for entry in bar:
            results.append(registry.register(dict(context), entry))
    for result in results:
        line = f"{result['status']:<9} {result.get('name') or '?'}"
        if result["errors"]:
            failed += 1
            line += "  " + "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                                     for k, v in result["errors"].items())
        click.echo(line)
    counts = {s: sum(r["status"] == s for r in results) for s in ("created", "updated", "unchanged", "error")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    if failed:
        raise SystemExit(1)


@click.command("harvest-report", short_help="Last job, counts, next run and errors of every harvest source.")
@click.option("--source", "source_id", default=None, help="One source (id or name).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def harvest_report(source_id, as_json: bool):
    """What the harvest operator page shows, for every active source."""
    data = {"id": source_id} if source_id else {}
    try:
        reports = tk.get_action("opengov_harvest_report")(_site_context(), data)
    except tk.ObjectNotFound as error:
        raise click.ClickException(str(error))
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
        return
    if not reports:
        click.echo("No harvest source.")
    for report in reports:
        click.echo(f"{report['name']} ({report['type']}, {report['frequency']}) {report['url']}")
        click.echo(f"  organisation: {report['organization'] or '-'}  sector: {report['sector'] or '-'}  "
                   f"next run: {report['next_run'] or 'manual'}")
        job = report["last_job"]
        if job is None:
            click.echo("  no job yet")
            continue
        counts = job["counts"]
        click.echo(f"  last job: {job['status']} {job['created']}  created {counts['added']}, "
                   f"updated {counts['updated']}, unchanged {counts['not modified']}, "
                   f"withdrawn {counts['deleted']}, errored {counts['errored']}")
        for error in report["errors"]:
            where = f" [{error['guid']}]" if error.get("guid") else ""
            click.echo(f"  {error['stage']} error{where}: {error['message']}")


@click.command("harvest-allow-withdrawal",
               short_help="Let the next job of a source withdraw datasets beyond the safety threshold.")
@click.argument("source")
def harvest_allow_withdrawal(source: str):
    """Allow the next job of SOURCE to withdraw datasets even if its
    catalogue is empty or shrank more than max_shrink (one job only)."""
    try:
        tk.get_action("opengov_harvest_withdrawal_allow")(_site_context(), {"id": source})
    except tk.ObjectNotFound as error:
        raise click.ClickException(str(error))
    click.echo(f"The next job of {source} may withdraw datasets that its catalogue no longer lists.")
