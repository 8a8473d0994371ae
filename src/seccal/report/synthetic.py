"""A synthetic but realistic results table, shaped like ``seccal export`` output.

Nothing in it is measured. It exists so that the report, its tests and its benchmark run
without a study: each task has a latent chance of secure and of correct code; code that
fails its functional tests is more often vulnerable (as in real studies, which is what
makes execution gating help); each model states verbalized confidences (rounded to 5%,
so heavily tied) that over-state that chance by a model-specific amount, more noisily at
higher temperature. A few labels are unknown, as when a check cannot run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# model -> (security over-statement, functional over-statement, noise)
DEFAULT_MODELS: dict[str, tuple[float, float, float]] = {
    "gpt-4o-mini": (0.45, 0.15, 0.8),
    "gemini-2.0-flash": (0.25, 0.10, 0.7),
}
VARIANTS = ("zero_shot", "few_shot", "cot", "few_shot_cot")
_VARIANT_SHIFT = {"zero_shot": 0.0, "few_shot": -0.35, "cot": -0.2, "few_shot_cot": -0.5}


def _sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _label(values: Any, unknown: Any) -> pd.Series:
    s = pd.Series(values.astype(int), dtype="Int64")
    s[unknown] = pd.NA
    return s


def synthetic_export(
    *,
    n_tasks: int = 24,
    temperatures: tuple[float, ...] = (0.0, 0.4, 0.8),
    suites: tuple[str, ...] = ("builtin", "repo-builtin"),
    samples: int = 2,
    models: dict[str, tuple[float, float, float]] | None = None,
    variants: tuple[str, ...] = VARIANTS,
    seed: int = 7,
) -> pd.DataFrame:
    """One row per generation with the columns of ``seccal export``.

    Parameters
    ----------
    n_tasks : int
        Tasks per suite.
    temperatures, suites, samples : tuple, tuple, int
        The study's conditions.
    models : dict, optional
        ``name -> (security over-statement, functional over-statement, noise)`` on the
        logit scale (default: two models, one far more over-confident).
    variants : tuple of str
        Confidence prompt variants (``conf_security_verbal_<variant>`` columns).
    seed : int
        Equal arguments give equal tables.
    """
    rng = np.random.default_rng(seed)
    models = models or DEFAULT_MODELS
    rows: list[dict[str, Any]] = []
    cwes = ("CWE-89", "CWE-78", "CWE-22", "CWE-502", "CWE-79", "CWE-327")
    for suite_i, suite in enumerate(suites):
        hard = 0.8 * suite_i  # repository-level suites are harder
        p_cor = _sigmoid(rng.normal(0.8 - hard, 1.0, n_tasks))
        p_sec = _sigmoid(rng.normal(0.2 - hard, 1.0, n_tasks))
        for name, (sec_over, fun_over, noise) in models.items():
            for temp in temperatures:
                for t in range(n_tasks):
                    for s in range(samples):
                        rows.append(
                            {
                                "gen_id": f"{name}|{temp:g}|{suite}/t{t:02d}|{s}",
                                "model": name,
                                "provider": "openai" if "gpt" in name else "gemini",
                                "model_id": name,
                                "temperature": temp,
                                "sample": s,
                                "suite": suite,
                                "task_id": f"{suite}/t{t:02d}",
                                "task": f"t{t:02d}",
                                "cwe": cwes[t % len(cwes)],
                                "_p_sec": p_sec[t],
                                "_p_cor": p_cor[t],
                                "_over": (sec_over, fun_over, noise * (1 + temp)),
                            }
                        )
    df = pd.DataFrame(rows)
    n = len(df)
    over = np.array(df.pop("_over").tolist())
    p_sec, p_cor = df.pop("_p_sec").to_numpy(), df.pop("_p_cor").to_numpy()
    has_code = rng.random(n) > 0.02
    parses = has_code & (rng.random(n) > 0.05)
    correct = parses & (rng.random(n) < p_cor)
    # Broken code is more often vulnerable: execution gating has something to remove.
    secure = rng.random(n) < np.where(correct, np.minimum(1.0, p_sec * 1.35), p_sec * 0.55)
    static_clean = np.where(secure, rng.random(n) < 0.85, rng.random(n) < 0.35)
    unknown_sec = ~has_code | (rng.random(n) < 0.03)
    unknown_cor = ~has_code | (rng.random(n) < 0.02)
    logit_sec = np.log(p_sec / (1 - p_sec))
    logit_cor = np.log(p_cor / (1 - p_cor))
    for v in variants:
        shift = _VARIANT_SHIFT.get(v, 0.0)
        cs = _sigmoid(logit_sec + 4 * over[:, 0] * (1 + shift) + rng.normal(0, 1, n) * over[:, 2])
        cf = _sigmoid(logit_cor + 4 * over[:, 1] + rng.normal(0, 1, n) * over[:, 2])
        df[f"conf_security_verbal_{v}"] = np.round(cs * 20) / 20
        df[f"conf_functional_verbal_{v}"] = np.round(cf * 20) / 20
    first = variants[0]
    df["conf_security_verbal"] = df[f"conf_security_verbal_{first}"]
    df["conf_functional_verbal"] = df[f"conf_functional_verbal_{first}"]
    df["conf_ptrue"] = np.round(_sigmoid(logit_sec + 1.0 + rng.normal(0, 1.2, n)), 4)
    df["seq_logprob"] = np.round(-rng.gamma(2.0, 0.15, n), 4)
    for col in [c for c in df.columns if c.startswith("conf_")]:
        df.loc[~has_code, col] = np.nan
    df["has_code"] = has_code
    df["parses"] = parses
    df["generation_error"] = np.where(has_code, "", "timeout")
    df["cost_usd"] = np.round(rng.uniform(1e-4, 6e-4, n), 6)
    df["secure_dynamic"] = _label(secure, unknown_sec)
    df["secure_static"] = _label(static_clean | secure, ~has_code)
    findings = pd.Series((~static_clean).astype(int), dtype="Int64")
    df["n_findings"] = findings.where(pd.Series(has_code), pd.NA)
    df["secure"] = df["secure_dynamic"]
    df["correct"] = _label(correct, unknown_cor)
    df["judged"] = has_code
    return df


def synthetic_config(df: pd.DataFrame) -> dict[str, Any]:
    """A study config (the ``StudyConfig.to_dict`` shape) describing ``df``."""
    temps = sorted(float(t) for t in df["temperature"].unique())
    return {
        "name": "synthetic",
        "temperatures": temps,
        "samples": int(df["sample"].max()) + 1,
        "label_source": "dynamic",
        "max_tokens": 1024,
        "models": [
            {"name": m, "provider": p, "model": m}
            for m, p in df[["model", "provider"]].drop_duplicates().itertuples(index=False)
        ],
        "suites": [{"name": s} for s in df["suite"].unique()],
        "elicit": {
            "methods": ["verbal", "ptrue"],
            "targets": ["security", "functional"],
            "variants": [
                c.removeprefix("conf_security_verbal_")
                for c in df.columns
                if c.startswith("conf_security_verbal_")
            ],
        },
        "analysis": {"n_bins": 10, "strategy": "uniform", "tau": 0.8, "n_boot": 200, "seed": 0},
        "mitigations": {"gating": True, "repair_threshold": 0.5},
        "note": "synthetic data: nothing here was measured",
    }


def synthetic_repairs(
    df: pd.DataFrame,
    *,
    threshold: float = 0.5,
    variants: tuple[str, ...] = ("confidence", "findings"),
    seed: int = 11,
) -> pd.DataFrame:
    """Repair outcomes (``RepairStore.frame()`` layout) for the low-confidence rows of ``df``.

    Some vulnerable snippets get fixed (more often with the analyzer's findings), some
    correct ones break, as the study this tool replicates observed.
    """
    rng = np.random.default_rng(seed)
    conf = pd.to_numeric(df["conf_security_verbal"], errors="coerce")
    chosen = df.loc[(conf < threshold) & df["has_code"].astype(bool)]
    rows = []
    for variant in variants:
        p_fix = 0.25 if variant == "confidence" else 0.45
        for _, r in chosen.iterrows():
            sec, cor = r["secure"], r["correct"]
            sec_after = sec if pd.isna(sec) else int(sec == 1 or rng.random() < p_fix)
            cor_after = cor if pd.isna(cor) else int(cor == 1 and rng.random() > 0.3)
            rows.append(
                {
                    "source_gen_id": r["gen_id"],
                    "variant": variant,
                    "threshold": threshold,
                    "code": "",
                    "conf_after": float(np.round(rng.uniform(0.6, 0.95) * 20) / 20),
                    "secure_after": sec_after,
                    "correct_after": cor_after,
                    "reason": "",
                }
            )
    out = pd.DataFrame(rows)
    for col in ("secure_after", "correct_after"):
        out[col] = out[col].astype("Int64")
    return out


def synthetic_run(df: pd.DataFrame, config: dict[str, Any], run_dir: Any) -> Any:
    """Write ``df`` (a :func:`synthetic_export` table) as the run store of a run folder.

    Every generation, verbal confidence (per variant) and verdict goes through the real
    :class:`seccal.study.store.RunStore`, so ``seccal report RUN_DIR`` reads it like a run
    of ``seccal run``. Returns the store path.
    """
    from pathlib import Path

    from seccal.core.task import Task
    from seccal.study.store import ConfidenceRecord, GenerationRecord, RunStore, VerdictRecord

    sec = {1: "secure", 0: "vulnerable"}
    fun = {1: "pass", 0: "fail"}

    def lab(value: Any, names: dict[int, str]) -> str:
        return "unknown" if pd.isna(value) else names[int(value)]

    path = Path(run_dir) / "store.sqlite"
    variants = [
        c.removeprefix("conf_security_verbal_")
        for c in df.columns
        if c.startswith("conf_security_verbal_")
    ]
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in df.to_dict("records")
    ]
    with RunStore(path) as store:
        store.set_meta("config", config)
        seen: dict[str, Task] = {}
        for r in records:
            if r["task_id"] not in seen:
                seen[r["task_id"]] = Task(
                    id=str(r["task"]),
                    suite=str(r["suite"]),
                    language="python",
                    cwes=(str(r["cwe"]),),
                    prompt=f'def {r["task"]}(path):\n    """Task {r["task_id"]}."""\n',
                    module_name="solution",
                    entry_point=str(r["task"]),
                )
        store.put_tasks(list(seen.values()))
        gens, confs, verdicts = [], [], []
        for r in records:
            g = str(r["gen_id"])
            code = f"def {r['task']}(path):\n    return open(path).read()\n"
            gens.append(
                GenerationRecord(
                    g,
                    str(r["model"]),
                    str(r["provider"]),
                    str(r["model_id"]),
                    float(r["temperature"]),
                    int(r["sample"]),
                    str(r["suite"]),
                    str(r["task_id"]),
                    code=code if r["has_code"] else None,
                    parses=bool(r["parses"]),
                    seq_logprob=float(r["seq_logprob"]),
                    cost_usd=float(r["cost_usd"]),
                )
            )
            for target in ("security", "functional"):
                for v in variants:
                    value = r[f"conf_{target}_verbal_{v}"]
                    confs.append(
                        ConfidenceRecord(
                            g, "verbal", v, target, None if pd.isna(value) else float(value)
                        )
                    )
            if r["has_code"]:
                verdicts.append(
                    VerdictRecord(
                        g,
                        lab(r["correct"], fun),
                        lab(r["secure_dynamic"], sec),
                        lab(r["secure_static"], sec),
                        int(r["n_findings"]),
                        "{}",
                    )
                )
        store.put_generations(gens)
        store.put_confidences(confs)
        store.put_verdicts(verdicts)
    return path
