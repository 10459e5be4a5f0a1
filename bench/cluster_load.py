"""Load test of `make cluster` with Locust: REST and socket.io, 1 to 100 patients, 1 and 2 servers.

    python -m bench.cluster_load [--patients 1 10 50 100] [--replicas 1 2] [--window 40]

Starts scripts/cluster (on free ports, its data in a temporary folder) with 1, then 2 Rasa
servers, and runs Locust (pinned in bench/load-requirements.txt, installed into .venv-load so
that it cannot change the assistant's pins) headless against HAProxy for every transport,
number of patients and pace: without think time (the next message as soon as the answer is
in: a capacity test) and with a 1 to 3 s pause to read and type. Each simulated patient runs
the scripted checks of bench/conversations.py with new sender ids; statistics start once every
patient is running (Locust's --reset-stats). REST latency is the whole request; socket.io
latency is the time to the first answer of a turn (the widget shows it then; a turn is over
when no answer has come for 0.3 s, which is not counted). Writes bench/cluster-load.json, the
plot bench/cluster-load.png and the section "Scale-out" of bench/RESULTS.md
(bench/cluster-load.md, which `make bench` keeps).

This file is also Locust's locustfile (`RestPatient`, `SocketIOPatient`): Locust imports it in
.venv-load, where only that part is defined.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

SCRIPTS = json.loads(os.environ.get("LOAD_SCRIPTS", "[]"))  # set by the driver for Locust
THINK_S = json.loads(os.environ.get("LOAD_THINK", "null"))  # [low, high] seconds, or null
_numbers = itertools.count()

try:
    import socketio
    from gevent.queue import Empty, Queue
    from locust import HttpUser, User, task
except ImportError:  # the driver, in the project's .venv
    HttpUser = User = None


def pause() -> None:
    if THINK_S:
        time.sleep(random.uniform(*THINK_S))


if HttpUser is not None:
    class RestPatient(HttpUser):
        """A patient on REST: one scripted check after another, new sender id each time."""

        @task
        def check(self) -> None:
            number = next(_numbers)
            sender = f"load-{uuid.uuid4().hex[:12]}"
            for index, message in enumerate(SCRIPTS[number % len(SCRIPTS)]):
                with self.client.post("/webhooks/rest/webhook", name="REST turn", catch_response=True,
                                      json={"sender": sender, "message": message, "message_id": str(index)}) as answer:
                    if answer.ok and (not answer.json() or "went wrong" in answer.text):
                        answer.failure("no answer, or 'something went wrong'")
                pause()

    class SocketIOPatient(User):
        """A patient in the web widget: socket.io (long-polling, then websocket), signed session."""

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
                self.environment.events.request.fire(
                    request_type="socket.io", name="socket.io turn", response_time=(first - sent) * 1e3,
                    response_length=0, exception=error, context={})
                while True:  # the rest of the turn's answers
                    try:
                        self.replies.get(timeout=0.3)
                    except Empty:
                        break
                pause()


# --- the driver (the project's .venv) ------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
LOAD_VENV = REPO / ".venv-load"
REQUIREMENTS = BENCH / "load-requirements.txt"
THINK = {"no pause": None, "1-3 s pause": [1, 3]}
MARK = "<!-- scale-out: written by bench/cluster_load.py -->"


def load_venv() -> Path:
    """.venv-load with the pinned Locust (created or updated when the pins changed)."""
    import subprocess
    stamp = LOAD_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != REQUIREMENTS.read_text():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(LOAD_VENV)], check=True)
        subprocess.run([str(LOAD_VENV / "bin" / "pip"), "install", "-q", "--no-deps", "-r", str(REQUIREMENTS)],
                       check=True)
        stamp.write_text(REQUIREMENTS.read_text())
    return LOAD_VENV / "bin" / "locust"


def run_locust(locust: Path, url: str, user: str, patients: int, think: str, window: int, work: Path) -> dict:
    import csv
    import subprocess
    from bench.conversations import conversations
    prefix = work / f"{user}-{patients}-{think.replace(' ', '')}"
    scripts = [c.messages for c in conversations() if c.kind == "check"]
    subprocess.run([str(locust), "-f", __file__, "--headless", "--users", str(patients), "--spawn-rate",
                    str(patients), "--run-time", f"{window}s", "--reset-stats", "--host", url, "--csv",
                    str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5", user],
                   env={**os.environ, "LOAD_SCRIPTS": json.dumps(scripts), "LOAD_THINK": json.dumps(THINK[think])},
                   cwd=REPO, check=False, stdout=(prefix.parent / f"{prefix.name}.log").open("w"),
                   stderr=subprocess.STDOUT, timeout=window + 180)
    with open(f"{prefix}_stats.csv") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    count = int(row["Request Count"])
    return {"transport": "REST" if user == "RestPatient" else "socket.io", "patients": patients, "think": think,
            "turns": count, "failures": int(row["Failure Count"]), "turns_per_s": float(row["Requests/s"]),
            **{f"p{q}_ms": float(row[f"{q}%"]) if count else None for q in (50, 95, 99)}}


def measure(replica_counts, levels, window: int) -> list:
    import tempfile
    from tests.cluster.conftest import new_cluster
    locust = load_venv()
    results = []
    for replicas in replica_counts:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            cluster = new_cluster(Path(folder), replicas=replicas, SQL_POOL_SIZE="3", SQL_MAX_OVERFLOW="2")
            cluster.start("The assistant is running")
            try:
                for user, think, patients in itertools.product(("RestPatient", "SocketIOPatient"), THINK, levels):
                    result = {"replicas": replicas, **run_locust(locust, cluster.url(), user, patients, think,
                                                                   window, Path(folder))}
                    print(json.dumps(result), flush=True)
                    results.append(result)
            finally:
                cluster.stop()
    return results


def plot(results: list) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    for (transport, think), style in zip(itertools.product(("REST", "socket.io"), THINK), ("-o", "--o", "-s", "--s")):
        for replicas, colour in ((1, "#1f77b4"), (2, "#d62728")):
            rows = [r for r in results if (r["transport"], r["think"], r["replicas"]) == (transport, think, replicas)
                    and r["p95_ms"] is not None]
            if not rows:
                continue
            label = f"{transport}, {think}, {replicas} server{'s' if replicas > 1 else ''}"
            axes[0].plot([r["patients"] for r in rows], [r["p95_ms"] for r in rows], style, color=colour, label=label)
            axes[1].plot([r["patients"] for r in rows], [r["turns_per_s"] for r in rows], style, color=colour, label=label)
    for axis, title in zip(axes, ("p95 latency of a turn (ms, log scale)", "turns answered per second")):
        axis.set_xscale("log")
        axis.set_xlabel("simulated patients at once")
        axis.set_title(title)
    axes[0].set_yscale("log")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(BENCH / "cluster-load.png", dpi=110)
    plt.close(fig)


def section(results: list, started: str) -> str:
    load = os.getloadavg()
    lines = [MARK, "## Scale-out: `make cluster` under load", "",
             f"Measured by `python -m bench.cluster_load` on {started} on this 2-core machine (load average "
             f"{load[0]:.1f} at the end; the load generator and every server share the 2 cores, so a second "
             f"Rasa server adds no CPU: these figures show that the cluster works and what it costs, not "
             f"how it scales on more cores). Locust {REQUIREMENTS.read_text().split('locust==')[1].split()[0]}; "
             "each row is one run of the stated window after every patient started.", "",
             "| servers | transport | pace | patients | turns | failed | turns/s | p50 ms | p95 ms | p99 ms |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        cells = [f"{r[k]:,.0f}" if r[k] is not None else "-" for k in ("p50_ms", "p95_ms", "p99_ms")]
        lines.append(f"| {r['replicas']} | {r['transport']} | {r['think']} | {r['patients']} | {r['turns']:,} | "
                     f"{r['failures']} | {r['turns_per_s']:.1f} | {' | '.join(cells)} |")
    lines += ["", "![p95 latency and throughput by number of patients](cluster-load.png)", ""]
    return "\n".join(lines) + "\n"


def write(results: list, started: str) -> None:
    from bench.common import write_json
    write_json(BENCH / "cluster-load.json", {"started": started, "results": results})
    plot(results)
    text = section(results, started)
    (BENCH / "cluster-load.md").write_text(text)
    report = BENCH / "RESULTS.md"
    kept = report.read_text().split(MARK)[0].rstrip("\n") if report.exists() else "# Benchmark results"
    report.write_text(f"{kept}\n\n{text}")


def main() -> None:
    import argparse
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--window", type=int, default=40, help="seconds measured per run")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write(measure(args.replicas, args.patients, args.window), started)


if __name__ == "__main__":
    main()
