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
