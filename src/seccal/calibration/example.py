"""Synthetic results tables: the example shipped with seccal and benchmark data.

The shipped ``data/example_results.csv`` is regenerated bit-for-bit by::

    python -m seccal.calibration.example src/seccal/calibration/data/example_results.csv

Nothing in it is measured: each task has a latent probability of secure code, each model
reports a verbalized confidence (rounded to 0.05, so heavily tied) that is a distortion of
that probability, over-confident for one model and roughly calibrated for the other.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

EXAMPLE_SEED = 2026
# model -> (confidence inflation, noise sd): how far stated confidence sits above reality
_MODELS = {"overconfident-7b": (0.35, 0.10), "calibrated-13b": (0.0, 0.08)}
_TEMPERATURES = (0.0, 0.8)


def synthetic_results(
    *,
    n_rows: int,
    n_tasks: int,
    seed: int = EXAMPLE_SEED,
    unknown_share: float = 0.0,
    tied: bool = True,
) -> pd.DataFrame:
    """Rows of (task_id, model, temperature, sample, confidence, secure).

    Parameters
    ----------
    n_rows, n_tasks : int
        Table size; rows are spread round-robin over tasks, models and temperatures.
    seed : int
        Generator seed; equal arguments give equal tables.
    unknown_share : float
        Share of rows whose label is left empty (a check that could not run).
    tied : bool
        Round confidences to 0.05 as verbalized confidences are; else keep them continuous.
    """
    rng = np.random.default_rng(seed)
    p_secure = rng.beta(2.0, 2.0, size=n_tasks)
    i = np.arange(n_rows)
    task = i % n_tasks
    combos = [(m, t) for m in _MODELS for t in _TEMPERATURES]
    combo = (i // n_tasks) % len(combos)
    sample = i // (n_tasks * len(combos))
    model = np.array([combos[k][0] for k in range(len(combos))])[combo]
    temp = np.array([combos[k][1] for k in range(len(combos))])[combo]
    inflation = np.array([_MODELS[m][0] for m in model])
    noise = np.array([_MODELS[m][1] for m in model]) * (1 + temp)
    secure = rng.random(n_rows) < p_secure[task]
    logit = np.log(p_secure[task] / (1 - p_secure[task]))
    conf = 1 / (1 + np.exp(-(logit + 4 * inflation + rng.normal(0, 1, n_rows) * noise * 4)))
    if tied:
        conf = np.round(conf * 20) / 20
    label = np.where(secure, "1", "0").astype(object)
    label[rng.random(n_rows) < unknown_share] = ""
    return pd.DataFrame(
        {
            "task_id": [f"T{t:03d}" for t in task],
            "model": model,
            "temperature": temp,
            "sample": sample,
            "confidence": np.round(conf, 4),
            "secure": label,
        }
    )


def make_example_results() -> pd.DataFrame:
    """The example table shipped with seccal: 40 tasks x 2 models x 2 temperatures x 3."""
    return synthetic_results(n_rows=480, n_tasks=40, seed=EXAMPLE_SEED, unknown_share=0.03)


def main(argv: list[str]) -> None:
    """Write the example table to the path given as the only argument."""
    if len(argv) != 1:
        raise SystemExit("usage: python -m seccal.calibration.example OUT.csv")
    make_example_results().to_csv(Path(argv[0]), index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1:])
