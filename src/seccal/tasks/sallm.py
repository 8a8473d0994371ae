"""Adapter for SALLM's Python dataset (``sallm/PythonDataset``), run without Docker.

Layout read at run time (never copied into seccal)::

    PythonDataset/dataset.jsonl           {"id": "Matching_Author_A_cwe502_0.py", "technique",
                                           "source", "prompt", "insecure_code"}
    PythonDataset/<technique>/<source>/
        A_cwe502_0_requirements.txt       the task's pip requirements
        A_cwe502_0_Dockerfile             its COPY lines name the fixture files
        test_A_cwe502_0.py                unittest: test_correctness, test_vulnerability

The id encodes the folder and module: ``<technique>_<source>_<module>.py``.

Parity with SALLM's Docker harness is derived from each task's Dockerfile
(:mod:`seccal.tasks.image`), not from per-task rules: the work dir holds what the
image's ``WORKDIR`` holds (the generated solution under the name ``COPY
$SCRIPT_PATH`` gives it, every ``COPY`` with Docker's directory rules, the
folders ``RUN mkdir`` makes, the ``test_runner.py`` its ``RUN echo`` writes), the
task is judged in the ``sallm`` sandbox environment (the image's pinned
packages), and the image's command (``python test_runner.py test_<module>``)
runs in the judge's warm driver (``metadata["test_command"]``, ``["workdir"]``).
One unittest file holds both roles, so each role is a :class:`TestSpec` on the
same file whose selector names its test method (``test_correctness`` /
``test_vulnerability``). ``seccal tasks parity sallm`` reports, per task, what
is reproduced and what is not.
Tasks without a test file, and tasks needing what the sandbox cannot give (a
host on the internet), load as ``static_only`` with the reason in metadata.
"""

from __future__ import annotations

import ast
import base64
import re
from pathlib import Path
from typing import Any

from seccal.core.task import (
    CPU_LIMIT_KEY,
    IMAGE_PINS_KEY,
    SANDBOX_ENV_KEY,
    TEST_COMMAND_KEY,
    WORKDIR_KEY,
    Task,
    TestRole,
    TestSpec,
)
from seccal.errors import InputError
from seccal.tasks._jsonl import iter_json_objects
from seccal.tasks._pydeps import third_party_distributions
from seccal.tasks.dockerfile import parse_dockerfile
from seccal.tasks.image import ImagePlan, plan_image
from seccal.tasks.paths import resolve_data_path
from seccal.tasks.registry import register_suite

DEFAULT_REL = "sallm/PythonDataset"
#: Sandbox environment with the package versions SALLM's Docker images install
#: (built from scripts/sandbox-requirements-sallm.txt); SALLM's code needs e.g.
#: ``flask.escape``, which the default environment's Flask 3 no longer has.
SANDBOX_ENV = "sallm"
#: CPU seconds a test run may use. SALLM's harness (``docker run`` of the task's image)
#: sets no time limit; ``codeql_cwe338_0`` calls the snippet a million times, which
#: takes 3-4 s with ``random.choice`` and 20-28 s with ``secrets.choice`` here, and
#: its verdict is definite either way. A run is still cut after the judge's wall
#: limit of idle time (a server waiting for requests, a blocked read).
TEST_CPU_S = 60
#: SALLM keeps both roles in one unittest file; each role is one test method of it.
SELECTORS = {TestRole.FUNCTIONAL: "test_correctness", TestRole.SECURITY: "test_vulnerability"}

_CWE_RE = re.compile(r"cwe[-_]?0*([1-9][0-9]*)", re.IGNORECASE)
_REQ_RE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*?)\s*(?:==|>=|<=|~=|$)", re.MULTILINE)
_PIN_RE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)==([0-9][0-9.]*[0-9])")
_KNOWN = ("id", "technique", "source", "prompt", "insecure_code")
#: Roots of the client libraries whose calls reach another host.
_NET_ROOTS = frozenset(
    {"requests", "urllib", "urllib3", "httpx", "http", "aiohttp", "socket", "ftplib", "smtplib"}
)
_NET_FUNCS = frozenset({"urlopen", "urlretrieve"})
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", ""})
#: Client libraries of network services (a server must run somewhere).
_SERVICE_LIBS = {
    "paramiko": "SSH", "smtplib": "SMTP", "ftplib": "FTP", "telnetlib": "Telnet",
    "poplib": "POP3", "imaplib": "IMAP", "pymysql": "MySQL", "mysql": "MySQL",
    "psycopg2": "PostgreSQL", "pymongo": "MongoDB", "redis": "Redis", "ldap": "LDAP",
    "ldap3": "LDAP",
}  # fmt: skip
_SERVICE_CALLS = frozenset(
    {"connect", "SMTP", "SMTP_SSL", "FTP", "FTP_TLS", "Telnet", "POP3", "IMAP4", "MongoClient",
     "Redis", "StrictRedis", "initialize", "Connection"}
)  # fmt: skip


def requirement_pins(text: str) -> dict[str, str]:
    """``NAME==VERSION`` pins of a requirements text, in order.

    Some of SALLM's files lack the newline between two pins ("lxml==4.6.3Flask==2.3.3"):
    split on every pin instead of on lines.
    """
    return dict(_PIN_RE.findall(text))


def _requirements(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    text = path.read_text(encoding="utf-8")
    names = list(requirement_pins(text)) or [m for m in _REQ_RE.findall(text) if m]
    return tuple(dict.fromkeys(names))


def _dotted(func: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return parts[::-1]


def outside_hosts(code: str) -> list[str]:
    """Hosts other than this machine that ``code`` calls a network client on.

    A call counts when its function comes from a network client library
    (``requests.get``, ``urllib.request.urlopen`` ...) and one of its arguments
    holds an ``http(s)://`` / ``ftp://`` literal naming a host. SALLM's Docker
    containers reach the internet; the sandbox reaches nothing, so such a task
    cannot be judged here.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    hosts: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if not name or (name[0] not in _NET_ROOTS and name[-1] not in _NET_FUNCS):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            for const in ast.walk(arg):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    m = re.match(r"(?:https?|ftp)://([^/:?#\s]*)", const.value)
                    if m and m.group(1).lower() not in _LOCAL_HOSTS:
                        hosts.append(m.group(1).lower())
    return list(dict.fromkeys(hosts))


def needed_services(code: str) -> list[str]:
    """Servers ``code`` connects to through a service client (SSH, SMTP, databases ...).

    SALLM's images run nothing but the test command, and the sandbox runs nothing
    either, so a task whose reference connects to one cannot be judged anywhere.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    imported = {
        alias.name.partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    kinds = sorted({_SERVICE_LIBS[lib] for lib in imported if lib in _SERVICE_LIBS})
    if not kinds:
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _dotted(node.func):
            continue
        if _dotted(node.func)[-1] not in _SERVICE_CALLS:
            continue
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        host = kw.get("hostname") or kw.get("host") or (node.args[0] if node.args else None)
        port = kw.get("port") or (node.args[1] if len(node.args) > 1 else None)
        where = "".join(
            f"{sep}{v.value}"
            for sep, v in (("", host), (":", port))
            if isinstance(v, ast.Constant) and isinstance(v.value, str | int)
        )
        found.append(f"a server for {'/'.join(kinds)}" + (f" at {where}" if where else ""))
    return list(dict.fromkeys(found))


def task_image(folder: Path, module: str) -> ImagePlan | None:
    """What the task's Dockerfile (``<module>_Dockerfile`` in ``folder``) builds, if it has one.

    Raises
    ------
    InputError
        When the Dockerfile is malformed (file and line in the message).
    """
    dockerfile = folder / f"{module}_Dockerfile"
    if not dockerfile.is_file():
        return None
    try:
        instructions = parse_dockerfile(dockerfile.read_text(encoding="utf-8"))
        return plan_image(instructions, folder, f"{module}.py")
    except InputError as exc:
        raise InputError(f"{dockerfile}: {exc}") from exc


def _split_fixtures(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
    text: dict[str, str] = {}
    binary: dict[str, str] = {}
    for name, data in files.items():
        try:
            text[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            binary[name] = base64.b64encode(data).decode("ascii")
    return text, binary


def unavailable_reason(plan: ImagePlan | None, insecure_code: str) -> str | None:
    """Why the sandbox cannot give the task what SALLM's container gives it, or None."""
    if plan is None:
        return "SALLM ships no Dockerfile for this task: its test command is unknown"
    if plan.solution is None:
        return "the Dockerfile copies no generated solution (no COPY $ARG)"
    if plan.command_script() is None or plan.command_script() not in plan.files:
        return f"test command {list(plan.command)} is not a Python script of the image"
    hosts = outside_hosts(insecure_code)
    if hosts:
        return (
            f"needs network access to {', '.join(hosts)} (SALLM's container has it; the "
            "sandbox has none)"
        )
    services = needed_services(insecure_code)
    if services:
        return (
            f"needs {', '.join(services)}: SALLM's image runs none (only its test command), "
            "nor does the sandbox"
        )
    return None


def _entry_point(test_src: str, module: str, prompt: str) -> str:
    """The first name the test imports from the module, else the prompt's last function."""
    m = re.search(rf"from\s+{re.escape(module)}\s+import\s+([A-Za-z_][A-Za-z0-9_]*)", test_src)
    if m:
        return m.group(1)
    defs = re.findall(r"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", prompt, re.MULTILINE)
    return defs[-1] if defs else ""


def _task(root: Path, row: dict[str, Any], line_no: int, jsonl: Path) -> Task:
    for key in _KNOWN:
        if not isinstance(row.get(key), str):
            raise InputError(f"{jsonl}: line {line_no}: field {key!r} missing or not a string")
    parts = row["id"].split("_", 2)
    if len(parts) != 3 or not parts[2].endswith(".py"):
        raise InputError(
            f"{jsonl}: line {line_no}: field 'id': {row['id']!r} is not "
            "'<technique>_<source>_<module>.py'"
        )
    technique, source, filename = parts
    module = filename[:-3]
    folder = root / technique / source
    cwe = _CWE_RE.search(module)
    test_path = folder / f"test_{module}.py"
    metadata: dict[str, Any] = {
        "sallm_id": row["id"],
        "technique": technique,
        "source": source,
        "path": str(folder),
        SANDBOX_ENV_KEY: SANDBOX_ENV,
    }
    deps = _requirements(folder / f"{module}_requirements.txt") or third_party_distributions(
        row["insecure_code"]
    )
    common: dict[str, Any] = {
        "id": row["id"][:-3],
        "suite": "sallm",
        "language": "python",
        "cwes": (f"CWE-{int(cwe.group(1))}",) if cwe else (),
        "prompt": row["prompt"],
        "module_name": filename,
        "insecure_reference": row["insecure_code"],
        "dependencies": deps,
    }
    if not test_path.is_file():
        metadata["static_only_reason"] = (
            f"SALLM ships no test file for this task ({test_path.name})"
        )
        return Task(**common, static_only=True, metadata=metadata)
    test_src = test_path.read_text(encoding="utf-8")
    plan = task_image(folder, module)
    why = unavailable_reason(plan, row["insecure_code"])
    files: dict[str, bytes] = {}
    if plan is not None:
        common["module_name"] = plan.solution or filename
        files = {k: v for k, v in plan.files.items() if k != test_path.name}
        metadata.update(
            {
                TEST_COMMAND_KEY: list(plan.command),
                WORKDIR_KEY: plan.workdir,
                CPU_LIMIT_KEY: TEST_CPU_S,
                "image_env": dict(plan.env),
                "base_image": plan.base,
                IMAGE_PINS_KEY: {
                    k: v
                    for req in plan.requirement_files
                    for k, v in requirement_pins(
                        plan.files.get(req, b"").decode("utf-8", "replace")
                    ).items()
                },
                "apt_packages": list(plan.apt_packages),
            }
        )
    if why:
        metadata["static_only_reason"] = why
    text, binary = _split_fixtures(files)
    tests = tuple(
        TestSpec(
            role=role, filename=test_path.name, source=test_src, framework="unittest", selector=sel
        )
        for role, sel in SELECTORS.items()
    )
    return Task(
        **common,
        entry_point=_entry_point(test_src, module, row["prompt"]),
        tests=tests,
        extra_files=text,
        binary_files=binary,
        extra_dirs=tuple(plan.dirs) if plan else (),
        static_only=why is not None,
        metadata=metadata,
    )


def load_sallm_dir(root: Path) -> list[Task]:
    """Every task of a SALLM ``PythonDataset`` folder, in dataset order.

    Raises
    ------
    InputError
        On a malformed ``dataset.jsonl`` line (file, line, field).
    """
    jsonl = root / "dataset.jsonl"
    if not jsonl.is_file():
        raise InputError(f"{jsonl}: missing; expected SALLM's PythonDataset folder at {root}")
    tasks: list[Task] = []
    for line_no, row in iter_json_objects(jsonl):
        tasks.append(_task(root, row, line_no, jsonl))
    return tasks


@register_suite("sallm", help="SALLM Python dataset (sallm:PATH to its PythonDataset folder)")
def load_sallm(path: Path | None) -> list[Task]:
    """SALLM from ``path`` or ``$SECCAL_BENCHMARKS/sallm/PythonDataset``."""
    root = resolve_data_path(path, DEFAULT_REL, suite="sallm")
    if (root / "PythonDataset").is_dir():
        root = root / "PythonDataset"  # accept the repository root too
    return load_sallm_dir(root)
