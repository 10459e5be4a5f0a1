"""Per-turn cost along one long conversation, per conversation store, and against Rasa's default.

    python -m bench.turns [--turns 200] [--stores memory sqlite postgres] [--default] [--out F]

One conversation (one sender id) repeats the stop check with typed answers (``TYPED_CHECK``)
for ``--turns`` turns, in-process: the agent is loaded as ``rasa run`` loads it
(``load_agent`` with an endpoints file) and each turn is one ``handle_text``, with the action
server up. Stores: ``memory`` (Rasa's in-memory tracker and lock stores), ``sqlite``
(endpoints.yml: the project's private SQLite store), ``postgres`` (endpoints-cluster.yml:
PostgreSQL and the Redis lock store, started by ``scripts/cluster --stores`` in a temporary
folder). Each variant runs in its own process; ``--default`` adds Rasa's default assistant
(bench/default-config.yml, trained by bench/training.py on the same domain and data) on the
same turns with its default in-memory stores, and the ratio of the p95s. Prints p50 and p95
of wall and CPU time per turn band (1-20, 91-110, 181-200: the last 20 turns when --turns is
shorter) and how many checks ended with the rule module's verdict.
The figures of the last run are in bench/turns.md (kept in bench/RESULTS.md by `make bench`).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (ENV, PROJECT_MODEL, PYTHON, REPO, action_server, free_port, percentile,  # noqa: E402
                          server_env, write_json)

# The stop check of tests/conversations/scripted.yml that asks every question ('undetermined'),
# answered in words instead of buttons.
TYPED_CHECK = ["can I stop my treatment?", "I don't know", "entecavir", "3 years", "not sure", "yes",
               "yes", "2 years", "3"]
BANDS = ((1, 20), (91, 110), (181, 200))


def bands(turns: int) -> List[tuple]:
    found = [band for band in BANDS if band[1] <= turns]
    return found if found and found[-1][1] == turns else [*found, (turns - 19, turns)]


async def measure(store: str, model: str, action_url: str, turns: int, stock: bool) -> dict:
    """Run the long conversation in this process; every turn's wall and CPU time."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    if stock:
        from components import speedups
        speedups.install = lambda: None
    if store == "memory":
        endpoints = AvailableEndpoints(action=EndpointConfig(url=action_url))
        if not stock:  # the project's servers install them with their conversation store
            from server import flat_turns
            flat_turns.install()
    else:
        endpoints = AvailableEndpoints.read_endpoints(
            str(REPO / ("endpoints.yml" if store == "sqlite" else "endpoints-cluster.yml")))
    agent = await load_agent(model_path=model, endpoints=endpoints)
    await agent.handle_text("hello", sender_id="warm-up")
    from bench.conversations import conversations
    verdict = next(c for c in conversations() if c.name == "stop-undetermined").expected_first_line
    sender = f"long-{store}-{os.getpid()}"
    records, verdicts = [], 0
    for turn in range(turns):
        message = TYPED_CHECK[turn % len(TYPED_CHECK)]
        wall, cpu = time.perf_counter(), time.process_time()
        replies = await agent.handle_text(message, sender_id=sender)
        records.append({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu})
        verdicts += any(verdict in (reply.get("text") or "") for reply in replies or [])
    tracker = await agent.tracker_store.retrieve(sender)
    return {"store": store, "stock": stock, "turns": records, "verdicts": verdicts,
            "checks": turns // len(TYPED_CHECK), "events": len(tracker.events)}


@contextlib.contextmanager
def postgres_and_redis(work: Path) -> Iterator[Dict[str, str]]:
    """scripts/cluster --stores on free ports in `work`; yields its settings (store.env)."""
    # not inside `work`, which only this user can open (as root, PostgreSQL runs as postgres)
    data = Path(tempfile.mkdtemp(prefix="bench-turns-stores-"))
    env = {**ENV, "CLUSTER_DIR": str(data), "PG_PORT": str(free_port()), "REDIS_PORT": str(free_port())}
    log = work / "stores.log"
    process = subprocess.Popen(["scripts/cluster", "--stores"], cwd=REPO, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "the stores are running" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"scripts/cluster --stores did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        lines = (data / "store.env").read_text().splitlines()
        yield dict(line.split("=", 1) for line in lines if "=" in line)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)


def run_variant(store: str, model: Path, action_url: str, turns: int, work: Path,
                env: Dict[str, str], stock: bool = False) -> dict:
    label = f"{store}{'-default' if stock else ''}"
    out = work / f"{label}.json"
    subprocess.run([str(PYTHON), "-m", "bench.turns", "--child", store, "--model", str(model),
                    "--action-url", action_url, "--turns", str(turns), "--out", str(out),
                    *(["--stock"] if stock else [])],
                   cwd=REPO, env={**ENV, **server_env(), "TRACKER_DB": str(work / f"{label}.db"),
                                  "ACTION_ENDPOINT_URL": action_url, **env},
                   check=True, stdout=(work / f"{label}.log").open("w"), stderr=subprocess.STDOUT)
    return json.loads(out.read_text())


def band_figures(result: dict, turns: int) -> Dict[str, dict]:
    figures = {}
    for first, last in bands(turns):
        chosen = result["turns"][first - 1:last]
        figures[f"{first}-{last}"] = {
            kind: {"p50_ms": percentile([t[f"{kind}_s"] for t in chosen], 50) * 1e3,
                   "p95_ms": percentile([t[f"{kind}_s"] for t in chosen], 95) * 1e3}
            for kind in ("wall", "cpu")}
    return figures


def report(results: List[dict], turns: int) -> str:
    names = list(band_figures(results[0], turns))
    lines = [f"{'variant':<22}" + "".join(f"{'turns ' + n:>24}" for n in names) + "  checks  events",
             f"{'':<22}" + f"{'p50/p95 wall, p95 cpu ms':>24}" * len(names)]
    for result in results:
        figures = band_figures(result, turns)
        label = result["store"] + (" (Rasa default)" if result["stock"] else "")
        cells = "".join(f"{f['wall']['p50_ms']:>9.0f} {f['wall']['p95_ms']:>6.0f} {f['cpu']['p95_ms']:>7.0f}"
                        for f in figures.values())
        lines.append(f"{label:<22}{cells}  {result['verdicts']:>2}/{result['checks']:<3}  {result['events']:>6}")
    default = next((r for r in results if r["stock"]), None)
    for result in (r for r in results if default and not r["stock"]):
        ratios = [band_figures(result, turns)[n]["wall"]["p95_ms"] / band_figures(default, turns)[n]["wall"]["p95_ms"]
                  for n in names]
        lines.append(f"p95 ratio {result['store']} / Rasa default: "
                     + ", ".join(f"turns {n}: {ratio:.2f}" for n, ratio in zip(names, ratios)))
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=["memory", "sqlite", "postgres"],
                        choices=["memory", "sqlite", "postgres"])
    parser.add_argument("--default", action="store_true", help="also Rasa's default assistant")
    parser.add_argument("--model", type=Path, default=PROJECT_MODEL)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--action-url", help=argparse.SUPPRESS)
    parser.add_argument("--stock", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        os.chdir(REPO)
        from rasa.utils.tensorflow.environment import setup_tf_environment
        setup_tf_environment()
        write_json(args.out, asyncio.run(measure(args.child, str(args.model), args.action_url,
                                                 args.turns, args.stock)))
        return
    if args.turns < 20:
        parser.error("--turns must be at least 20")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as folder:
        work = Path(folder)
        with action_server(work) as actions, contextlib.ExitStack() as stack:
            if args.default:
                from bench.training import train
                default_model = Path(train("default")["model"])
                results.append(run_variant("memory", default_model, actions["url"], args.turns, work, {},
                                           stock=True))
            for store in args.stores:
                env = stack.enter_context(postgres_and_redis(work)) if store == "postgres" else {}
                results.append(run_variant(store, args.model, actions["url"], args.turns, work, env))
    text = report(results, args.turns)
    print(f"load average {os.getloadavg()[0]:.1f}\n{text}")
    if args.out:
        write_json(args.out, {"turns": args.turns, "loadavg": os.getloadavg(),
                              "results": [{**r, "bands": band_figures(r, args.turns)} for r in results]})


if __name__ == "__main__":
    main()
