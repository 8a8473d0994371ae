"""The ``aicgseceval`` suite: AICGSecEval instances as tasks judged in their container images.

``aicgseceval`` (or ``aicgseceval:PATH``, a folder holding ``data_v2.json`` and its BM25
context file, or one data file) gives a :class:`~seccal.core.task.Task` of kind
``container`` per instance whose repository seccal can reach:

- a local clone or mirror under ``$SECCAL_AICGSECEVAL_REPOS``, named ``OWNER__NAME``,
  ``OWNER/NAME`` or ``NAME`` (``.git`` suffix allowed); or
- ``$SECCAL_AICGSECEVAL_REMOTE``, a URL template such as ``https://github.com/{repo}.git``.

Each instance's repository is cloned once at ``base_commit`` into
``$SECCAL_AICGSECEVAL_CACHE`` (default ``~/.cache/seccal/aicgseceval/INSTANCE``); the
prompt is built from that checkout (masked file plus BM25 context) and the judge
(:mod:`seccal.repo.aicgseceval_judge`) writes the generated region back into the same
file. Instances in languages seccal does not model (PHP, TypeScript) and instances with
no reachable repository are left out, and the log says how many and why.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from pathlib import Path

from seccal.core.task import Language, Task
from seccal.errors import ConfigError
from seccal.repo.aicgseceval import (
    DEFAULT_CONTEXT,
    DEFAULT_DATA,
    AicgInstance,
    build_prompt,
    load_aicgseceval,
    mask_lines,
)
from seccal.repo.execute import run_trusted
from seccal.tasks.paths import resolve_data_path
from seccal.tasks.registry import register_suite

log = logging.getLogger(__name__)

SUITE = "aicgseceval"
REPOS_ENV = "SECCAL_AICGSECEVAL_REPOS"
REMOTE_ENV = "SECCAL_AICGSECEVAL_REMOTE"
CACHE_ENV = "SECCAL_AICGSECEVAL_CACHE"
#: ``Task.metadata`` key holding the instance's data record.
RECORD_KEY = "aicgseceval"
#: ``Task.metadata`` key holding the checkout at ``base_commit``.
CHECKOUT_KEY = "checkout"
#: AICGSecEval's language names to seccal's (others are not modelled yet).
LANGUAGES: dict[str, Language] = {
    "c": "c",
    "c++": "cpp",
    "cpp": "cpp",
    "java": "java",
    "python": "python",
    "javascript": "javascript",
}
CLONE_TIMEOUT_S = 1800


class CheckoutError(RuntimeError):
    """The repository could not be cloned or checked out at the instance's commit."""


def cache_root() -> Path:
    """``$SECCAL_AICGSECEVAL_CACHE`` or ``~/.cache/seccal/aicgseceval``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "seccal" / "aicgseceval"


def repo_source(repo: str) -> str | None:
    """Where ``OWNER/NAME`` is cloned from: a local mirror, the remote template, or None."""
    mirrors = os.environ.get(REPOS_ENV)
    if mirrors:
        owner, _, name = repo.partition("/")
        for rel in (f"{owner}__{name}", repo, name):
            for cand in (Path(mirrors) / rel, Path(mirrors) / f"{rel}.git"):
                if cand.is_dir():
                    return str(cand)
    template = os.environ.get(REMOTE_ENV)
    return template.replace("{repo}", repo) if template else None


def _git(*args: str, cwd: Path, timeout_s: float = 300) -> str:
    res = run_trusted(
        ("git", *args), workdir=cwd, env={"GIT_TERMINAL_PROMPT": "0"}, timeout_s=timeout_s
    )
    if res.launch_error:
        raise CheckoutError(f"git could not start: {res.launch_error}")
    if res.returncode != 0 or res.timed_out:
        said = "timed out" if res.timed_out else res.output.strip()[-400:]
        raise CheckoutError(f"git {args[0]} failed: {said}")
    return res.output.strip()


def checkout(source: str, commit: str, dest: Path) -> Path:
    """``dest`` holding ``source`` checked out (detached) at ``commit`` (``SHA^`` allowed).

    A checkout already at that commit is kept (cloned once, offline afterwards).

    Raises
    ------
    CheckoutError
        Naming what git said when the clone or the checkout failed.
    """
    if (dest / ".git").exists():
        try:
            want = _git("rev-parse", "--verify", f"{commit}^{{commit}}", cwd=dest)
            if _git("rev-parse", "HEAD", cwd=dest) == want:
                return dest
        except CheckoutError:
            pass
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    _git("clone", "--quiet", "--no-checkout", source, str(part), cwd=dest.parent,
         timeout_s=CLONE_TIMEOUT_S)  # fmt: skip
    try:
        _git("checkout", "--quiet", "--detach", commit, cwd=part)
    except CheckoutError as exc:
        shutil.rmtree(part, ignore_errors=True)
        raise CheckoutError(f"{source} has no commit {commit!r}: {exc}") from None
    part.rename(dest)
    return dest


def instance_checkout(inst: AicgInstance) -> Path:
    """The instance's checkout at ``base_commit`` (cloned on first use).

    Raises
    ------
    CheckoutError
        When no source is configured or git fails.
    """
    source = repo_source(inst.repo)
    if source is None:
        raise CheckoutError(
            f"no source for {inst.repo}: put a clone under ${REPOS_ENV} or set ${REMOTE_ENV}"
        )
    return checkout(source, inst.base_commit, cache_root() / inst.instance_id)


def to_task(inst: AicgInstance, repo_dir: Path, *, data_file: str = "") -> Task:
    """The study's view of ``inst`` with its prompt from the checkout ``repo_dir``."""
    prompt, context = build_prompt(inst, repo_dir)
    text = (repo_dir / inst.vuln_file).read_text(encoding="utf-8", errors="replace")
    _, original = mask_lines(text, *inst.vuln_lines, note="")
    return Task(
        id=inst.instance_id,
        suite=SUITE,
        language=LANGUAGES[inst.language],
        cwes=inst.cwes,
        prompt=prompt,
        module_name=inst.vuln_file,
        entry_point=inst.vuln_file,
        insecure_reference=original,  # base_commit is the commit before the fix
        kind="container",
        metadata={
            RECORD_KEY: dict(inst.raw),
            CHECKOUT_KEY: str(repo_dir),
            "data_file": data_file,
            "image": inst.image,
            "context": context,
            "region": "reply with the masked region only; seccal.repo.apply.extract_code",
        },
    )


def load_tasks(data_file: Path | None = None, context_file: Path | None = None) -> list[Task]:
    """Tasks of every instance that can be prompted here (see the module's docstring).

    Raises
    ------
    ConfigError
        When the data is missing, or when not one instance can be prompted (saying why).
    """
    data_p = resolve_data_path(data_file, DEFAULT_DATA, suite=SUITE)
    tasks, left_out = [], Counter[str]()
    for inst in load_aicgseceval(data_p, context_file):
        if inst.language not in LANGUAGES:
            left_out[f"language {inst.language} not modelled"] += 1
            continue
        try:
            repo_dir = instance_checkout(inst)
        except CheckoutError as exc:
            log.debug("aicgseceval %s: %s", inst.instance_id, exc)
            left_out["no checkout" if "no source" in str(exc) else "clone failed"] += 1
            continue
        try:
            tasks.append(to_task(inst, repo_dir, data_file=str(data_p)))
        except (ConfigError, OSError, ValueError) as exc:
            log.warning("aicgseceval %s: cannot build the prompt: %s", inst.instance_id, exc)
            left_out["prompt failed"] += 1
    if left_out:
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(left_out.items()))
        msg = (
            f"aicgseceval: {sum(left_out.values())} instances of {data_p} left out ({why}); "
            f"repositories come from clones under ${REPOS_ENV} or the URL template ${REMOTE_ENV}"
        )
        if not tasks:
            raise ConfigError(msg)
        log.warning("%s", msg)
    return tasks


@register_suite(SUITE, help="AICGSecEval instances judged in their images (docker/podman)")
def _load(path: Path | None) -> list[Task]:
    if path is not None and path.is_dir():
        return load_tasks(path / Path(DEFAULT_DATA).name, path / Path(DEFAULT_CONTEXT).name)
    return load_tasks(path)
