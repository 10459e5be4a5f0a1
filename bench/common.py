"""Shared helpers of the benchmarks: paths, cache keys, conversations, servers, statistics, reports."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import string
import sys
import time
from collections.abc import Iterator, Sequence
from importlib.metadata import version
from pathlib import Path

import numpy
import yaml

from harness.conversations import Conversation, scripted_checks
from harness.processes import free_port, start_server, terminate
from harness.rest import post

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
CACHE = BENCH / ".cache"
PYTHON = REPO / ".venv" / "bin" / "python"
RASA = REPO / ".venv" / "bin" / "rasa"
PROJECT_MODEL = REPO / "models" / "hepb-assistant.tar.gz"
CONFIGS = {"project": REPO / "config.yml", "default": BENCH / "default-config.yml"}
CODE = ["components/**/*.py", "knowledge/**/*.py", "knowledge/**/*.y*ml", "knowledge/**/*.json"]
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore"}
ENV["TF_CPP_MIN_LOG_LEVEL"] = "2"


def server_env() -> dict[str, str]:
    """The TensorFlow settings scripts/run gives the servers (`export TF_...=${TF_...:-default}`): what it deploys."""
    found = re.findall(r"^export (TF_\w+)=\$\{\1:-([^}]*)\}", (REPO / "scripts" / "run").read_text(), re.M)
    return {name: os.environ.get(name, default) for name, default in found}


class Figures(string.Formatter):
    """str.format where a missing or unmeasured figure reads `missing`."""

    def __init__(self, missing: str = "n/a") -> None:
        self.missing = missing

    def get_field(self, field_name, args, kwargs):
        try:
            return super().get_field(field_name, args, kwargs)
        except (KeyError, IndexError, TypeError):
            return None, field_name

    def format_field(self, value, spec):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.missing
        return super().format_field(value, spec)


def log(message: str) -> None:
    """Progress line on stderr, with the time since the benchmark started."""
    started = float(os.environ.setdefault("BENCH_STARTED", str(time.time())))
    print(f"[bench {time.time() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


def inputs_hash(config: Path, with_code: bool = False, extra: str = "") -> str:
    """Cache key: sha256 of a config, domain.yml, data/ (with_code: and CODE but the speed-ups), the Rasa version."""
    digest = hashlib.sha256()
    for path in [config, REPO / "domain.yml", *files(["data/**/*.y*ml"]), *(files(CODE) if with_code else [])]:
        digest.update(f"{path.relative_to(REPO)}\0".encode() + path.read_bytes() + b"\0")
    digest.update(f"rasa {version('rasa')} {extra}".encode())
    return digest.hexdigest()[:16]


def files(patterns: list[str]) -> list[Path]:
    found = {path for pattern in patterns for path in REPO.glob(pattern) if path.is_file()}
    return sorted(path for path in found if "__pycache__" not in path.parts and path.name != "speedups.py")


def read_json(path: Path) -> dict | None:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text())
    return None


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


def conversations() -> list[Conversation]:
    """The scripted checks (harness/conversations.py), then the conversations of bench/conversations.yml."""
    general = yaml.safe_load((BENCH / "conversations.yml").read_text())
    return scripted_checks() + [Conversation(name, messages) for name, messages in general.items()]


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size (VmHWM) of a running process, in MB; None once it is gone."""
    with contextlib.suppress(OSError, TypeError):
        return int(re.search(r"^VmHWM:\s*(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M)[1]) / 1024
    return None


@contextlib.contextmanager
def action_server(workdir: Path) -> Iterator[dict]:
    """The project's action server on a free port; yields url, pid, start-up seconds."""
    port, started = free_port(), time.monotonic()
    command = [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
    process = start_server(command, f"http://127.0.0.1:{port}/health", workdir / f"actions-{port}.log", ENV)
    try:
        yield {"url": f"http://127.0.0.1:{port}/webhook", "pid": process.pid, "startup_s": time.monotonic() - started}
    finally:
        terminate([process])


@contextlib.contextmanager
def rasa_server(model: Path, action_url: str, workdir: Path, speedups: bool = True) -> Iterator[dict]:
    """`rasa run` on a free port as scripts/run starts it (SQLite store in `workdir`, with or without the
    speed-ups); yields url, pid, and the seconds from process start to the first answer (cold start)."""
    port, started, rasa = free_port(), time.monotonic(), [str(PYTHON), "-m", "server.rasa"] if speedups else [str(RASA)]
    url, options = f"http://127.0.0.1:{port}", ["--credentials", "credentials.yml", "--endpoints", "endpoints.yml"]
    env = {**ENV, **server_env(), "ACTION_ENDPOINT_URL": action_url, "TRACKER_DB": str(workdir / f"tracker-{port}.db")}
    command = [*rasa, "run", "--model", str(model), "--port", str(port), *options]
    process = start_server(command, f"{url}/", workdir / f"rasa-{port}.log", env)
    try:
        if not post(url, "cold-start", "hello"):
            raise RuntimeError(f"no answer to 'hello' from {url}")
        yield {"url": url, "pid": process.pid, "cold_start_s": time.monotonic() - started}
    finally:
        terminate([process])


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile, q in 0..100; NaN without values."""
    return float(numpy.percentile(values, q)) if len(values) else math.nan


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    mean_ms = sum(seconds) / len(seconds) * 1e3 if seconds else math.nan
    return {"n": len(seconds), **{f"p{q}_ms": percentile(seconds, q) * 1e3 for q in (50, 95, 99)}, "mean_ms": mean_ms}
