"""The ``realrepo`` suite: tasks cut from real projects' real security fixes.

``load_suite("realrepo")`` (or ``realrepo:/folder/of/tomls``) prepares every
task (downloading its sources on first use) and returns :class:`Task`
records whose judging goes through :mod:`seccal.repo.judge`, like the
``repo`` suite. The references are *region* texts: what a model's reply
must hold, which is also what the judge writes into the masked region.
"""

from __future__ import annotations

import threading
from pathlib import Path

from seccal.core.task import Task, TestRole, TestSpec
from seccal.errors import InputError
from seccal.repo.apply import masked_target
from seccal.repo.bridge import register_resolver
from seccal.repo.context import approx_tokens, build_prompt
from seccal.repo.model import RepoTask
from seccal.repo.realrepo.prepare import SUITE, Prepared, prepare
from seccal.repo.realrepo.spec import TaskSpec, builtin_specs_dir, load_specs
from seccal.repo.realrepo.window import windowed
from seccal.tasks.registry import register_suite

_prepared: dict[Path, Prepared] = {}
_lock = threading.Lock()


def prepared(spec: TaskSpec, *, offline: bool = False) -> Prepared:
    """``spec`` prepared once per process (sources fetched and cut on first use)."""
    with _lock:
        if spec.path not in _prepared:
            _prepared[spec.path] = prepare(spec, offline=offline)
        return _prepared[spec.path]


def _tests(task: RepoTask) -> tuple[TestSpec, ...]:
    """The steps as test records (what runs, for listings; the repo judge runs them)."""
    role = {"functional": TestRole.FUNCTIONAL, "exploit": TestRole.SECURITY}
    return tuple(
        TestSpec(role[s.kind], f"{s.kind}:{s.name}", " ".join(s.argv))
        for s in task.steps
        if s.kind in role
    )


def to_task(p: Prepared) -> Task:
    """The :class:`Task` view of a prepared task, its prompt and context recorded."""
    task, spec = p.task, p.spec
    prompt = build_prompt(windowed(task, spec.file_budget))
    return Task(
        id=task.id,
        suite=SUITE,
        language=task.language,
        cwes=task.cwes,
        prompt=prompt.text,
        module_name=task.target,
        entry_point=task.target,
        tests=_tests(task),
        secure_reference=task.fixed_region,
        insecure_reference=task.vulnerable_region,
        kind="repository",
        metadata={
            "spec": str(spec.path),
            "summary": task.summary,
            "cve": list(spec.cve),
            "registry": spec.source.registry,
            "package": spec.source.package,
            "fixed_version": spec.source.fixed,
            "vulnerable_version": spec.source.vulnerable
            or "without " + ", ".join(spec.source.patches),
            "functional_checks": spec.functional,
            "region_lines": p.fixed.size,
            "masked_file_tokens_approx": approx_tokens(masked_target(task)),
            "file_budget": spec.file_budget,
            "context": prompt.record(),
            "region": "reply with the masked region only; seccal.repo.apply.extract_code",
        },
    )


@register_suite(
    SUITE, help="repository tasks cut from real projects' CVE fixes (PyPI, npm, Debian)"
)
def load_as_tasks(path: Path | None = None) -> list[Task]:
    """Every task under ``path`` (default: shipped) as :class:`Task`, fetching sources on first use."""
    return [to_task(prepared(s)) for s in load_specs(path or builtin_specs_dir())]


def _resolve(task: Task) -> RepoTask:
    spec_path = task.metadata.get("spec")
    if not isinstance(spec_path, str):
        raise InputError(f"task {task.key}: no realrepo task definition recorded")
    found = [s for s in load_specs(Path(spec_path).parent) if s.id == task.id]
    if not found:
        raise InputError(f"task {task.key}: definition {spec_path} not found")
    return prepared(found[0]).task


register_resolver(SUITE, _resolve)
