"""A real local Ray cluster for tests: a head and worker nodes on this machine.

Each node is started by ``ray start`` in a session of its own, so its daemons
(raylet, GCS, workers) share one process group that the fixture ends by id;
nothing is left running and no other Ray on the machine is touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
RAY = Path(sys.executable).parent / "ray"
OBJECT_STORE_BYTES = 200_000_000


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalCluster:
    """Handles to the nodes of a local test cluster."""

    temp_dir: Path
    port: int
    groups: dict[str, int] = field(default_factory=dict)  # node name -> process group id

    @property
    def address(self) -> str:
        """The head node's GCS address."""
        return f"127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Workers import seccal from this tree, as an installed seccal would be found.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
        env["RAY_USAGE_STATS_ENABLED"] = "0"
        # Notice a killed node within seconds, not the default ~30 s.
        env["RAY_health_check_period_ms"] = "500"
        env["RAY_health_check_failure_threshold"] = "4"
        return env

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        cmd = [
            str(RAY),
            "start",
            *args,
            "--num-cpus=1",
            f"--object-store-memory={OBJECT_STORE_BYTES}",
            "--disable-usage-stats",
        ]
        proc = subprocess.Popen(
            cmd,
            env=self._env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.groups[name] = proc.pid
        return proc

    @staticmethod
    def _wait(name: str, proc: subprocess.Popen[bytes]) -> None:
        out, _ = proc.communicate(timeout=180)
        if proc.returncode != 0:
            raise RuntimeError(f"ray start ({name}) failed:\n{out.decode(errors='replace')}")

    def start_head(self) -> None:
        """Start the head node (1 CPU, no dashboard)."""
        head = self._start(
            "head",
            [
                "--head",
                "--node-ip-address=127.0.0.1",
                f"--port={self.port}",
                "--include-dashboard=false",
                f"--temp-dir={self.temp_dir}",
            ],
        )
        self._wait("head", head)

    def add_workers(self, *names: str) -> None:
        """Start worker nodes (1 CPU each) joined to the head.

        One after the other: nodes starting together on one address time out.
        """
        for name in names:
            proc = self._start(name, [f"--address={self.address}", "--node-ip-address=127.0.0.1"])
            self._wait(name, proc)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill every process of node ``name`` (its raylet and its workers)."""
        pgid = self.groups.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)

    def stop(self) -> None:
        """End all nodes and remove the temp dir."""
        groups = list(self.groups.items())
        for _, pgid in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(g) for _, g in groups):
            time.sleep(0.2)
        for name, _ in groups:
            self.kill(name)
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def start_cluster(*workers: str) -> LocalCluster:
    """A head node plus the named worker nodes (stopped by :meth:`LocalCluster.stop`)."""
    # Ray's socket paths must stay short: a short temp dir under /tmp.
    cluster = LocalCluster(Path(tempfile.mkdtemp(prefix="sc-ray-", dir="/tmp")), free_port())
    try:
        cluster.start_head()
        cluster.add_workers(*workers)
    except BaseException:
        cluster.stop()
        raise
    return cluster
