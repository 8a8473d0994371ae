"""The ``repairs`` table of a run store: one row per (source generation, variant, round).

The schema lives in :mod:`seccal.core.schema`. ``conf_reason`` is NULL while the
repaired code's confidence was never asked; otherwise why ``conf_after`` is unknown
(``''`` when it is known). Reasons starting with :data:`RETRY_PREFIX` (a transient call
failure) are asked again on the next run. ``cost_usd`` and the token counts add up the
repair call and the call that rated the repaired code.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from seccal.core.labels import CORRECT_VALUE, SECURE_VALUE
from seccal.core.schema import connect

RETRY_PREFIX = "call failed"
NO_CODE = "no repaired code to rate"


@dataclass(frozen=True)
class RepairOutcome:
    """One repair: the reply, the extracted code and its new labels (or unknown + reason)."""

    source_gen_id: str
    variant: str
    threshold: float
    reply: str | None
    code: str | None
    conf_after: float | None
    secure_after: str  # secure | vulnerable | unknown
    correct_after: str  # pass | fail | unknown
    reason: str = ""
    conf_reason: str | None = None
    round: int = 1
    findings_after: tuple[str, ...] = ()
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass(frozen=True)
class Rated:
    """The confidence asked of one repaired code, and what asking cost."""

    source_gen_id: str
    value: float | None
    reason: str
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


_COLUMNS = (
    "source_gen_id, variant, threshold, reply, code, conf_after, secure_after, correct_after, "
    "reason, created, conf_reason, round, findings_after, cost_usd, tokens_in, tokens_out"
)


class RepairStore:
    """The ``repairs`` table (in the run store's SQLite file, or any file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = connect(self.path)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> RepairStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put(self, outcomes: Sequence[RepairOutcome]) -> int:
        """Write outcomes (first write wins); returns how many were new."""
        now = time.time()
        rows = [
            (
                o.source_gen_id,
                o.variant,
                o.threshold,
                o.reply,
                o.code,
                o.conf_after,
                o.secure_after,
                o.correct_after,
                o.reason,
                now,
                o.conf_reason,
                o.round,
                json.dumps(list(o.findings_after)),
                o.cost_usd,
                o.tokens_in,
                o.tokens_out,
            )
            for o in outcomes
        ]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            before = self._db.total_changes
            self._db.executemany(
                f"INSERT OR IGNORE INTO repairs ({_COLUMNS}) VALUES ({', '.join('?' * 16)})", rows
            )
            new = self._db.total_changes - before
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return new

    def done(self, variant: str, round: int = 1) -> set[str]:
        """Source generation ids already repaired with ``variant`` in ``round``."""
        rows = self._db.execute(
            "SELECT source_gen_id FROM repairs WHERE variant = ? AND round = ?", (variant, round)
        )
        return {r[0] for r in rows}

    def unrated(self, variant: str, round: int = 1) -> dict[str, str]:
        """Repaired code (by source generation id) whose confidence is still to be asked."""
        rows = self._db.execute(
            "SELECT source_gen_id, code FROM repairs WHERE variant = ? AND round = ? "
            "AND code IS NOT NULL AND conf_after IS NULL "
            "AND (conf_reason IS NULL OR conf_reason LIKE ?)",
            (variant, round, RETRY_PREFIX + "%"),
        )
        return {r[0]: r[1] for r in rows}

    def set_confidence(self, variant: str, rated: Sequence[Rated], round: int = 1) -> None:
        """Store each rating of a repair of ``variant`` in ``round``, adding its cost."""
        rows = [
            (r.value, r.reason, r.cost_usd, r.tokens_in, r.tokens_out, r.source_gen_id, variant)
            for r in rated
        ]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "UPDATE repairs SET conf_after = ?, conf_reason = ?, cost_usd = cost_usd + ?, "
                "tokens_in = tokens_in + ?, tokens_out = tokens_out + ? "
                f"WHERE source_gen_id = ? AND variant = ? AND round = {int(round)}",
                rows,
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def outcomes(self, variant: str, round: int) -> dict[str, RepairOutcome]:
        """The stored outcomes of ``variant`` in ``round``, by source generation id."""
        rows = self._db.execute(
            "SELECT source_gen_id, threshold, reply, code, conf_after, secure_after, "
            "correct_after, reason, conf_reason, findings_after FROM repairs "
            "WHERE variant = ? AND round = ?",
            (variant, round),
        )
        out = {}
        for gid, thr, reply, code, conf, sec, cor, reason, conf_reason, findings in rows:
            out[gid] = RepairOutcome(
                gid,
                variant,
                thr,
                reply,
                code,
                conf,
                sec,
                cor,
                reason,
                conf_reason,
                round,
                tuple(json.loads(findings or "[]")),
            )
        return out

    def frame(self) -> pd.DataFrame:
        """All repairs with labels as 1 / 0 / NA (the layout ``summarize_repair`` reads)."""
        cols = [
            "source_gen_id",
            "variant",
            "round",
            "threshold",
            "code",
            "conf_after",
            "conf_reason",
            "secure_after",
            "correct_after",
            "reason",
            "cost_usd",
            "tokens_in",
            "tokens_out",
        ]
        df = pd.read_sql_query(
            f"SELECT {', '.join(cols)} FROM repairs ORDER BY variant, round, source_gen_id",
            self._db,
        )
        df["secure_after"] = df["secure_after"].map(SECURE_VALUE).astype("Int64")
        df["correct_after"] = df["correct_after"].map(CORRECT_VALUE).astype("Int64")
        return df

    def final_frame(self) -> pd.DataFrame:
        """:meth:`frame` with each (source, variant) at the last round it reached.

        One row per repaired snippet and variant: the state after every round, the
        layout :func:`~seccal.mitigate.repair.summarize_repair` reads per variant.
        """
        df = self.frame()
        if df.empty:
            return df
        last = df.groupby(["source_gen_id", "variant"])["round"].transform("max")
        return df[df["round"] == last].reset_index(drop=True)
