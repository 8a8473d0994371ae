"""A real local Ray cluster for tests: a head and worker nodes on this machine.

Each node is started by ``ray start`` in a session of its own, so its daemons
(raylet, GCS, agents, worker processes) share one session that the fixture
ends process by process; nothing is left running and no other Ray on the
machine is touched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from seccal.distributed.cluster import LOOPBACK_RAY_CLI

SRC = Path(__file__).resolve().parents[2] / "src"
OBJECT_STORE_BYTES = 200_000_000


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalCluster:
    """Handles to the nodes of a local test cluster.

    The cluster uses Ray's token authentication with a token of its own (in
    :attr:`auth_env`, which the driver must have too), so a token in the user's
    ``~/.ray`` neither breaks the tests nor is created by them.
    """

    temp_dir: Path
    port: int
    auth_env: dict[str, str] = field(
        default_factory=lambda: {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    )
    groups: dict[str, int] = field(default_factory=dict)  # node name -> session id

    @property
    def address(self) -> str:
        """The head node's GCS address."""
        return f"127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Workers import seccal from this tree, as an installed seccal would be found.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
        env["RAY_USAGE_STATS_ENABLED"] = "0"
        env.pop("RAY_AUTH_TOKEN_PATH", None)
        env.update(self.auth_env)
        # Notice a killed node within seconds, not the default ~30 s.
        env["RAY_health_check_period_ms"] = "500"
        env["RAY_health_check_failure_threshold"] = "4"
        return env

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        cmd = [
            sys.executable,
            "-c",
            LOOPBACK_RAY_CLI,
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
        """Kill every process of node ``name``: raylet, agents and worker processes.

        Ray gives each worker process a process group of its own, but all stay in
        the session ``ray start`` was given, so the session is what is killed.
        """
        sid = self.groups.pop(name)
        for pid in _session_pids(sid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def stop(self) -> None:
        """End all nodes and remove the temp dir."""
        sessions = list(self.groups.values())
        for name in list(self.groups):
            self.kill(name, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_session_pids(s) for s in sessions):
            time.sleep(0.2)
        for sid in sessions:
            for pid in _session_pids(sid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _session_pids(sid: int) -> list[int]:
    """Live processes of session ``sid`` (zombies excluded)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name: state, ppid, pgrp, session, ...
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


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
