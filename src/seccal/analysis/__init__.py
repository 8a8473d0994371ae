"""The analysis: every number a run reports, computed once, into ``metrics.json``.

:func:`analyze_frame` turns a results frame (and the study config, and any repairs)
into the ``metrics.json`` document (docs/metrics-schema.md, version
:data:`SCHEMA_VERSION`); the summary, the HTML report and ``seccal tables`` render it
and never recompute. The metrics themselves live in :mod:`seccal.calibration` and the
mitigation analyses in :mod:`seccal.mitigate`; this package only decides what is
measured on which rows.

- :mod:`~seccal.analysis.frame`: conditions, targets, confidence columns of a frame.
- :mod:`~seccal.analysis.conditions`: group and summarize (also ``seccal metrics --by``).
- :mod:`~seccal.analysis.document`: the document, written and read.
- :mod:`~seccal.analysis.schema`: its version and structure check.
"""

from seccal.analysis.document import analyze_frame, read_metrics, write_metrics
from seccal.analysis.schema import METRICS_FILENAME, SCHEMA_VERSION, validate
from seccal.analysis.settings import Settings, settings_from_config

__all__ = [
    "METRICS_FILENAME",
    "SCHEMA_VERSION",
    "Settings",
    "analyze_frame",
    "read_metrics",
    "settings_from_config",
    "validate",
    "write_metrics",
]
