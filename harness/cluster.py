"""`make cluster` on free ports with its data in a temporary folder (scripts/cluster).

PostgreSQL, Redis and HAProxy are Debian's packages (scripts/cluster-packages installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.processes import consecutive_free_ports, free_port, stop_group

REPO = Path(__file__).resolve().parents[1]
ASSISTANT_READY = "The assistant is running"
STORES_READY = "the stores are running"


@dataclass
class Cluster:
    """A running scripts/cluster: its ports, settings (store.env) and log."""

    folder: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def log(self) -> str:
        return (self.folder / "cluster.log").read_text(errors="replace")

    def url(self, port_variable: str = "RASA_PORT", offset: int = 0) -> str:
        return f"http://127.0.0.1:{int(self.env[port_variable]) + offset}"

    def replica_url(self, number: int) -> str:
        return self.url("FIRST_REPLICA_PORT", number - 1)

    def start(self, ready_line: str = ASSISTANT_READY, timeout: float = 420) -> None:
        """Start the assistant (or only PostgreSQL and Redis: STORES_READY) and wait until it says
        `ready_line`; RuntimeError with the log's end if it does not."""
        self.process = subprocess.Popen(
            ["scripts/cluster", *([] if ready_line == ASSISTANT_READY else ["--stores"])],
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
                raise RuntimeError(f"scripts/cluster did not start:\n{self.log[-4000:]}")
            time.sleep(0.5)
        lines = (Path(self.env["CLUSTER_DIR"]) / "store.env").read_text().splitlines()
        self.settings = dict(line.split("=", 1) for line in lines if "=" in line)

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *error) -> None:
        self.stop()

    def engine(self):
        """SQLAlchemy engine of the cluster's PostgreSQL."""
        from server.tracker_store import engine_for, store_url

        return engine_for(store_url(self.settings))

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, timeout=90)
        shutil.rmtree(self.env["CLUSTER_DIR"], ignore_errors=True)


def new_cluster(folder: Path, replicas: int = 2, **env: str) -> Cluster:
    """A cluster of `replicas` Rasa servers, not yet started; `env` overrides its settings."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("HOST", "CORS_ORIGINS", "PG_HOST")},
        # not under a private folder: as root, PostgreSQL runs as the postgres user
        "CLUSTER_DIR": tempfile.mkdtemp(prefix="hepb-cluster-"),
        "REPLICAS": str(replicas),
        "RASA_PORT": str(free_port()),
        "FIRST_REPLICA_PORT": str(consecutive_free_ports(replicas)),
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
