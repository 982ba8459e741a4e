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


def _run(graph: Graph) -> list[tuple[Any, dict[str, str]]]:
    """(focus node, result) of every result of validating ``graph``."""
    _, report, _ = pyshacl.validate(graph, shacl_graph=_shapes(shape_files()), inference="none",
                                    abort_on_first=False, allow_warnings=True)
    results = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        results.append((focus, {
            "focus": str(focus),
            "path": str(report.value(result, SH.resultPath) or ""),
            "message": str(report.value(result, SH.resultMessage) or ""),
            "severity": str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
        }))
    return results


def _report(results: list[dict[str, str]]) -> dict[str, Any]:
    results = sorted(results, key=lambda r: (r["severity"] != "Violation", r["path"], r["focus"]))
    violations = sum(1 for r in results if r["severity"] == "Violation")
    return {"conforms": violations == 0, "violations": violations, "results": results[:MAX_RESULTS],
            "shapes": [os.path.basename(f) for f in shape_files()]}


def validate(graph: Graph) -> dict[str, Any]:
    """``{"conforms", "violations", "results": [{"focus", "path",
    "message", "severity"}], "shapes": [file names]}``."""
    return _report([r for _, r in _run(graph)])


def validate_many(graphs: list[Graph]) -> list[dict[str, Any]]:
    """:func:`validate` of each graph, in one pyshacl call over their
    union (about twice as fast for a run). Each result goes to the graphs
    that hold its focus node; the shipped shapes put no count limits on the
    nodes datasets share (publishers, licences, themes, places), so the
    reports are those of separate validations (tests check it)."""
    union = Graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    found: list[list[dict[str, str]]] = [[] for _ in graphs]
    for focus, result in _run(union):
        for i, graph in enumerate(graphs):
            if (focus, None, None) in graph or (None, None, focus) in graph:
                found[i].append(result)
    return [_report(results) for results in found]
