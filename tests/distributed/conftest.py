"""Fixtures: a real two-node Ray cluster on this machine, and small real tasks."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from ray_cluster import LocalCluster, start_cluster

from seccal.distributed.cluster import pin_ray_to_loopback


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    """Head + two worker nodes (1 CPU each, 200 MB object stores); the driver connected.

    The node named ``doomed`` is for the test that kills a node mid-run.
    """
    if importlib.util.find_spec("ray") is None:
        pytest.skip("Ray is not installed (pip install 'seccal[ray]')")
    cluster = start_cluster("worker", "doomed")
    names = ["RAY_USAGE_STATS_ENABLED", "RAY_AUTH_TOKEN_PATH", *cluster.auth_env]
    saved = {name: os.environ.get(name) for name in names}
    os.environ.pop("RAY_AUTH_TOKEN_PATH", None)
    os.environ.update({"RAY_USAGE_STATS_ENABLED": "0", **cluster.auth_env})
    already = "ray" in sys.modules
    import ray

    if already:  # Ray reads its auth mode once, at import: have it read ours
        from ray._raylet import Config

        Config.initialize("")
    pin_ray_to_loopback()
    try:
        ray.init(
            address=cluster.address,
            namespace="seccal-test",
            log_to_driver=False,
            _node_ip_address="127.0.0.1",
        )
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def ray_module(ray_cluster: LocalCluster) -> Any:
    """The connected ``ray`` module."""
    import ray

    return ray
