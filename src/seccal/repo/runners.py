"""Per-language build and test commands for repository tasks.

Each language has a default set of steps so a repository's ``repo.toml`` only
names what differs. Every default relies on the toolchain alone: Node's
built-in ``node:test``, plain ``javac`` plus our tiny harness, ``gcc`` with
AddressSanitizer, Go's standard library, Python's ``unittest``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from seccal.core.task import Language
from seccal.repo.execute import run_trusted
from seccal.repo.model import Step

_C_FLAGS = (
    "-std=c11",
    "-g",
    "-O0",
    "-fsanitize=address,undefined",
    "-fno-omit-frame-pointer",
    "-D_GNU_SOURCE",
    "-Iinclude",
    "-Itests",
)


def default_steps(language: Language) -> tuple[Step, ...]:
    """The default build / functional / exploit steps of ``language``."""
    if language == "python":
        unit = ("{python}", "-B", "-m", "unittest", "-q")
        return (
            Step("build", "compileall", ("{python}", "-B", "-m", "py_compile", "{sources:.py}")),
            Step("functional", "unittest", (*unit, "tests.test_functional")),
            Step("exploit", "unittest", (*unit, "tests.test_exploit")),
        )
    if language == "javascript":
        return (
            Step("build", "node-check", ("node", "--check", "{target}")),
            Step("functional", "node-test", ("node", "--test", "tests/functional.test.js")),
            Step("exploit", "node-test", ("node", "--test", "tests/exploit.test.js")),
        )
    if language == "java":
        java = ("java", "-Xmx256m", "-Xss8m", "-cp", "build")
        return (
            Step(
                "build",
                "javac",
                ("javac", "-nowarn", "-d", "build", "{sources:.java}"),
                timeout_s=120,
            ),
            Step("functional", "java", (*java, "FunctionalTest")),
            Step("exploit", "java", (*java, "ExploitTest")),
        )
    if language in ("c", "cpp"):
        cc = "gcc" if language == "c" else "g++"
        ext = ".c" if language == "c" else ".cpp"
        src = "{sources:src/" + ext + "}"
        return (
            Step(
                "build",
                "cc-functional",
                (cc, *_C_FLAGS, "-o", "build/functional", src, "tests/functional" + ext),
            ),
            Step(
                "build",
                "cc-exploit",
                (cc, *_C_FLAGS, "-o", "build/exploit", src, "tests/exploit" + ext),
            ),
            Step("functional", "functional", ("build/functional",)),
            Step("exploit", "exploit", ("build/exploit",)),
        )
    if language == "go":
        none = ("no tests to run",)
        return (
            Step(
                "build",
                "go-test-c",
                ("go", "test", "-c", "-o", "build/app.test", "."),
                timeout_s=180,
            ),
            Step(
                "functional",
                "go-test",
                ("build/app.test", "-test.run", "^TestFunctional"),
                fail_if_output_contains=none,
            ),
            Step(
                "exploit",
                "go-test",
                ("build/app.test", "-test.run", "^TestExploit"),
                fail_if_output_contains=none,
            ),
        )
    raise ValueError(f"no default steps for language {language!r}")


def default_env(language: Language) -> dict[str, str]:
    """Environment variables every step of ``language`` needs.

    Go builds use ``{workdir}/.gocache``, seeded by :func:`seed_go_cache` from
    a cache warmed once on the host, so each build compiles only the task's
    own packages.
    """
    if language in ("c", "cpp"):
        return {
            "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=86",
            "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87",
        }
    if language == "go":
        return {
            "GOCACHE": "{workdir}/.gocache",
            "GOPATH": "/tmp/gopath",
            "GOFLAGS": "-mod=mod",
            "GOPROXY": "off",
            "GOTOOLCHAIN": "local",
        }
    if language == "python":
        return {"PYTHONPATH": ".", "PYTHONDONTWRITEBYTECODE": "1"}
    return {}


#: Standard-library packages the Go tasks use; the warm-up build compiles them once.
_GO_WARM_IMPORTS = (
    "context", "crypto/md5", "crypto/rand", "crypto/sha256", "database/sql", "encoding/json",
    "errors", "fmt", "html/template", "io", "net/http", "net/http/httptest", "net/url", "os",
    "os/exec", "path/filepath", "regexp", "strconv", "strings", "sync", "text/template", "time",
)  # fmt: skip
_go_lock = threading.Lock()
_go_warmed: dict[Path, bool] = {}


def warm_go_cache(cache_dir: Path) -> bool:
    """Compile the standard-library packages Go tasks use into ``cache_dir`` (once).

    Runs on the host: it builds our own warm-up package, never generated code.
    Returns False when Go is missing or the build failed (builds then start cold).
    """
    with _go_lock:
        if cache_dir in _go_warmed:
            return _go_warmed[cache_dir]
        ok = False
        if shutil.which("go"):
            with tempfile.TemporaryDirectory(prefix="seccal-gowarm-") as tmp:
                d = Path(tmp)
                (d / "go.mod").write_text("module warm\n\ngo 1.19\n")
                uses = "\n".join(f'\t_ "{imp}"' for imp in _GO_WARM_IMPORTS)
                (d / "warm.go").write_text(f"package warm\n\nimport (\n{uses}\n)\n")
                (d / "warm_test.go").write_text(
                    'package warm\n\nimport "testing"\n\nfunc TestWarm(t *testing.T) {}\n'
                )
                env = {**default_env("go"), "GOCACHE": str(cache_dir)}
                res = run_trusted(
                    ("go", "test", "-c", "-o", "warm.test", "."), workdir=d, env=env, timeout_s=600
                )
                ok = res.returncode == 0
        _go_warmed[cache_dir] = ok
        return ok


def seed_go_cache(workdir: Path, cache_dir: Path) -> None:
    """Copy the warmed cache into ``workdir/.gocache`` (a private copy: a build
    inside the sandbox can never poison the shared cache)."""
    if warm_go_cache(cache_dir) and cache_dir.is_dir():
        shutil.copytree(cache_dir, workdir / ".gocache", dirs_exist_ok=True)


def expand_argv(
    argv: tuple[str, ...], *, files: Mapping[str, str], target: str, python: str | None = None
) -> tuple[str, ...]:
    """Replace ``{python}``, ``{target}`` and ``{sources:PATTERN}`` in ``argv``.

    ``{sources:src/.c}`` expands to every file under ``src/`` ending in ``.c``;
    ``{sources:.py}`` to every file ending in ``.py`` (sorted, so commands are
    reproducible).
    """
    out: list[str] = []
    for arg in argv:
        if arg == "{python}":
            out.append(python or sys.executable)
        elif arg == "{target}":
            out.append(target)
        elif arg.startswith("{sources:") and arg.endswith("}"):
            pattern = arg[len("{sources:") : -1]
            prefix, _, suffix = pattern.rpartition("/")
            prefix = prefix + "/" if prefix else ""
            out.extend(sorted(f for f in files if f.startswith(prefix) and f.endswith(suffix)))
        else:
            out.append(arg)
    return tuple(out)


def missing_toolchain(steps: tuple[Step, ...]) -> str | None:
    """A reason naming the first toolchain program that is not installed, or None."""
    for step in steps:
        exe = step.argv[0]
        if exe.startswith("{") or "/" in exe:
            continue
        if shutil.which(exe) is None:
            return f"toolchain missing: {exe} not found on PATH (needed by {step.name})"
    return None


def harness_files(language: Language) -> dict[str, str]:
    """Our tiny test-harness sources copied into every work dir of ``language``."""
    names = {"java": ("tests/Check.java", "Check.java"), "c": ("tests/check.h", "check.h")}
    if language not in names:
        return {}
    dest, name = names[language]
    text = resources.files("seccal.repo").joinpath("harness", name).read_text(encoding="utf-8")
    return {dest: text}
