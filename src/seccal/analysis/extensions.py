"""Extra analyses other packages add to ``metrics.json`` (its ``extensions`` object).

A package registers a function of the results frame and the settings; its JSON-ready
result lands under ``extensions[name]``, and a report section registered with
:func:`seccal.report.sections.register_section` renders it. Nothing is recomputed at
render time.

Examples
--------
>>> @register_analysis("row_count")
... def _rows(frame, settings):
...     return {"rows": len(frame)}
>>> "row_count" in ANALYSES
True
>>> del ANALYSES["row_count"]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from seccal.analysis.settings import Settings

Analysis = Callable[[pd.DataFrame, Settings], Any]
#: ``name -> analysis``, in registration order.
ANALYSES: dict[str, Analysis] = {}


def register_analysis(name: str) -> Callable[[Analysis], Analysis]:
    """Decorator: run ``fn(frame, settings)`` in every analysis, under ``extensions[name]``."""

    def add(fn: Analysis) -> Analysis:
        ANALYSES[name] = fn
        return fn

    return add
