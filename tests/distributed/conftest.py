"""Fixtures: a real two-node Ray cluster on this machine, and small real tasks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from ray_cluster import LocalCluster, start_cluster


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    """Head + two worker nodes (1 CPU each, 200 MB object stores); the driver connected.

    The node named ``doomed`` is for the test that kills a node mid-run.
    """
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'seccal[ray]')")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    cluster = start_cluster("worker", "doomed")
    try:
        ray.init(address=cluster.address, namespace="seccal-test", log_to_driver=False)
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.stop()


@pytest.fixture
def ray_module(ray_cluster: LocalCluster) -> Any:
    """The connected ``ray`` module."""
    import ray

    return ray
