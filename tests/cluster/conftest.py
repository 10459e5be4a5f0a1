"""`make cluster` for the tests: scripts/cluster on free ports with its data in a temporary folder
(harness/cluster.py).

PostgreSQL, Redis and HAProxy are Debian's packages. When one is missing, scripts/cluster-packages
installs it if this user may (root, or sudo without a password); when it cannot, the tests are
skipped with the reason, unless REQUIRE_CLUSTER_TESTS=1 (CI: .ci/run installs the packages),
which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import harness.cluster
from harness.cluster import STORES_READY, Cluster
from tests.servers import REPO


def packages_ready() -> None:
    """Install PostgreSQL, Redis and HAProxy when missing and allowed; skip (or fail) otherwise."""
    check = subprocess.run(["scripts/cluster-packages", "--check"], cwd=REPO, capture_output=True, text=True)
    if check.returncode == 0:
        return
    may_install = os.geteuid() == 0 or (
        bool(shutil.which("sudo"))
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    )
    if may_install:
        installed = subprocess.run(["scripts/cluster-packages"], cwd=REPO, capture_output=True, text=True)
        if installed.returncode == 0:
            return
        reason = f"installing them failed:\n{installed.stderr[-1500:]}"
    else:
        reason = "this user cannot install Debian packages (run scripts/cluster-packages as root)"
    message = f"{check.stderr.strip()}: {reason}"
    if os.environ.get("REQUIRE_CLUSTER_TESTS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def new_cluster(folder: Path, replicas: int = 2, **env: str) -> Cluster:
    """harness.cluster.new_cluster once the packages are there (skipped or failed otherwise)."""
    packages_ready()
    return harness.cluster.new_cluster(folder, replicas, **env)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Cluster:
    """PostgreSQL and Redis only (scripts/cluster --stores)."""
    cluster = new_cluster(tmp_path_factory.mktemp("stores"))
    cluster.start(STORES_READY, timeout=120)
    try:
        yield cluster
    finally:
        cluster.stop()
