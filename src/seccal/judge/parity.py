"""How faithfully the sandbox reproduces each task's Docker image (``seccal tasks parity``).

For a task built from a Dockerfile (SALLM), the report lists every instruction's
:class:`~seccal.tasks.image.Step` (files, folders, command: decided from the
Dockerfile alone) plus the environment checks only the host can answer: the
base image's interpreter against the sandbox environment's, each ``pip`` pin
against the installed version, each ``apt-get`` package against the host's
Debian packages, the module name the test imports, and what the task needs that
the sandbox cannot give (the reason its verdicts are ``unknown``).

Levels: ``fully`` (every step reproduced, apart from the deviations every task
shares, printed once in the summary), ``partly`` (some step deviates or is not
reproduced; the task still runs), ``not`` (the task cannot be judged here).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from seccal.core.task import CPU_LIMIT_KEY, IMAGE_PINS_KEY, TEST_COMMAND_KEY, Task
from seccal.judge.config import default_test_limits
from seccal.judge.envpkgs import canonical, hidden_modules, installed, provided_modules
from seccal.tasks.image import ImagePlan, Step
from seccal.tasks.sallm import task_image

__all__ = [
    "HostEnv", "ParityReport", "TaskParity", "clock_calls", "host_env", "sallm_parity",
    "task_parity",
]  # fmt: skip

Level = Literal["fully", "partly", "not"]
_BASE_PY_RE = re.compile(r"python:(\d+\.\d+)")
#: Deviations every task of a Dockerfile suite shares here; listed once in the summary.
SHARED = "shared"
#: Note prefix of a faithfully reproduced defect of the task's own image.
BROKEN = "image defect"
#: Note prefix of a test that times the code with a clock: its verdict depends on load.
TIMED = "load-dependent"
#: Clock functions (module, name) whose readings a timed test compares.
_CLOCKS = frozenset(
    {("time", n) for n in ("time", "perf_counter", "monotonic", "process_time", "time_ns",
                           "perf_counter_ns", "monotonic_ns", "process_time_ns")}
    | {("timeit", n) for n in ("timeit", "repeat", "default_timer")}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class HostEnv:
    """What the host's sandbox environment offers.

    Attributes
    ----------
    venv:
        The sandbox environment the suite is judged with.
    python:
        Its interpreter version (``3.11.7``), from ``pyvenv.cfg``.
    packages:
        Installed distributions, canonical name to version.
    debian:
        Whether a Debian package is installed on the host (its ``/usr`` is the sandbox's).
    """

    venv: Path
    python: str
    packages: Mapping[str, str]
    debian: Callable[[str], bool]


def debian_installed() -> frozenset[str]:
    """Installed Debian packages and the virtual packages they provide (empty without dpkg)."""
    try:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status} ${Provides}\\n"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names: set[str] = set()
    for line in proc.stdout.splitlines():
        package, _, rest = line.partition(" ")
        status, _, provides = rest.partition(" ")
        if status == "installed":
            names.add(package.partition(":")[0])
            names.update(p.split()[0] for p in provides.split(",") if p.strip())
    return frozenset(names)


def host_env(venv: Path) -> HostEnv:
    """Describe the sandbox environment ``venv`` (empty when it is not built)."""
    version = ""
    cfg = venv / "pyvenv.cfg"
    if cfg.is_file():
        m = re.search(r"^version(?:_info)?\s*=\s*([0-9.]+)", cfg.read_text(), re.MULTILINE)
        version = m.group(1) if m else ""
    packages = {name: str(d.version) for name, d in installed(venv).items()}
    debs = debian_installed()
    return HostEnv(venv, version, packages, debs.__contains__)


@dataclass(frozen=True, slots=True)
class TaskParity:
    """Parity of one task."""

    task_id: str
    level: Level
    steps: tuple[Step, ...]
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "task_id": self.task_id,
            "level": self.level,
            "why": self.why,
            "steps": [
                {"line": s.line, "instruction": s.instruction, "status": s.status, "note": s.note}
                for s in self.steps
            ],
        }


@dataclass(frozen=True, slots=True)
class ParityReport:
    """Parity of a suite."""

    suite: str
    tasks: tuple[TaskParity, ...]
    shared: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Tasks per level."""
        c = Counter(t.level for t in self.tasks)
        return {level: c.get(level, 0) for level in ("fully", "partly", "not")}

    def reasons(self, level: Level) -> dict[str, int]:
        """How many tasks of ``level`` each reason accounts for (file names left out)."""
        whys = (re.sub(r"\s*\([^()]*\.py\)$", "", t.why) for t in self.tasks if t.level == level)
        return dict(Counter(whys).most_common())

    def image_defects(self) -> dict[str, str]:
        """Tasks whose own image cannot run their test (reproduced as such), with why."""
        return {
            t.task_id: f"{s.instruction}: {s.note[len(BROKEN) + 2 :]}"
            for t in self.tasks
            for s in t.steps
            if s.note.startswith(BROKEN)
        }

    def load_dependent(self) -> dict[str, str]:
        """Tasks whose test reads a clock (a timing attack's test): verdicts vary with load."""
        return {
            t.task_id: s.note[len(TIMED) + 2 :]
            for t in self.tasks
            for s in t.steps
            if s.note.startswith(TIMED)
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "suite": self.suite,
            "image_defects": self.image_defects(),
            "load_dependent": self.load_dependent(),
            "counts": self.counts(),
            "shared_deviations": list(self.shared),
            "reasons": {lv: self.reasons(lv) for lv in ("partly", "not")},  # type: ignore[arg-type]
            "tasks": [t.to_dict() for t in self.tasks],
        }


def _environment_steps(task: Task, plan: ImagePlan, host: HostEnv) -> list[Step]:
    steps: list[Step] = []
    m = _BASE_PY_RE.match(plan.base)
    if m and host.python and not host.python.startswith(m.group(1) + "."):
        steps.append(
            Step(1, f"FROM {plan.base}", "deviates", f"{SHARED}: Python {host.python} stands in")
        )
    elif not host.python:
        steps.append(Step(1, f"FROM {plan.base}", "not-reproduced", "sandbox env not built"))
    else:
        steps.append(Step(1, f"FROM {plan.base}", "reproduced", f"Python {host.python}"))
    steps.append(
        Step(0, "USER (root)", "deviates", f"{SHARED}: tests run as the sandbox's unprivileged uid")
    )
    if task.metadata.get(TEST_COMMAND_KEY):  # the image's command runs the tests here
        limits = default_test_limits()
        cpu_s = task.metadata.get(CPU_LIMIT_KEY) or limits.cpu_s
        steps.append(
            Step(
                0,
                "CMD (no time limit)",
                "deviates",
                f"{SHARED}: a test run is cut after {cpu_s} s of CPU or {limits.wall_s:g} s idle",
            )
        )
    pins = {str(k): str(v) for k, v in dict(task.metadata.get(IMAGE_PINS_KEY) or {}).items()}
    for name, want in pins.items():
        have = host.packages.get(canonical(name))
        if have == want:
            steps.append(Step(0, f"pip {name}=={want}", "reproduced"))
        elif have is None:
            steps.append(Step(0, f"pip {name}=={want}", "not-reproduced", "not installed"))
        else:
            steps.append(Step(0, f"pip {name}=={want}", "deviates", f"{have} installed instead"))
    if pins and host.packages:
        hidden = hidden_modules(host.venv, pins)
        steps.append(
            Step(
                0,
                "pip (nothing else)",
                "reproduced",
                f"{len(hidden)} other modules of the shared environment hidden from the test",
            )
        )
    for name in _unavailable_imports(task, plan, host, pins):
        steps.append(
            Step(
                0,
                f"test imports {name}",
                "reproduced",
                f"{BROKEN}: the image does not install it, so the test cannot import here "
                "nor in SALLM's container",
            )
        )
    for pkg in plan.apt_packages:
        ok = host.debian(pkg)
        steps.append(
            Step(
                0,
                f"apt-get install {pkg}",
                "reproduced" if ok else "deviates",
                "" if ok else "not installed on this host",
            )
        )
    module = Path(task.module_name).stem
    test = task.tests[0].source if task.tests else ""
    clocks = clock_calls(test)
    if clocks:
        steps.append(
            Step(
                0,
                "test timing",
                "reproduced",
                f"{TIMED}: the test compares clock readings ({', '.join(clocks)}), so its "
                "verdict depends on the machine's speed and load, here as in SALLM's container",
            )
        )
    if re.search(rf"^\s*(?:from\s+{re.escape(module)}\s+import|import\s+{re.escape(module)}\b)",
                 test, re.MULTILINE):  # fmt: skip
        steps.append(Step(0, f"solution {task.module_name}", "reproduced", "the test imports it"))
    elif test:
        steps.append(
            Step(0, f"solution {task.module_name}", "deviates", "the test does not import it")
        )
    return steps


def clock_calls(source: str) -> list[str]:
    """The clock functions ``source`` calls (``time.perf_counter`` ...), sorted; none if
    it does not parse.

    Examples
    --------
    >>> clock_calls("import time\\nt0 = time.time()\\nfrom timeit import default_timer as t\\nt()")
    ['time.time', 'timeit.default_timer']
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    aliases: dict[str, tuple[str, str]] = {}  # local name -> (module, function)
    modules: dict[str, str] = {}  # local name -> clock module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ("time", "timeit"):
                    modules[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "timeit"):
            for a in node.names:
                if (node.module, a.name) in _CLOCKS:
                    aliases[a.asname or a.name] = (node.module, a.name)
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        if isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
            key = (modules.get(fn.value.id, ""), fn.attr)
        elif isinstance(fn, ast.Name) and fn.id in aliases:
            key = aliases[fn.id]
        else:
            continue
        if key in _CLOCKS:
            found.add(".".join(key))
    return sorted(found)


def _unavailable_imports(
    task: Task, plan: ImagePlan, host: HostEnv, pins: Mapping[str, str]
) -> list[str]:
    """Top-level modules the task's test imports that its own image does not provide."""
    if not task.tests or not host.packages:
        return []
    try:
        tree = ast.parse(task.tests[0].source)
    except SyntaxError:
        return []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.partition(".")[0])
    local = {Path(p).stem for p in (*plan.files, task.module_name)} | {
        Path(p).parts[0] for p in plan.files
    }
    hidden = set(hidden_modules(host.venv, pins))
    provided = provided_modules(host.venv)
    return sorted(
        n for n in names - set(sys.stdlib_module_names) - local if n in hidden or n not in provided
    )


def _level(task: Task, steps: Sequence[Step]) -> tuple[Level, str]:
    if task.static_only:
        return "not", str(task.metadata.get("static_only_reason", "static-only"))
    bad = [s for s in steps if s.status in ("deviates", "not-reproduced")]
    own = [s for s in bad if not s.note.startswith(SHARED)]
    if not own:
        return "fully", ""
    first = own[0]
    return "partly", f"{first.instruction}: {first.note}" if first.note else first.instruction


def task_parity(task: Task, plan: ImagePlan | None, host: HostEnv) -> TaskParity:
    """Parity of ``task`` whose image is ``plan`` (``None``: it has no Dockerfile)."""
    if plan is None:
        reason = str(task.metadata.get("static_only_reason") or "no Dockerfile")
        return TaskParity(task.id, "not", (), reason)
    steps = [*plan.steps, *_environment_steps(task, plan, host)]
    if task.static_only:
        reason = str(task.metadata.get("static_only_reason", ""))
        steps.append(Step(0, "verdicts", "not-reproduced", reason))
    level, why = _level(task, steps)
    return TaskParity(task.id, level, tuple(steps), why)


def sallm_parity(tasks: Sequence[Task], host: HostEnv) -> ParityReport:
    """Parity of SALLM tasks (each re-planned from its Dockerfile in ``metadata["path"]``)."""
    out: list[TaskParity] = []
    shared: dict[str, None] = {}
    for task in tasks:
        folder = Path(str(task.metadata.get("path", "")))
        plan = task_image(folder, task.id.split("_", 2)[-1])
        parity = task_parity(task, plan, host)
        for step in parity.steps:
            if step.note.startswith(SHARED):
                shared[f"{step.instruction}: {step.note[len(SHARED) + 2 :]}"] = None
        out.append(parity)
    return ParityReport("sallm", tuple(out), tuple(shared))
