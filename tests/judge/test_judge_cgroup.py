"""The cgroup memory limit: a real program over its limit is killed and reported as such."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from seccal.judge import cgroup
from seccal.judge.sandbox import Limits, Sandbox

pytestmark = pytest.mark.sandbox

LIMIT_MB = 64
HOG = "b = b'x' * (256 << 20); print('survived', len(b))"  # touches every page: real use
SMALL = "b = b'x' * (8 << 20); print('survived', len(b))"


def _limits(cgroup_mb: int | None) -> Limits:
    return Limits(wall_s=20.0, cpu_s=20, memory_mb=None, cgroup_memory_mb=cgroup_mb)


@pytest.fixture
def support() -> cgroup.CgroupSupport:
    """This machine's memory cgroup; skips (with the probe's reason) where none is usable."""
    found = cgroup.probe()
    if not found.usable:
        pytest.skip(f"no usable memory cgroup here: {found.reason}")
    return found


def _groups(parent: Path) -> set[str]:
    return {p.name for p in parent.iterdir() if p.is_dir() and p.name.startswith("seccal-")}


def test_over_the_limit_is_killed_as_out_of_memory(
    support: cgroup.CgroupSupport, strong_sandbox: Sandbox, workdir: Path, host_python: str
) -> None:
    assert support.parent is not None
    before = _groups(support.parent)
    res = strong_sandbox.run([host_python, "-c", HOG], workdir=workdir, limits=_limits(LIMIT_MB))
    assert res.oom_killed, (res.returncode, res.stdout, res.stderr)
    assert b"survived" not in res.stdout
    assert res.memory_limit == f"cgroup {support.version} memory {LIMIT_MB} MiB"
    assert res.describe().startswith("out of memory: killed at its limit (cgroup")
    assert not res.ok
    assert _groups(support.parent) == before  # the run's group is gone


def test_under_the_limit_runs_and_weak_sandbox_is_limited_too(
    support: cgroup.CgroupSupport,
    strong_sandbox: Sandbox,
    weak_sandbox: Sandbox,
    workdir: Path,
    host_python: str,
) -> None:
    ok = strong_sandbox.run([host_python, "-c", SMALL], workdir=workdir, limits=_limits(LIMIT_MB))
    assert ok.ok and not ok.oom_killed and b"survived" in ok.stdout
    weak = weak_sandbox.run([host_python, "-c", HOG], workdir=workdir, limits=_limits(LIMIT_MB))
    assert weak.oom_killed and weak.returncode == -9


def test_the_child_is_in_its_group_before_it_runs(
    support: cgroup.CgroupSupport, weak_sandbox: Sandbox, workdir: Path
) -> None:
    res = weak_sandbox.run(["/bin/cat", "/proc/self/cgroup"], workdir=workdir, limits=_limits(32))
    line = next(
        ln
        for ln in res.stdout.decode().splitlines()
        if (":memory:" in ln if support.version == "v1" else ln.startswith("0::"))
    )
    assert line.rsplit("/", 1)[1].startswith("seccal-"), line


def test_no_cgroup_requested_keeps_rlimits(weak_sandbox: Sandbox, workdir: Path) -> None:
    res = weak_sandbox.run(["/bin/true"], workdir=workdir, limits=Limits(memory_mb=256))
    assert res.ok and res.memory_limit == "rlimit address space 256 MiB"


def test_remove_kills_what_is_left(support: cgroup.CgroupSupport) -> None:
    group = cgroup.MemoryCgroup(support, 32)
    fd = group.open_procs()
    try:
        proc = subprocess.Popen(["/bin/sleep", "60"], preexec_fn=lambda: cgroup.join(fd))
    finally:
        os.close(fd)
    assert group.pids() == [proc.pid]
    group.remove()
    assert proc.wait(timeout=5) == -9
    assert not group.path.exists()


def _mountinfo(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_probe_without_cgroup_mounts_says_so() -> None:
    found = cgroup.probe_from(_mountinfo("22 1 0:21 / /proc rw - proc proc rw"), "0::/\n")
    assert found == cgroup.CgroupSupport("none", None, "no cgroup file system mounted")


def test_probe_names_an_unwritable_hierarchy(tmp_path: Path) -> None:
    hier = tmp_path / "memory"
    (hier / "job").mkdir(parents=True)
    (hier / "job" / "memory.limit_in_bytes").write_text("0")
    (hier / "job").chmod(0o555)
    info = _mountinfo(f"30 25 0:26 / {hier} rw - cgroup cgroup rw,memory")
    try:
        found = cgroup.probe_from(info, "4:memory:/job\n0::/\n")
    finally:
        (hier / "job").chmod(0o755)
    if found.usable:  # root ignores mode bits on an ordinary directory
        assert found == cgroup.CgroupSupport(
            "v1", hier / "job", f"cgroup v1 memory hierarchy writable at {hier / 'job'}"
        )
    else:
        assert found.reason.startswith(f"cgroup v1: cannot create a cgroup in {hier / 'job'}")


def test_probe_v2_without_memory_delegation(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    (tmp_path / "svc" / "cgroup.subtree_control").write_text("pids\n")
    info = _mountinfo(f"30 25 0:26 / {tmp_path} rw - cgroup2 cgroup2 rw")
    found = cgroup.probe_from(info, "0::/svc\n")
    assert found.version == "none"
    assert found.reason == (
        f"cgroup v2 at {tmp_path}: memory controller is not enabled for {tmp_path / 'svc'}"
    )
