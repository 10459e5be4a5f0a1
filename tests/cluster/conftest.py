"""`make cluster` for the tests: scripts/cluster on free ports with its data in a temporary folder.

PostgreSQL, Redis and HAProxy are Debian's packages. When one is missing, scripts/cluster-packages
installs it if this user may (root, or sudo without a password); when it cannot, the tests are
skipped with the reason, unless REQUIRE_CLUSTER_TESTS=1 (CI: .ci/run installs the packages),
which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.servers import REPO, free_port


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


def consecutive_free_ports(count: int) -> int:
    """The first of `count` consecutive free ports on 127.0.0.1."""
    for _ in range(100):
        first = free_port()
        try:
            sockets = []
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


@dataclass
class Cluster:
    """A running scripts/cluster: its ports, settings (store.env) and log."""

    folder: Path
    env: dict[str, str]
    process: subprocess.Popen = None
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def log(self) -> str:
        return (self.folder / "cluster.log").read_text(errors="replace")

    def url(self, port_variable: str = "RASA_PORT", offset: int = 0) -> str:
        return f"http://127.0.0.1:{int(self.env[port_variable]) + offset}"

    def replica_url(self, number: int) -> str:
        return self.url("FIRST_REPLICA_PORT", number - 1)

    def start(self, ready_line: str, timeout: float = 420) -> None:
        self.process = subprocess.Popen(
            ["scripts/cluster", *([] if ready_line == "The assistant is running" else ["--stores"])],
            cwd=REPO,
            env=self.env,
            stdout=(self.folder / "cluster.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while ready_line not in self.log:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"scripts/cluster did not start:\n{self.log[-4000:]}")
            time.sleep(0.5)
        lines = (Path(self.env["CLUSTER_DIR"]) / "store.env").read_text().splitlines()
        self.settings = dict(line.split("=", 1) for line in lines if "=" in line)

    def engine(self) -> sa.engine.Engine:
        from server.tracker_store import engine_for, store_url

        return engine_for(store_url(self.settings))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        shutil.rmtree(self.env["CLUSTER_DIR"], ignore_errors=True)


def new_cluster(folder: Path, replicas: int = 2, **env: str) -> Cluster:
    packages_ready()
    first = consecutive_free_ports(replicas)
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("HOST", "CORS_ORIGINS", "PG_HOST")},
        # not under pytest's private folder: as root, PostgreSQL runs as the postgres user
        "CLUSTER_DIR": tempfile.mkdtemp(prefix="hepb-cluster-test-"),
        "REPLICAS": str(replicas),
        "RASA_PORT": str(free_port()),
        "FIRST_REPLICA_PORT": str(first),
        "ACTION_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "TRACKER_DB": str(folder / "state" / "tracker.db"),
        "SESSION_SECRET": "cluster-test-secret",
        "RASA_TELEMETRY_ENABLED": "false",
        **env,
    }
    return Cluster(folder=folder, env=environment)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Cluster:
    """PostgreSQL and Redis only (scripts/cluster --stores)."""
    cluster = new_cluster(tmp_path_factory.mktemp("stores"))
    cluster.start("the stores are running", timeout=120)
    try:
        yield cluster
    finally:
        cluster.stop()
