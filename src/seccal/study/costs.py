"""What a run spent: cost and tokens per model, stage and generation variant, from the store.

Every paid call is recorded with its cost and tokens where its result is stored:
``generations`` (the generate stage), ``confidences`` (elicitation; a call that
answers several targets is counted on its first record) and ``repairs`` (the repair
call plus the call that rated the repaired code). Calls answered from the response
cache on a resumed run keep the cost of the call that paid for them, so a resumed run
reports what an uninterrupted one does. The analysis stage and the report read
:func:`cost_table`; nothing here recomputes prices.
"""

from __future__ import annotations

import pandas as pd

from seccal.study.store import RunStore

#: Columns of :func:`cost_table`.
COST_COLUMNS = ("model", "stage", "gen_variant", "records", "tokens_in", "tokens_out", "cost_usd")

_QUERIES = {
    "generate": (
        "SELECT model, gen_variant, COUNT(*), COALESCE(SUM(tokens_in), 0), "
        "COALESCE(SUM(tokens_out), 0), COALESCE(SUM(cost_usd), 0) FROM generations "
        "GROUP BY model, gen_variant"
    ),
    "elicit": (
        "SELECT g.model, g.gen_variant, COUNT(*), COALESCE(SUM(c.tokens_in), 0), "
        "COALESCE(SUM(c.tokens_out), 0), COALESCE(SUM(c.cost_usd), 0) FROM confidences c "
        "JOIN generations g ON g.gen_id = c.gen_id GROUP BY g.model, g.gen_variant"
    ),
    "repair": (
        "SELECT g.model, g.gen_variant, COUNT(*), COALESCE(SUM(r.tokens_in), 0), "
        "COALESCE(SUM(r.tokens_out), 0), COALESCE(SUM(r.cost_usd), 0) FROM repairs r "
        "JOIN generations g ON g.gen_id = r.source_gen_id GROUP BY g.model, g.gen_variant"
    ),
}


def cost_table(store: RunStore) -> pd.DataFrame:
    """One row per (model, stage, generation variant) that recorded anything.

    ``records`` counts stored records (generations, confidences, repairs), not HTTP
    requests; ``cost_usd`` is 0 for unpriced models.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with RunStore(pathlib.Path(tempfile.mkdtemp()) / "store.sqlite") as s:
    ...     list(cost_table(s).columns) == list(COST_COLUMNS)
    True
    """
    rows = []
    for stage, sql in _QUERIES.items():
        for model, variant, n, tin, tout, cost in store.query(sql):
            rows.append((model, stage, variant, int(n), int(tin), int(tout), float(cost)))
    df = pd.DataFrame(rows, columns=list(COST_COLUMNS))
    order = {s: i for i, s in enumerate(_QUERIES)}
    if df.empty:
        return df
    df["_order"] = df["stage"].map(order)
    df = df.sort_values(["model", "_order", "gen_variant"]).drop(columns="_order")
    return df.reset_index(drop=True)


def cost_by_stage(store: RunStore) -> pd.DataFrame:
    """:func:`cost_table` summed over generation variants: one row per (model, stage)."""
    df = cost_table(store)
    if df.empty:
        return df.drop(columns="gen_variant")
    keys = ["model", "stage"]
    out = df.groupby(keys, sort=False)[["records", "tokens_in", "tokens_out", "cost_usd"]].sum()
    return out.reset_index()
