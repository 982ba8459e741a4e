"""``ckan odassessment …``: commands for portal admins (assessment runs, inventories, usage)."""
from __future__ import annotations

import click


@click.group(short_help="Assessment grid, inventories and usage.")
def odassessment() -> None:
    """Assessment grid, publication inventories and usage figures."""


#: What CKAN's blanket decorator registers (click groups are not functions).
__all__ = ["odassessment"]


# ------------------------------------------------------------ assessment (issue 7)

def _run_report(run) -> str:
    return (f"Run {run.id} ({run.kind}{', strict' if run.strict else ''}"
            f"{', HTTP checks' if run.http else ''}): {run.state}, "
            f"{run.datasets_done}/{run.datasets_total} datasets")


@odassessment.command("run", short_help="Score the datasets (MQA and extended score).")
@click.option("--full", "mode", flag_value="full", default=True, help="Every dataset (default).")
@click.option("--changed-since", "changed_since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only datasets changed since this date (YYYY-MM-DD).")
@click.option("--strict/--no-strict", default=None, help="No points for values only defaulted by CKAN.")
@click.option("--http/--no-http", default=True, show_default=True, help="Check access and download URLs.")
@click.option("--jobs", is_flag=True, help="Queue one background job per dataset instead of scoring here.")
@click.option("--resume", "resume", is_flag=True, help="Continue the newest interrupted run.")
@click.option("--run-id", help="With --resume: the run to continue.")
def run_command(mode, changed_since, strict, http, jobs, resume, run_id):
    """Score datasets and store the run; the dashboards switch to it when
    it is complete. An interrupted run stays invisible and can be resumed
    with --resume."""
    from ckanext.odassessment import runner
    if resume:
        run = runner.resume(run_id)
        if run is None:
            raise click.ClickException("No interrupted run to resume")
    else:
        kind = "changed" if changed_since else "full"
        run = runner.start(kind, strict=strict, http=http, changed_since=changed_since, user="cli")
    if jobs:
        queued = runner.enqueue(run)
        if not queued:
            runner.finish(run)
        click.echo(f"Queued {queued} background jobs for run {run.id} (ckan jobs worker)")
        return
    remaining = len(runner.targets(run))
    with click.progressbar(length=remaining, label="Scoring datasets", show_pos=True, show_eta=True) as bar:
        runner.execute(run, progress=bar.update)
    click.echo(_run_report(run))


@odassessment.command("runs", short_help="List the assessment runs.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100))
def runs_command(limit):
    import ckan.plugins.toolkit as tk
    for run in tk.get_action("odassessment_run_list")({"ignore_auth": True}, {"limit": limit}):
        click.echo(f"{run['id']}  {run['started'][:19]}  {run['kind']:<8} {run['state']:<9} "
                   f"{run['datasets_done']}/{run['datasets_total']}")


@odassessment.command("export", short_help="Export a complete run as CSV, JSON or DQV.")
@click.option("--run-id", help="Default: the newest complete full or changed run.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "dqv"]), default="csv", show_default=True)
@click.option("--level", type=click.Choice(["dataset", "organization", "portal", "all"]), default="dataset",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
def export_command(run_id, fmt, level, output):
    """Private datasets are included (the command runs as the site user)."""
    import ckan.plugins.toolkit as tk
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    data = {"format": fmt, "level": level}
    if run_id:
        data["run_id"] = run_id
    try:
        out = tk.get_action("odassessment_export")({"user": site_user["name"]}, data)
    except (tk.ObjectNotFound, tk.ValidationError) as e:
        raise click.ClickException(str(e))
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(out["data"])
        click.echo(f"Wrote {output}")
    else:
        click.echo(out["data"], nl=False)


@odassessment.command("check-weights", short_help="Check a weights YAML file of the extended score.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def check_weights_command(path):
    import yaml
    from ckanext.odassessment import extended
    try:
        with open(path, encoding="utf-8") as f:
            weights = extended.parse_weights(yaml.safe_load(f))
    except (extended.WeightsError, yaml.YAMLError) as e:
        raise click.ClickException(f"{path}: {e}")
    click.echo(f"{path}: {len(weights['points'])} metrics, {sum(weights['points'].values()):g} points")


# ------------------------------------------------ inventory and usage (issue 8)

def _site_context() -> dict:
    import ckan.plugins.toolkit as tk
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}


def _import_file(organization: str, path: str, dry_run: bool) -> dict:
    """Import one file; raises ClickException listing every row error."""
    import os
    import ckan.plugins.toolkit as tk
    with open(path, "rb") as f:
        content = f.read()
    data = {"organization": organization, "content": content, "dry_run": dry_run,
            "format": os.path.splitext(path)[1].lower().strip(".")}
    try:
        return tk.get_action("inventory_import")(_site_context(), data)
    except tk.ObjectNotFound as e:
        raise click.ClickException(f"{organization}: {e}")
    except tk.ValidationError as e:
        lines = [f"{path}: nothing imported"]
        lines += [f"  {m}" for m in e.error_dict.get("upload", [])]
        lines += [f"  row {r['row']}, {r['column']}: {r['message']}" for r in e.error_dict.get("rows", [])]
        raise click.ClickException("\n".join(lines))


@odassessment.group("inventory", short_help="Publication inventories: import, export, progress.")
def inventory_group() -> None:
    """Publication inventories of the organisations."""


@inventory_group.command("import", short_help="Import an organisation's inventory (CSV or XLSX).")
@click.argument("organization")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file.")
def inventory_import_command(organization, path, dry_run):
    """Rows whose reference is in the inventory update it, the others are
    added; nothing is written when a row has an error (all are listed)."""
    result = _import_file(organization, path, dry_run)
    verb = "checked" if dry_run else "imported"
    click.echo(f"{path}: {result['rows']} rows {verb}, {result['created']} new, {result['updated']} updated")


@inventory_group.command("import-dir", short_help="Import <organisation>.csv/.xlsx files of a folder.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the files.")
def inventory_import_dir_command(folder, dry_run):
    """Each file is named after its organisation and imported on its own
    (all or nothing per file); the failures are listed at the end."""
    import os
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".csv", ".xlsx")))
    failures = []
    with click.progressbar(files, label="Importing inventories", show_pos=True) as bar:
        for name in bar:
            try:
                _import_file(os.path.splitext(name)[0], os.path.join(folder, name), dry_run)
            except click.ClickException as e:
                failures.append(e.message)
    click.echo(f"{len(files) - len(failures)} of {len(files)} files imported")
    if failures:
        raise click.ClickException("\n".join(failures))


@inventory_group.command("export", short_help="Export an organisation's inventory.")
@click.argument("organization")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True)
def inventory_export_command(organization, fmt, output):
    from ckan import model
    from ckanext.odassessment import inventory
    from ckanext.odassessment.model.inventory import InventoryEntry
    org = model.Group.get(organization)
    if org is None or not org.is_organization:
        raise click.ClickException(f"No organisation {organization}")
    rows = inventory.export_rows(InventoryEntry.for_organization(org.id))
    with open(output, "wb") as f:
        f.write(inventory.to_csv(rows) if fmt == "csv" else inventory.to_xlsx(rows, org.name))
    click.echo(f"Wrote {len(rows) - 1} entries to {output}")


@inventory_group.command("progress", short_help="Progress rate of an organisation or the portal.")
@click.argument("organization", required=False)
def inventory_progress_command(organization):
    import ckan.plugins.toolkit as tk
    data = {"organization": organization} if organization else {}
    try:
        p = tk.get_action("inventory_progress_show")(_site_context(), data)
    except tk.ObjectNotFound as e:
        raise click.ClickException(str(e))
    rate = "-" if p["progress_rate"] is None else f"{p['progress_rate'] * 100:.1f} %"
    click.echo(f"entries {p['entries']}, approved {p['approved']}, published {p['published']}, "
               f"overdue {p['overdue']}, progress rate {rate}")


@odassessment.group("usage", short_help="Page views and downloads.")
def usage_group() -> None:
    """Usage figures counted by the portal."""


@usage_group.command("summary", short_help="Views and downloads per month.")
@click.option("--organization")
@click.option("--dataset")
@click.option("--since", help="YYYY-MM-DD")
@click.option("--until", help="YYYY-MM-DD")
def usage_summary_command(organization, dataset, since, until):
    import ckan.plugins.toolkit as tk
    data = {k: v for k, v in (("organization", organization), ("dataset", dataset),
                              ("since", since), ("until", until)) if v}
    try:
        summary = tk.get_action("usage_summary_show")(_site_context(), data)
    except (tk.ObjectNotFound, tk.ValidationError) as e:
        raise click.ClickException(str(e))
    click.echo("month    views  downloads")
    for m in summary["per_month"]:
        click.echo(f"{m['month']}  {m['views']:>6} {m['downloads']:>10}")
    click.echo(f"total    {summary['views']:>6} {summary['downloads']:>10}")


@usage_group.command("purge", short_help="Forget old visitor keys (counts are kept).")
@click.option("--days", type=click.IntRange(1), help="Keep this many days (default: "
              "ckanext.odassessment.usage_visitor_days).")
def usage_purge_command(days):
    import datetime
    import ckan.plugins.toolkit as tk
    from ckanext.odassessment.model import usage
    days = days or int(tk.config.get("ckanext.odassessment.usage_visitor_days"))
    removed = usage.purge_visits(datetime.date.today() - datetime.timedelta(days=days))
    click.echo(f"Forgot {removed} visitor keys older than {days} days")


@odassessment.command("demo-load", short_help="Load the demo officers, inventories and a first run.")
def demo_load_command():
    """Demo content for a local portal, on top of ``ckan opengov demo-load``:
    open data officers, inventory entries (some published as demo datasets)
    and, when no run is complete yet, a full run without HTTP checks.
    Loading again changes nothing."""
    import ckan.plugins.toolkit as tk
    from ckanext.odassessment import demo
    steps = demo.demo_steps()
    try:
        with click.progressbar(length=len(steps), label="Assessment demo content") as bar:
            done = demo.load_demo(steps, on_step=bar.update)
    except (tk.ObjectNotFound, tk.ValidationError) as e:
        raise click.ClickException(f"{e} (the demo organisations and datasets come from "
                                   "`ckan opengov demo-load`: run it first)")
    click.echo(f"Assessment demo content: {done} created, {len(steps) - done} already there")
