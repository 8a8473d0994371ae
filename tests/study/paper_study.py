"""A study shaped like the paper, at a size CI can afford.

3 models on three wire formats (OpenAI, Gemini, DashScope's OpenAI-compatible mode),
6 temperatures, both kinds of suite (a built-in self-contained task and a
repository-level task), 4 generation variants, verbalized security and functional confidence, and
two rounds of calibration-guided repair with both repair variants. Everything is real
except the model: the sandbox judges every snippet, the store is SQLite.
"""

from __future__ import annotations

from pathlib import Path

from seccal.core.task import Task
from seccal.repo.bridge import repo_task_for
from seccal.tasks.registry import load_suite

BUILTIN_TASK = "path-user-notes"
REPO_TASK = "py-path-sanitizer-attachments"
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
VARIANTS = ("zero_shot", "few_shot", "cot", "few_shot_cot")
MODELS = ("gpt-4o-mini", "gemini-2.0-flash", "qwen3-coder-next")
#: generations of one run: models x temperatures x variants x (1 builtin + 1 repo task)
N_GENERATIONS = len(MODELS) * len(TEMPERATURES) * len(VARIANTS) * 2
STAGES = "generate,elicit,judge,repair,analyze"


def paper_tasks() -> list[Task]:
    """The two tasks: one self-contained, one repository-level."""
    builtin = {t.id: t for t in load_suite("builtin")}
    repo = {t.id: t for t in load_suite("repo")}
    return [builtin[BUILTIN_TASK], repo[REPO_TASK]]


def references() -> dict[str, tuple[str, str]]:
    """Prompt → (secure, insecure) answer: a whole module, or a repository's masked region."""
    out = {}
    for task in paper_tasks():
        if task.kind == "repository":
            rt = repo_task_for(task)
            out[task.prompt] = (rt.fixed_region, rt.vulnerable_region)
        else:
            out[task.prompt] = (task.secure_reference or "", task.insecure_reference or "")
    return out


def write_paper_study(
    folder: Path,
    root_url: str,
    key_env: str,
    *,
    concurrency: int = 8,
    n_boot: int = 20,
    judge_batch: int = 1,
    models: tuple[tuple[str, str, str], ...] | None = None,
    max_tokens: int = 256,
    form: str = "chat",
    temperatures: tuple[float, ...] = TEMPERATURES,
    rounds: int = 2,
    timeout_s: float = 60.0,
    elicit_max_tokens: int = 16,
) -> Path:
    """Write ``study.toml`` of the paper-shaped study against the server at ``root_url``.

    ``models`` overrides the three models as ``(name, provider, base_url)``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if models is None:
        models = (
            ("gpt-4o-mini", "openai", f"{root_url}/v1"),
            ("gemini-2.0-flash", "gemini", root_url),
            ("qwen3-coder-next", "dashscope", f"{root_url}/v1"),
        )
    model_tables = "".join(
        f"""
[[models]]
name = "{name}"
provider = "{provider}"
model = "{name}"
base_url = "{url}"
api_key_env = "{key_env}"
form = "{form}"
[models.limits]
concurrency = {concurrency}
max_retries = 0
timeout_s = {timeout_s}
"""
        for name, provider, url in models
    )
    study = folder / "study.toml"
    study.write_text(
        f"""[study]
name = "paper-small"
output_dir = "{folder / "runs"}"
temperatures = {list(temperatures)}
samples = 1
label_source = "dynamic"
max_tokens = {max_tokens}
{model_tables}
[[suites]]
name = "builtin"
tasks = ["{BUILTIN_TASK}"]

[[suites]]
name = "repo"
tasks = ["{REPO_TASK}"]

[generate]
variants = {list(VARIANTS)}
reasoning_max_tokens = 64

[elicit]
methods = ["verbal"]
targets = ["security", "functional"]
max_tokens = {elicit_max_tokens}

[judge]
batch_size = {judge_batch}
analyzers = []

[analysis]
n_boot = {n_boot}

[mitigations]
gates = ["functional"]

[mitigations.repair]
threshold = 0.5
variants = ["confidence", "findings"]
rounds = {rounds}
""",
        encoding="utf-8",
    )
    return study
