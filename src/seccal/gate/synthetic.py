"""A synthetic study table with every gate feature and a known P(vulnerable) per row.

Nothing here is measured. It has the shape of ``seccal export`` (task_id, suite, language,
cwe, model, confidences, ``findings_*`` counts, ``parses``, ``correct``, ``secure``) plus
``p_vulnerable_true``, the probability the row was drawn with, so tests and benchmarks can
check a gate against the truth. Self-contained tasks (suite ``builtin``) and repository-level
tasks (suite ``repo``) differ the way the paper reports: the models are more over-confident
at repository level, and the analyzers (here tuned to Python) find less there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seccal.gate.features import FAMILIES, FINDING_COLUMNS

_CWES = ("CWE-89", "CWE-78", "CWE-22", "CWE-79", "CWE-94", "CWE-327", "CWE-798", "CWE-611")
_REPO_LANGUAGES = ("python", "javascript", "java", "c", "go")
_MODELS = {"overconfident-7b": 1.5, "calibrated-13b": 0.2}  # logit inflation of verbal confidence


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-z)))


def synthetic_study(
    *,
    n_tasks: int = 60,
    rows_per_task: int = 12,
    repo_share: float = 0.5,
    task_effect: float = 1.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Rows of a synthetic study; ``p_vulnerable_true`` is the truth the labels were drawn from.

    Parameters
    ----------
    n_tasks, rows_per_task : int
        Table size; rows of a task alternate between the two models.
    repo_share : float
        Share of tasks that are repository-level.
    task_effect : float
        Standard deviation of a per-task logit shift no feature sees: how strongly the
        snippets of one task are correlated beyond what the features explain.
    seed : int
        Generator seed; equal arguments give equal tables.
    """
    rng = np.random.default_rng(seed)
    is_repo = rng.random(n_tasks) < repo_share
    task_logit = rng.normal(0.3, 1.3, n_tasks)  # logit P(secure) of each task
    hidden = rng.normal(
        0.0, task_effect, n_tasks
    )  # task difficulty no feature sees: correlates rows
    task_cwe = rng.choice(len(_CWES), n_tasks)
    language = np.where(is_repo, rng.choice(_REPO_LANGUAGES, n_tasks), "python")
    task = np.repeat(np.arange(n_tasks), rows_per_task)
    n = task.size
    model_names = list(_MODELS)
    model = np.array(model_names)[np.arange(n) % len(model_names)]
    repo = is_repo[task]
    z = task_logit[task] + rng.normal(0, 0.8, n) - 0.6 * repo  # latent logit of secure code
    inflation = np.array([_MODELS[m] for m in model]) + 1.0 * repo
    verbal = _sigmoid(z + inflation + rng.normal(0, 1.0 + 0.5 * repo, n))
    ptrue = _sigmoid(0.8 * z + rng.normal(0, 1.2, n))
    consistency = np.round(_sigmoid(0.6 * z + rng.normal(0, 1.0, n)) * 5) / 5
    parses = rng.random(n) > 0.04
    correct = np.where(parses, rng.random(n) < _sigmoid(z * 0.3 + 0.5), False)
    # analyzers: findings in the task's CWE family where the latent risk is high, and they
    # carry evidence of their own (weaker off Python, where our rules see less)
    python = language[task] == "python"
    family_hits = rng.poisson(np.where(python, 1.2, 0.5) * _sigmoid(-z) * parses)
    noise_hits = rng.poisson(0.25, n) * parses
    evidence = np.where(python, 1.2, 0.4) * np.minimum(family_hits, 2)
    # the label is drawn last, from everything above: p_vulnerable_true is the exact
    # P(vulnerable | latent, hidden, features), so selecting on features keeps it the truth
    p_vulnerable = _sigmoid(-z + evidence - 0.4 + hidden[task])
    secure = rng.random(n) >= p_vulnerable
    counts = {c: np.zeros(n, dtype=np.int64) for c in FINDING_COLUMNS}
    fam_name = {cwe: next(nm for fam, nm in FAMILIES if cwe in fam) for cwe in _CWES}
    for i in range(n):
        fam = fam_name[_CWES[task_cwe[task[i]]]]
        counts[f"findings_fam_{fam}"][i] += family_hits[i]
        counts["findings_fam_other"][i] += noise_hits[i]
        counts["findings_high"][i] += family_hits[i]
        counts["findings_low"][i] += noise_hits[i]
    counts["findings_total"] = counts["findings_high"] + counts["findings_low"]
    frame = pd.DataFrame(
        {
            "task_id": [f"{'repo' if is_repo[t] else 'builtin'}/T{t:03d}" for t in task],
            "suite": np.where(repo, "repo", "builtin"),
            "language": language[task],
            "cwe": np.array(_CWES)[task_cwe[task]],
            "model": model,
            "temperature": 0.2,
            "sample": np.arange(n) // len(model_names) % max(1, rows_per_task // 2),
            "conf_security_verbal": np.round(verbal * 20) / 20,
            "conf_ptrue": np.round(ptrue, 4),
            "conf_consistency": consistency,
            **counts,
            "parses": parses.astype(int),
            "correct": correct.astype(int),
            "secure": secure.astype(int),
            "p_vulnerable_true": np.round(p_vulnerable, 6),
        }
    )
    return frame
