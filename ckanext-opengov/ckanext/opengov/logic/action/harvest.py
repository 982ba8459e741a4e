"""Action API of the harvesting of sectoral portals."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.harvest.model import HarvestSource

from ckanext.opengov.harvest import registry, report
from ckanext.opengov.harvest.sources import set_config_key


def _source(data_dict: DataDict) -> HarvestSource:
    ident = data_dict.get("id") or data_dict.get("source_id")
    if not ident:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    package = model.Package.get(ident)
    source = HarvestSource.get(package.id) if package and package.type == "harvest" else None
    if source is None:
        raise tk.ObjectNotFound(tk._("Harvest source not found"))
    return source


def opengov_harvest_withdrawal_allow(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Allow the next job of a source to withdraw datasets even when its
    catalogue is empty or shrank beyond ``max_shrink`` (used up by that job).

    :param id: the harvest source's id or name
    """
    source = _source(data_dict)
    tk.check_access("opengov_harvest_withdrawal_allow", context, {"id": source.id})
    set_config_key(source, "allow_withdrawal", True)
    source.save()
    return report.source_report(source)


@tk.side_effect_free
def opengov_harvest_report(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Per-source report: last job with its counts (added, updated, not
    modified, deleted = withdrawn, errored), next run and errors in the
    request's language. Lists the sources the user administers.

    :param id: one source (optional)
    """
    tk.check_access("opengov_harvest_report", context, data_dict)
    ids = [_source(data_dict).id] if data_dict.get("id") else None
    out = []
    for source in report.sources(ids):
        try:
            tk.check_access("harvest_source_update", dict(context), {"id": source.id})
        except tk.NotAuthorized:
            continue
        out.append(report.source_report(source))
    return out


def opengov_harvest_sources_register(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Register or update sectoral portals (the YAML registry's entries),
    idempotently: a source whose settings did not change is left alone.

    :param sources: list of entries (``name``, ``title``, ``url``, ``type``
        ``dcat_rdf``/``ckan``, ``organization``, ``sector``,
        ``default_language``, ``frequency``, ``organization_policy``,
        ``config``)
    :returns: one ``{"name", "status": created|updated|unchanged|error, "errors"}`` per entry
    """
    tk.check_access("opengov_harvest_sources_register", context, data_dict)
    entries = data_dict.get("sources")
    if not isinstance(entries, list) or not entries:
        raise tk.ValidationError({"sources": [tk._("A list of sources is required")]})
    return [registry.register(context, entry) for entry in entries]
