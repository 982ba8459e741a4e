"""DCAT-AP conformance (MQA metric 13): pyshacl validation of the dataset's
graph against the DCAT-AP shapes the plugin ships (``data/shapes/*.ttl``,
or ``ckanext.odassessment.shacl_shapes``: a space-separated list of files)."""
from __future__ import annotations

import functools
import os
from typing import Any

import ckan.plugins.toolkit as tk
import pyshacl
from rdflib import Graph
from rdflib.namespace import SH

from ckanext.odassessment import vocabularies as vocab

#: Results kept per dataset (the report's first ones).
MAX_RESULTS = 20


def shape_files() -> tuple[str, ...]:
    configured = tk.config.get("ckanext.odassessment.shacl_shapes")
    if configured:
        return tuple(configured.split())
    folder = os.path.join(vocab.DATA, "shapes")
    return tuple(sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".ttl")))


@functools.lru_cache(maxsize=4)
def _shapes(files: tuple[str, ...]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def validate(graph: Graph) -> dict[str, Any]:
    """``{"conforms", "violations", "results": [{"focus", "path",
    "message", "severity"}], "shapes": [file names]}``."""
    files = shape_files()
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=_shapes(files), inference="none",
                                           abort_on_first=False, allow_warnings=True)
    results = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        results.append({
            "focus": str(report.value(result, SH.focusNode)),
            "path": str(report.value(result, SH.resultPath) or ""),
            "message": str(report.value(result, SH.resultMessage) or ""),
            "severity": str(severity).rsplit("#", 1)[-1],
        })
    results.sort(key=lambda r: (r["severity"] != "Violation", r["path"], r["focus"]))
    violations = sum(1 for r in results if r["severity"] == "Violation")
    return {"conforms": bool(conforms), "violations": violations, "results": results[:MAX_RESULTS],
            "shapes": [os.path.basename(f) for f in files]}
