"""One measurement of one metric on a dataset or a distribution: the raw
value, whether it was declared or only defaulted, and the points earned."""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

#: Where a measured value came from. ``defaulted``: filled in by CKAN or
#: ckanext-dcat (``metadata_created``/``metadata_modified``, maintainer or
#: author as contact point); a strict assessment gives those no points.
DECLARED = "declared"
DEFAULTED = "defaulted"
INHERITED = "inherited"     # the dataset's value on a distribution
ORGANIZATION = "organization"  # the dataset's organisation, the schema's publisher field
HTTP = "http"
SHACL = "shacl"
ABSENT = "absent"


@dataclasses.dataclass
class Measurement:
    metric: str
    dimension: str
    layer: str                     # "mqa" or "extended"
    points: float
    max_points: float
    value: Any = None              # raw value (JSON-serialisable)
    basis: str = DECLARED
    applicable: bool = True
    resource_id: Optional[str] = None   # distribution metrics only

    @property
    def met(self) -> bool:
        return self.applicable and self.points >= self.max_points > 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
