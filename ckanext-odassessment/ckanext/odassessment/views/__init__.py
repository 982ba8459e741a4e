"""Pages of ckanext-odassessment, one Flask blueprint module per feature.

CKAN's blanket decorator registers every Blueprint imported here."""

from ckanext.odassessment.views.inventory import inventory  # noqa: E402,F401 (issue 8)
from ckanext.odassessment.views.officers import officers  # noqa: E402,F401 (issue 8)
from ckanext.odassessment.views.programme import programme  # noqa: E402,F401 (issue 8)
from ckanext.odassessment.views.assessment import assessment  # noqa: E402,F401 (issue 7)
