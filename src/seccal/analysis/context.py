"""What every part of an analysis shares: the frame's shape, the settings, the notes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from seccal.analysis.conditions import grouped
from seccal.analysis.frame import (
    CONDITION_AXES,
    DEFAULT_GEN_VARIANT,
    GEN_VARIANT_COLUMN,
    TARGET_LABEL,
)
from seccal.analysis.settings import Settings


@dataclass
class Context:
    """An analysis in progress.

    Attributes
    ----------
    frame : DataFrame
        The prepared results frame (:func:`seccal.analysis.frame.prepare`).
    settings : Settings
        Binning, threshold, bootstrap.
    primary : dict
        ``target -> confidence column`` of the headline numbers.
    config : dict
        The study config (``StudyConfig.to_dict()`` shape; may be empty).
    notes : list of str
        What could not be computed, and why (``metrics.json`` ``notes``).
    """

    frame: pd.DataFrame
    settings: Settings
    primary: dict[str, str]
    config: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def baseline_variant(self) -> str:
        """The generation variant pooled analyses use (``zero_shot`` when present)."""
        variants = sorted(set(self.frame[GEN_VARIANT_COLUMN]))
        return DEFAULT_GEN_VARIANT if DEFAULT_GEN_VARIANT in variants else variants[0]

    def baseline(self) -> pd.DataFrame:
        """Rows of the baseline generation variant."""
        df = self.frame
        return df.loc[df[GEN_VARIANT_COLUMN] == self.baseline_variant].reset_index(drop=True)

    def targets(self) -> Iterator[tuple[str, str, str]]:
        """``(target, primary confidence column, label column)`` of each target present."""
        for target, column in self.primary.items():
            yield target, column, TARGET_LABEL[target]

    def conditions(self) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
        """Every model × temperature × suite × generation variant, with its rows."""
        yield from grouped(self.frame, CONDITION_AXES)

    def pooled(self, by: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
        """Groups of ``by`` over the baseline variant; the other axes are None (pooled)."""
        for key, part in grouped(self.baseline(), by):
            full = {axis: key.get(axis) for axis in CONDITION_AXES}
            full[GEN_VARIANT_COLUMN] = self.baseline_variant
            yield full, part
