"""The report model: a ``metrics.json`` document plus what a page needs around it.

Nothing here computes a metric: every number comes from the document
(:mod:`seccal.analysis`); :func:`report_model` adds the title, the flattened study
settings and the glossary, and the properties read the document for the templates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from seccal.analysis.settings import Settings
from seccal.report.glossary import glossary


@dataclass(frozen=True)
class ReportModel:
    """Everything one report shows."""

    title: str
    generated: str
    source: str
    doc: Mapping[str, Any]
    settings: list[tuple[str, str]]
    glossary: list[tuple[str, str]]

    @property
    def options(self) -> Settings:
        """The analysis settings the numbers were computed with."""
        s: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in self.doc["settings"].items()
        }
        return Settings(**s)

    @property
    def models(self) -> list[str]:
        """Models in report order."""
        return list(self.doc["axes"]["model"])

    @property
    def temperatures(self) -> list[float]:
        """Temperatures in ascending order."""
        return list(self.doc["axes"]["temperature"])

    @property
    def suites(self) -> list[str]:
        """Suites in report order."""
        return list(self.doc["axes"]["suite"])

    @property
    def counts(self) -> dict[str, int]:
        """Snippets, tasks and label counts."""
        return dict(self.doc["counts"])

    @property
    def label_source(self) -> str:
        """The study's label source."""
        return str(self.doc["study"]["label_source"])

    @property
    def label_definition(self) -> str:
        """The label source in words."""
        return str(self.doc["study"]["label_definition"])

    @property
    def security_confidence(self) -> str:
        """The security confidence the headline numbers are about (empty when none)."""
        return str(self.doc["primary"].get("security", ""))

    @property
    def functional_confidence(self) -> str | None:
        """The functional confidence, when the data has one."""
        value = self.doc["primary"].get("functional")
        return None if value is None else str(value)

    @property
    def findings(self) -> list[str]:
        """The finding in words (``metrics.json`` ``findings``)."""
        return list(self.doc["findings"])

    @property
    def notes(self) -> list[str]:
        """What could not be computed, and why."""
        return list(self.doc["notes"])

    @property
    def sandbox(self) -> Mapping[str, Any]:
        """How judged code was isolated (``weak`` flags a fallback)."""
        box: Mapping[str, Any] = self.doc["sandbox"]
        return box

    @property
    def cards(self) -> list[dict[str, Any]]:
        """Per model: ``{"model", "security", "functional"}`` pooled measures."""
        return [{"model": r["condition"]["model"], **r["targets"]} for r in self.doc["models"]]

    def unknown_count(self, target: str) -> int | None:
        """Snippets whose ``target`` label is unknown."""
        value = self.doc["counts"].get(f"{target}_unknown")
        return None if value is None else int(value)


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k in value:
            _flatten(f"{prefix}.{k}" if prefix else str(k), value[k], out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(f"{prefix}[{i}]", v, out)
    else:
        out.append((prefix, json.dumps(value, ensure_ascii=False, default=str)))


def report_model(
    doc: Mapping[str, Any], *, source: str | None = None, title: str | None = None
) -> ReportModel:
    """The report model of a ``metrics.json`` document (nothing is recomputed)."""
    settings: list[tuple[str, str]] = []
    _flatten("", doc["study"].get("config") or {}, settings)
    s = doc["settings"]
    name = doc["study"].get("name", "")
    where = source or str(doc["source"].get("description") or doc["source"].get("path", ""))
    return ReportModel(
        title=title or (f"seccal report — {name}" if name else "seccal report"),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        source=where,
        doc=doc,
        settings=settings,
        glossary=glossary(float(s["tau"]), int(s["n_bins"]), str(s["strategy"]), int(s["n_boot"])),
    )
