"""Shared helpers of the benchmark: paths, cache keys, servers on free ports, statistics."""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
CACHE = BENCH / ".cache"
BIN = REPO / ".venv" / "bin"
PYTHON = BIN / "python"
RASA = BIN / "rasa"
PROJECT_MODEL = REPO / "models" / "hepb-assistant.tar.gz"
CONFIGS = {"project": REPO / "config.yml", "default": BENCH / "default-config.yml"}

ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore",
}


def server_env() -> Dict[str, str]:
    """The environment scripts/run gives the servers beyond ENV (its `export VAR=${VAR:-default}`
    lines for TensorFlow), so the benchmark measures what `make run` deploys."""
    found = re.findall(r"^export (TF_\w+)=\$\{\1:-([^}]*)\}", (REPO / "scripts" / "run").read_text(), re.M)
    return {name: os.environ.get(name, default) for name, default in found}


def log(message: str) -> None:
    """Progress line on stderr, with the time since the benchmark started."""
    started = float(os.environ.setdefault("BENCH_STARTED", str(time.time())))
    print(f"[bench {time.time() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


# --- cache keys ---------------------------------------------------------------------------

def _files(*patterns: str) -> List[Path]:
    found: List[Path] = []
    for pattern in patterns:
        found += [p for p in REPO.glob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    return sorted(set(found))


def rasa_version() -> str:
    from importlib.metadata import version  # the venv's python runs the benchmark
    return version("rasa")


def inputs_hash(config: Path, with_code: bool = False, extra: str = "") -> str:
    """sha256 of a config and everything training reads (domain, data), plus optionally the
    custom code the model runs (components/, knowledge/) and an extra string."""
    digest = hashlib.sha256()
    files = [config, REPO / "domain.yml", *_files("data/**/*.yml", "data/**/*.yaml")]
    if with_code:  # components/speedups.py is left out: it changes speed only (bench/check_speedups.py)
        files += [path for path in _files("components/**/*.py", "knowledge/**/*.py", "knowledge/**/*.yaml",
                                          "knowledge/**/*.yml", "knowledge/**/*.json")
                  if path != REPO / "components" / "speedups.py"]
    for path in files:
        digest.update(str(path.relative_to(REPO) if path.is_relative_to(REPO) else path).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    digest.update(f"rasa {rasa_version()} {extra}".encode())
    return digest.hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_json(path: Path) -> Optional[dict]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


# --- processes ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log_file: Path, timeout: float = 240) -> float:
    """Poll `url` until it answers; return the time it took. Fails if the process exits."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited during start-up:\n{log_file.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{log_file.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def peak_rss_mb(pid: int) -> Optional[float]:
    """Peak resident set size (VmHWM) of a running process, in MB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def action_server(workdir: Path, env: Optional[Dict[str, str]] = None) -> Iterator[dict]:
    """The project's action server on a free port; yields url, pid, start-up seconds."""
    port = free_port()
    log_file = workdir / f"actions-{port}.log"
    process = subprocess.Popen([str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                               cwd=REPO, env={**ENV, **(env or {})}, stdout=log_file.open("w"),
                               stderr=subprocess.STDOUT)
    try:
        seconds = wait_until_up(f"http://127.0.0.1:{port}/health", process, log_file)
        yield {"url": f"http://127.0.0.1:{port}/webhook", "pid": process.pid, "startup_s": seconds,
               "process": process}
    finally:
        stop(process)


@contextlib.contextmanager
def rasa_server(model: Path, action_url: str, workdir: Path, env: Optional[Dict[str, str]] = None,
                stock: bool = False, endpoints: Path = REPO / "endpoints.yml") -> Iterator[dict]:
    """`rasa run` (REST channel, SQLite tracker store in `workdir`) on a free port, as
    scripts/run starts it. Yields url, pid, and the time from process start to the first
    answer to a chat message (cold start). `stock`: without components/speedups.py."""
    port = free_port()
    log_file = workdir / f"rasa-{port}.log"
    db = workdir / f"tracker-{port}.db"
    command = [str(PYTHON), "-m", "bench.stock_rasa"] if stock else [str(RASA)]
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "run", "--model", str(model), "--port", str(port), "--credentials",
         "credentials.yml", "--endpoints", str(endpoints)],
        cwd=REPO, env={**ENV, **server_env(), "ACTION_ENDPOINT_URL": action_url, "TRACKER_DB": str(db),
                       **(env or {})},
        stdout=log_file.open("w"), stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/", process, log_file)
        up = time.monotonic() - started
        reply = post_message(url, "cold-start", "hello")
        first_answer = time.monotonic() - started
        if not reply:
            raise RuntimeError(f"no answer to 'hello' from {url}:\n{log_file.read_text()[-3000:]}")
        yield {"url": url, "pid": process.pid, "up_s": up, "cold_start_s": first_answer,
               "process": process, "log": log_file}
    finally:
        stop(process)


def post_message(url: str, sender: str, message: str, timeout: float = 60) -> list:
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


# --- statistics ---------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), q in 0..100."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Iterable[float]) -> float:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return percentile(values, 50) if values else math.nan


def summary_ms(seconds: Sequence[float]) -> Dict[str, float]:
    return {"n": len(seconds), "p50_ms": percentile(seconds, 50) * 1e3,
            "p95_ms": percentile(seconds, 95) * 1e3, "p99_ms": percentile(seconds, 99) * 1e3,
            "mean_ms": (sum(seconds) / len(seconds) * 1e3) if seconds else math.nan}
