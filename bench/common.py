"""Shared helpers of the benchmarks: paths, cache keys, the scripted conversations, servers on
free ports, statistics."""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional, Sequence

import numpy
import yaml

from harness.processes import free_port

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
CACHE = BENCH / ".cache"
PYTHON = REPO / ".venv" / "bin" / "python"
RASA = REPO / ".venv" / "bin" / "rasa"
PROJECT_MODEL = REPO / "models" / "hepb-assistant.tar.gz"
CONFIGS = {"project": REPO / "config.yml", "default": BENCH / "default-config.yml"}
SCRIPTED = REPO / "tests" / "conversations" / "scripted.yml"  # a data file, read by tests and benchmarks
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
       "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}


def server_env() -> Dict[str, str]:
    """The TensorFlow settings scripts/run gives the servers (its `export TF_...=${TF_...:-default}`
    lines), so that the benchmark measures what `make run` deploys."""
    found = re.findall(r"^export (TF_\w+)=\$\{\1:-([^}]*)\}", (REPO / "scripts" / "run").read_text(), re.M)
    return {name: os.environ.get(name, default) for name, default in found}


def log(message: str) -> None:
    """Progress line on stderr, with the time since the benchmark started."""
    started = float(os.environ.setdefault("BENCH_STARTED", str(time.time())))
    print(f"[bench {time.time() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


def rasa_version() -> str:
    from importlib.metadata import version
    return version("rasa")


def inputs_hash(config: Path, with_code: bool = False, extra: str = "") -> str:
    """Cache key: sha256 of a config and what training reads (domain.yml, data/), optionally the
    custom code the model runs (components/ but its speed-ups, knowledge/), and the Rasa version."""
    groups = [["data/**/*.y*ml"], ["components/**/*.py", "knowledge/**/*.py", "knowledge/**/*.y*ml",
                                   "knowledge/**/*.json"] if with_code else []]
    files = [path for group in groups for path in sorted({p for pattern in group for p in REPO.glob(pattern)
                                                          if p.is_file() and "__pycache__" not in p.parts
                                                          and p.name != "speedups.py"})]
    digest = hashlib.sha256()
    for path in [config, REPO / "domain.yml", *files]:
        digest.update(f"{path.relative_to(REPO)}\0".encode() + path.read_bytes() + b"\0")
    digest.update(f"rasa {rasa_version()} {extra}".encode())
    return digest.hexdigest()[:16]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


class Conversation(NamedTuple):
    name: str
    messages: List[str]
    kind: str = "general"  # or "check"
    verdict: Optional[str] = None  # first line of the rule module's answer that ends a check

    def succeeded(self, last_reply: str) -> bool:
        return bool(self.verdict) and all(part in last_reply for part in (self.verdict, "Sources:", "your doctor"))


def conversations() -> List[Conversation]:
    """The personal checks of tests/conversations/scripted.yml (one per verdict of each topic,
    free text and buttons), each opened with a greeting, then those of bench/conversations.yml."""
    from knowledge import assess
    checks = [Conversation(f"{case['topic']}-{case['verdict']}", ["hello", *case["messages"]], "check",
                           assess(case["topic"], case["facts"]).message.splitlines()[0])
              for case in yaml.safe_load(SCRIPTED.read_text())]
    general = yaml.safe_load((BENCH / "conversations.yml").read_text())
    return checks + [Conversation(name, messages) for name, messages in general.items()]


def peak_rss_mb(pid: int) -> Optional[float]:
    """Peak resident set size (VmHWM) of a running process, in MB; None once it is gone."""
    with contextlib.suppress(OSError, StopIteration):
        return next(int(line.split()[1]) / 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmHWM:"))
    return None


@contextlib.contextmanager
def _server(command: List[str], health_url: str, log_file: Path, env: Dict[str, str]) -> Iterator[dict]:
    """A server process until the block ends; yields its pid, process and seconds until `health_url` answered."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log_file.open("w"), stderr=subprocess.STDOUT)
    try:
        while time.monotonic() - started < 240:
            if process.poll() is not None:
                raise RuntimeError(f"server exited during start-up:\n{log_file.read_text()[-3000:]}")
            with contextlib.suppress(OSError), urllib.request.urlopen(health_url, timeout=2):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{health_url} did not answer within 240 s:\n{log_file.read_text()[-3000:]}")
        yield {"pid": process.pid, "process": process, "startup_s": time.monotonic() - started, "started": started}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def action_server(workdir: Path) -> Iterator[dict]:
    """The project's action server on a free port; yields url, pid, start-up seconds."""
    port = free_port()
    with _server([str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                 f"http://127.0.0.1:{port}/health", workdir / f"actions-{port}.log", ENV) as server:
        yield {**server, "url": f"http://127.0.0.1:{port}/webhook"}


@contextlib.contextmanager
def rasa_server(model: Path, action_url: str, workdir: Path) -> Iterator[dict]:
    """`rasa run` as scripts/run starts it (REST channel, SQLite tracker store in `workdir`) on a
    free port; yields url, pid, and the seconds from process start to the first answer (cold start)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**ENV, **server_env(), "ACTION_ENDPOINT_URL": action_url, "TRACKER_DB": str(workdir / f"tracker-{port}.db")}
    with _server([str(RASA), "run", "--model", str(model), "--port", str(port), "--credentials", "credentials.yml",
                  "--endpoints", "endpoints.yml"], f"{url}/", workdir / f"rasa-{port}.log", env) as server:
        up = time.monotonic() - server["started"]
        request = urllib.request.Request(f"{url}/webhooks/rest/webhook", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"sender": "cold-start", "message": "hello"}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            if not json.load(response):
                raise RuntimeError(f"no answer to 'hello' from {url}")
        yield {**server, "url": url, "up_s": up, "cold_start_s": time.monotonic() - server["started"]}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile, q in 0..100; NaN without values."""
    return float(numpy.percentile(values, q)) if len(values) else math.nan


def median(values) -> float:
    return percentile([v for v in values if v is not None and not math.isnan(v)], 50)


def summary_ms(seconds: Sequence[float]) -> Dict[str, float]:
    return {"n": len(seconds), **{f"p{q}_ms": percentile(seconds, q) * 1e3 for q in (50, 95, 99)},
            "mean_ms": sum(seconds) / len(seconds) * 1e3 if seconds else math.nan}
