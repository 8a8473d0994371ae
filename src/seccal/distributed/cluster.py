"""Connecting to a Ray cluster (imported lazily: Ray is the optional ``ray`` extra)."""

from __future__ import annotations

import logging
import os
from types import ModuleType
from typing import Any

from seccal.errors import ConfigError, InputError

log = logging.getLogger(__name__)

#: Ray's own knob for usage statistics; seccal never reports usage anywhere.
_USAGE_ENV = "RAY_USAGE_STATS_ENABLED"


def import_ray() -> ModuleType:
    """The ``ray`` module, or a :class:`ConfigError` saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            f"--ray needs Ray: pip install 'seccal[ray]' (import failed: {exc})"
        ) from None
    return ray


def connect(address: str, *, namespace: str = "seccal") -> tuple[ModuleType, bool]:
    """Connect this process to the Ray cluster at ``address``.

    Parameters
    ----------
    address:
        ``auto`` (the cluster this machine belongs to, as ``ray start`` left it)
        or ``HOST:PORT`` of the head node's GCS (``ray://HOST:PORT`` for a Ray
        client connection also works).
    namespace:
        Ray namespace of seccal's actors.

    Returns
    -------
    tuple
        ``(ray module, whether this call connected)``: when Ray was already
        initialised in this process, the existing connection is used and the
        caller must not shut it down.

    Raises
    ------
    InputError
        When no cluster answers at ``address`` (the message names it).
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    os.environ.setdefault(_USAGE_ENV, "0")
    if not address.strip():
        raise InputError("--ray: give 'auto' or the head node's HOST:PORT")
    try:
        ray.init(
            address=address,
            namespace=namespace,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise InputError(f"--ray {address}: cannot connect to a Ray cluster: {exc}") from None
    resources: dict[str, Any] = ray.cluster_resources()
    log.info("connected to Ray at %s: %s", address, resources)
    return ray, True


def pin_ray_to_loopback() -> None:
    """Keep this process's Ray node address on 127.0.0.1 (one-machine clusters).

    Ray rewrites a loopback node address to the machine's "remotely reachable"
    one (the default route's interface), so a cluster started on 127.0.0.1 would
    still talk over eth0. Call this before ``ray.init`` in a driver, and start
    nodes with :data:`LOOPBACK_RAY_CLI`, to keep all traffic on loopback.
    """
    import ray._private.services as services

    services.resolve_ip_for_localhost = lambda host: host


#: ``python -c`` program that runs Ray's CLI with :func:`pin_ray_to_loopback` applied.
LOOPBACK_RAY_CLI = (
    "from seccal.distributed.cluster import pin_ray_to_loopback; pin_ray_to_loopback(); "
    "from ray.scripts.scripts import main; main()"
)


def cluster_cpus(ray: ModuleType) -> int:
    """CPUs of the cluster's live nodes (at least 1)."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def live_nodes(ray: ModuleType) -> int:
    """Number of live nodes (at least 1)."""
    return max(1, sum(1 for n in ray.nodes() if n.get("Alive")))


def error_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (Ray errors carry whole tracebacks)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:300]
