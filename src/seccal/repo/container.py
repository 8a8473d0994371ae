"""A container engine (docker or podman) as seccal drives it: which one, and how to start.

The engine is our trusted tool (run with :func:`~seccal.repo.execute.run_trusted`); the
container is the isolation of whatever runs inside it. Which engine, and its global
options, come from ``$SECCAL_CONTAINER_ENGINE`` (shell words, e.g.
``podman --runtime runc``) or are detected (docker, then podman, whichever answers
``info``); ``$SECCAL_CONTAINER_RUN_ARGS`` adds options to every ``run``. Containers
start with no network unless the configuration says otherwise, never pull an image,
and, where the engine's runtime cannot raise rlimits to its defaults (a machine
without ``CAP_SYS_RESOURCE``), are started once more with rlimits within this
process's own (:func:`own_ulimits`).
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seccal.errors import ConfigError
from seccal.repo.execute import CommandResult, run_trusted

ENGINE_ENV = "SECCAL_CONTAINER_ENGINE"
RUN_ARGS_ENV = "SECCAL_CONTAINER_RUN_ARGS"
ENGINES = ("docker", "podman")
#: Process limit of a container started with :func:`own_ulimits` (the runtime may not
#: raise ``RLIMIT_NPROC`` to this process's own value when it counts its own children).
ULIMIT_NPROC = 4096
_RLIMIT_ERRORS = ("setrlimit", "rlimit", "RLIMIT_")


@dataclass(frozen=True, slots=True)
class ContainerEngine:
    """How to call the engine.

    Attributes
    ----------
    argv:
        The engine and its global options, e.g. ``("podman", "--runtime", "runc")``.
    run_args:
        Options added to every ``run`` (``--ulimit ...``, ``--memory 4g``).
    network:
        ``--network`` of the containers; ``None`` keeps the engine's default.
    """

    argv: tuple[str, ...]
    run_args: tuple[str, ...] = ()
    network: str | None = "none"

    @property
    def name(self) -> str:
        """``docker``, ``podman`` or the engine binary's name."""
        return Path(self.argv[0]).name

    def __call__(self, *args: str) -> tuple[str, ...]:
        """The argv of one engine command."""
        return (*self.argv, *args)


def own_ulimits() -> tuple[str, ...]:
    """``--ulimit`` options within this process's own limits (no raise needed)."""
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    nproc = ULIMIT_NPROC if nproc == resource.RLIM_INFINITY else min(nproc, ULIMIT_NPROC)
    return ("--ulimit", f"nofile={nofile}:{nofile}", "--ulimit", f"nproc={nproc}:{nproc}")


def engine_from_env() -> ContainerEngine | None:
    """The engine ``$SECCAL_CONTAINER_ENGINE`` names, else a detected one, else None.

    Raises
    ------
    ConfigError
        When the variable names a program that is not installed.
    """
    run_args = tuple(shlex.split(os.environ.get(RUN_ARGS_ENV, "")))
    words = shlex.split(os.environ.get(ENGINE_ENV, ""))
    if words:
        if shutil.which(words[0]) is None:
            raise ConfigError(f"${ENGINE_ENV}: {words[0]!r} is not installed")
        return ContainerEngine(tuple(words), run_args)
    for name in ENGINES:
        if shutil.which(name) is None:
            continue
        if engine_answers(ContainerEngine((name,))) is None:
            return ContainerEngine((name,), run_args)
    return None


def engine_answers(engine: ContainerEngine) -> str | None:
    """None when ``engine info`` succeeds, else what it said."""
    res = run_trusted(engine("info"), workdir=Path("/"), env={}, timeout_s=30)
    if res.returncode == 0 and not res.timed_out:
        return None
    return said(res)


def image_present(engine: ContainerEngine, image: str) -> bool:
    """The image is in the engine's local store (nothing is ever pulled)."""
    res = run_trusted(engine("image", "inspect", image), workdir=Path("/"), env={}, timeout_s=60)
    return res.returncode == 0


def start(
    engine: ContainerEngine,
    image: str,
    name: str,
    command: Sequence[str],
    *,
    privileged: bool = False,
    timeout_s: float = 120,
) -> CommandResult:
    """``run -d`` the image as container ``name``; retried within our rlimits if needed."""
    opts = ["-d", "--name", name, "--pull=never"]
    if engine.network is not None:
        opts.append(f"--network={engine.network}")
    if privileged:
        opts.append("--privileged")

    def attempt(extra: Sequence[str]) -> CommandResult:
        argv = engine("run", *opts, *engine.run_args, *extra, image, *command)
        return run_trusted(argv, workdir=Path("/"), env={}, timeout_s=timeout_s)

    res = attempt(())
    if res.returncode != 0 and any(e in res.output for e in _RLIMIT_ERRORS):
        remove(engine, name)
        res = attempt(own_ulimits())
    return res


def remove(engine: ContainerEngine, name: str) -> None:
    """Remove container ``name`` and everything running in it (gone already is fine).

    Killed first: ``rm -f`` would wait for a PID 1 that ignores ``SIGTERM``.
    """
    run_trusted(engine("kill", name), workdir=Path("/"), env={}, timeout_s=60)
    run_trusted(engine("rm", "-f", name), workdir=Path("/"), env={}, timeout_s=60)


def copy_in(engine: ContainerEngine, name: str, local: Path, dest: str) -> str | None:
    """Copy ``local`` to ``dest`` in the container and read it back: None, or what failed."""
    res = run_trusted(
        engine("cp", str(local), f"{name}:{dest}"), workdir=local.parent, env={}, timeout_s=120
    )
    if res.returncode != 0 or res.timed_out:
        return f"copying the file into the container failed: {said(res)}"
    back = local.parent / f"{local.name}.readback"
    res = run_trusted(
        engine("cp", f"{name}:{dest}", str(back)), workdir=local.parent, env={}, timeout_s=120
    )
    if res.returncode != 0 or not back.is_file():
        return f"reading the file back from the container failed: {said(res)}"
    if back.read_bytes() != local.read_bytes():
        return f"{dest} in the container differs from the file written"
    return None


def execute(
    engine: ContainerEngine, name: str, command: Sequence[str], *, timeout_s: float, marker: str
) -> CommandResult:
    """Run ``command`` (argv, no shell) in the container; look for ``marker`` in its output.

    After a timeout every process left in the container is killed, so a hung test does
    not run on beside the next command.
    """
    argv = engine("exec", name, *command)
    res = run_trusted(argv, workdir=Path("/"), env={}, timeout_s=timeout_s, markers=(marker,))
    if res.timed_out:
        kill = engine("exec", name, "kill", "-KILL", "-1")
        run_trusted(kill, workdir=Path("/"), env={}, timeout_s=30)
    return res


def said(res: CommandResult) -> str:
    """What a failed engine command said (its last lines), or why it did not start."""
    if res.launch_error:
        return res.launch_error
    if res.timed_out:
        return f"no answer within {res.seconds:.0f} s"
    return res.output.strip()[-400:] or f"exit status {res.returncode}"
