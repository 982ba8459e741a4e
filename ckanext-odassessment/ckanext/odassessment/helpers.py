"""Template helpers of ckanext-odassessment (registered by the blanket decorator)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk


def odassessment_usage_totals(package_id: str) -> dict[str, int]:
    """All-time views and downloads of a dataset (issue 8)."""
    from ckanext.odassessment import usage
    return usage.totals(package_id)


def odassessment_download_url(pkg: dict[str, Any], res: dict[str, Any]) -> str:
    """The resource's counted download address (the download route, which
    serves an upload or redirects to a link) (issue 8)."""
    return tk.h.url_for("resource.download", id=pkg.get("name") or pkg.get("id"),
                        resource_id=res["id"])


def odassessment_inventory_status_label(status: str) -> str:
    """Label of an inventory status in the UI language (issue 8)."""
    from ckanext.odassessment import inventory
    return inventory.status_label(status)


def odassessment_percent(value: Optional[float]) -> str:
    """0.4567 -> "45.7 %"; "–" when there is no value (issue 8)."""
    if value is None:
        return "–"
    return f"{value * 100:.1f} %"


def odassessment_bar_width(value: Any, maximum: Any) -> int:
    """Width in percent of a chart bar (issue 8)."""
    try:
        return max(0, min(100, round(100 * float(value) / float(maximum)))) if maximum else 0
    except (TypeError, ValueError):
        return 0


def odassessment_options(choices: list[dict[str, Any]]) -> list[dict[str, str]]:
    """{value, label} choices as options of CKAN's form.select macro (issue 8)."""
    return [{"value": c["value"], "text": c["label"]} for c in choices]


def odassessment_status_options() -> list[dict[str, str]]:
    """Inventory statuses as select options in the UI language (issue 8)."""
    from ckanext.odassessment import inventory
    from ckanext.odassessment.model.inventory import STATUSES
    return [{"value": s, "text": inventory.status_label(s)} for s in STATUSES]


def odassessment_status_rows(by_status: dict[str, int]) -> list[dict[str, Any]]:
    """Inventory status counts as chart rows with labels (issue 8)."""
    from ckanext.odassessment import inventory
    return [{"label": inventory.status_label(s), "count": n} for s, n in by_status.items()]


def odassessment_now() -> Any:
    """Now, for report dates (issue 8)."""
    import datetime
    return datetime.datetime.utcnow()


# ------------------------------------------------------------ assessment (issue 7)

def odassessment_dataset_badge(package_id: str) -> Optional[dict[str, Any]]:
    """The newest complete score of a dataset (for the badge on its page)."""
    from ckanext.odassessment.model import assessment as store
    score = store.latest_scores("dataset", [package_id]).get(package_id)
    if score is None:
        return None
    return {"mqa": score.mqa, "mqa_band": score.mqa_band, "extended": score.extended,
            "extended_band": score.extended_band}


def odassessment_band_label(band: Optional[str]) -> str:
    from ckanext.odassessment import labels
    return labels.band(band)


def odassessment_chart_points(history: list[dict[str, Any]], key: str, maximum: float,
                              width: int = 600, height: int = 160) -> str:
    """SVG polyline points of a score history (oldest on the left)."""
    values = [h.get(key) for h in history if h.get(key) is not None]
    if not values or not maximum:
        return ""
    step = width / max(1, len(values) - 1)
    return " ".join(f"{round(i * step, 1)},{round(height - height * min(v, maximum) / maximum, 1)}"
                    for i, v in enumerate(values))
