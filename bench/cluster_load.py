"""Load tests with Locust: `make bench`'s REST rows, and `make cluster` under load (`make bench-load`).

    python -m bench.cluster_load [--patients 1 10 50 100] [--replicas 1 2] [--window 40]

REST and socket.io patients (`run_locust`, Locust in .venv-load) against scripts/cluster with 1, then
2 Rasa servers; writes bench/cluster-load.json, .png and .md. This file is also the locustfile.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SCRIPTS = json.loads(os.environ.get("LOAD_SCRIPTS", "[]"))  # set by run_locust for Locust
THINK_S = json.loads(os.environ.get("LOAD_THINK", "null"))  # [low, high] seconds, or null
_numbers = itertools.count()

try:
    import socketio
    from gevent.queue import Empty, Queue
    from locust import HttpUser, User, task
except ImportError:  # the driver, in the project's .venv (Locust is only in .venv-load)
    HttpUser = User = None
    from bench.common import Figures, conversations, write_json
    from harness.cluster import new_cluster


def pause() -> None:
    time.sleep(random.uniform(*THINK_S) if THINK_S else 0)


if HttpUser is not None:

    class RestPatient(HttpUser):
        """A patient on REST: one scripted conversation after another, new sender id each time."""

        @task
        def check(self) -> None:
            sender = f"load-{uuid.uuid4().hex[:12]}"
            for index, message in enumerate(SCRIPTS[next(_numbers) % len(SCRIPTS)]):
                body = {"sender": sender, "message": message, "message_id": str(index)}
                with self.client.post("/webhooks/rest/webhook", name="REST turn", catch_response=True, json=body) as answer:
                    if answer.ok and (not answer.json() or "went wrong" in answer.text):
                        answer.failure("no answer, or 'something went wrong'")
                pause()

    class SocketIOPatient(User):
        """A patient in the web widget: socket.io (long-polling, then websocket), signed session; a turn's
        latency is the time to its first answer."""

        def on_start(self) -> None:
            self.replies = Queue()
            self.sio = socketio.Client(reconnection=False)
            self.sio.on("bot_uttered", lambda data: self.replies.put(time.perf_counter()))
            self.sio.on("session_confirm", lambda token: self.replies.put(token))
            self.sio.connect(self.host, transports=["polling", "websocket"], wait_timeout=30)

        def on_stop(self) -> None:
            self.sio.disconnect()

        @task
        def check(self) -> None:
            self.sio.emit("session_request", {"session_id": None})
            session = self.replies.get(timeout=30)
            for message in SCRIPTS[next(_numbers) % len(SCRIPTS)]:
                sent = time.perf_counter()
                self.sio.emit("user_uttered", {"message": message, "session_id": session})
                try:
                    first, error = self.replies.get(timeout=60), None
                except Empty as empty:
                    first, error = time.perf_counter(), empty
                turn = {"request_type": "socket.io", "name": "socket.io turn", "response_length": 0, "context": {}}
                self.environment.events.request.fire(**turn, response_time=(first - sent) * 1e3, exception=error)
                with contextlib.suppress(Empty):
                    while self.replies.get(timeout=0.3):  # the rest of the turn's answers
                        pass
                pause()


REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
LOAD_VENV = REPO / ".venv-load"
REQUIREMENTS = BENCH / "load-requirements.txt"
THINK = {"no pause": None, "1-3 s pause": [1, 3]}
MARK = "<!-- scale-out: written by bench/cluster_load.py -->"
LOCUST = "Locust " + REQUIREMENTS.read_text().split("locust==")[1].split()[0]


def load_venv() -> Path:
    """.venv-load with the pinned Locust (created or updated when the pins changed)."""
    stamp = LOAD_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != REQUIREMENTS.read_text():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(LOAD_VENV)], check=True)
        subprocess.run([str(LOAD_VENV / "bin" / "pip"), "install", "-q", "--no-deps", "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(REQUIREMENTS.read_text())
    return LOAD_VENV / "bin" / "locust"


def run_locust(url: str, user: str, patients: int, think, window: float, work: Path, scripts: list) -> dict:
    """One headless Locust run of `window` seconds, counted once every patient runs: N patients running
    the scripts with new sender ids; `think`: [low, high] seconds between messages, or None."""
    if not url.startswith("http://127.0.0.1"):
        raise ValueError("load tests run on loopback only")
    prefix = work / f"{user}-{patients}-{'paced' if think else 'nopause'}-{next(_numbers)}"
    users = ["--users", str(patients), "--spawn-rate", str(patients), "--run-time", f"{window:.0f}s"]
    output = ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"]
    command = [str(load_venv()), "-f", __file__, "--headless", *users, "--reset-stats", "--host", url, *output, user]
    env = {**os.environ, "LOAD_SCRIPTS": json.dumps(scripts), "LOAD_THINK": json.dumps(think)}
    with Path(f"{prefix}.log").open("w") as log:
        subprocess.run(command, env=env, cwd=REPO, check=False, stdout=log, stderr=subprocess.STDOUT, timeout=window + 180)
    with open(f"{prefix}_stats.csv") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    count, transport = int(row["Request Count"]), "REST" if user == "RestPatient" else "socket.io"
    latency = {f"p{q}_ms": float(row[f"{q}%"]) if count else None for q in (50, 95, 99)}
    figures = {"turns": count, "failures": int(row["Failure Count"]), "turns_per_s": float(row["Requests/s"]), **latency}
    return {"transport": transport, "patients": patients, "think_s": think, **figures}


def measure(replica_counts, levels, window: int) -> list:
    scripts, results = [c.messages for c in conversations() if c.kind == "check"], []
    for replicas in replica_counts:
        with (
            tempfile.TemporaryDirectory(prefix="bench-load-") as folder,
            new_cluster(Path(folder), replicas=replicas, SQL_POOL_SIZE="3", SQL_MAX_OVERFLOW="2") as cluster,
        ):
            for user, think, patients in itertools.product(("RestPatient", "SocketIOPatient"), THINK, levels):
                row = run_locust(cluster.url(), user, patients, THINK[think], window, Path(folder), scripts)
                results.append({"replicas": replicas, "think": think, **row})
                print(json.dumps(results[-1]), flush=True)
    return results


def plot(rows: list, series, path: Path) -> None:
    """p95 latency and turns/s by number of patients, a line per `series(row)`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.6))
    axes = fig.subplots(1, 2)
    for label in dict.fromkeys(map(series, rows)):
        chosen = [r for r in rows if series(r) == label and r["p95_ms"] is not None]
        for axis, key in zip(axes, ("p95_ms", "turns_per_s"), strict=True):
            axis.plot([r["patients"] for r in chosen], [r[key] for r in chosen], "-o", label=label)
    for axis, title in zip(axes, ("p95 latency of a turn (ms, log scale)", "turns answered per second"), strict=True):
        axis.set(xscale="log", xlabel="simulated patients at once", title=title)
    axes[0].set_yscale("log")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def section(results: list, started: str) -> str:
    """bench/cluster-load.template.md filled in; a latency not measured (no turn) reads -."""
    row = "| {replicas} | {transport} | {think} | {patients} | {turns:,} | {failures} | {turns_per_s:.1f} | "
    rows = "\n".join(Figures("-").format(row + "{p50_ms:,.0f} | {p95_ms:,.0f} | {p99_ms:,.0f} |", **r) for r in results)
    template = (BENCH / "cluster-load.template.md").read_text()
    return template.format(started=started, load=os.getloadavg()[0], rows=rows, locust=LOCUST)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--window", type=int, default=40, help="seconds measured per run")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = measure(args.replicas, args.patients, args.window)
    write_json(BENCH / "cluster-load.json", {"started": started, "results": results})
    plot(results, lambda r: f"{r['transport']}, {r['think']}, {r['replicas']} server(s)", BENCH / "cluster-load.png")
    (BENCH / "cluster-load.md").write_text(text := section(results, started))
    report = BENCH / "RESULTS.md"
    kept = report.read_text().split(MARK)[0].rstrip("\n") if report.exists() else "# Benchmark results"
    report.write_text(f"{kept}\n\n{text}")


if __name__ == "__main__":
    main()
