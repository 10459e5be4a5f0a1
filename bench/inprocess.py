"""Per-turn latency in-process: the agent loaded as `rasa run` loads it, one `handle_text` a turn.

    python -m bench.inprocess --model M --action-url URL --out r.json [--rounds 3] [--endpoints F] [--flat-turns] [--long N]

A warm-up round of the scripted conversations, then --rounds rounds with fresh conversation ids (--long N: the
typed stop check repeated as one conversation of N turns); each turn's wall and CPU time (this process).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import subprocess
import time
from pathlib import Path

from bench.common import ENV, PYTHON, REPO, conversations, peak_rss_mb, read_json, server_env, summary_ms, write_json
from harness.conversations import Conversation

# The stop check of tests/conversations/scripted.yml that asks every question ('undetermined'), typed.
TYPED_CHECK = ["can I stop my treatment?", "I don't know", "entecavir", "3 years", "not sure", "yes", "yes", "2 years", "3"]


def measure(model: Path, action_url: str, out: Path, *options: str, env: dict[str, str] | None = None) -> dict:
    """Run this module in a process of its own, with the TensorFlow settings of scripts/run; its results."""
    command = [str(PYTHON), "-m", "bench.inprocess", "--model", str(model), "--action-url", action_url, "--out", str(out)]
    env = {**ENV, **server_env(), **(env or {})}
    log = out.with_suffix(".log").open("w")
    subprocess.run([*command, *options], cwd=REPO, env=env, check=True, timeout=3600, stdout=log, stderr=subprocess.STDOUT)
    return read_json(out)


async def run(args) -> dict:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    if args.speedups:
        importlib.import_module("server.speedups").install()
    if args.flat_turns:
        importlib.import_module("server.flat_turns").install()
    started = time.perf_counter()
    action = AvailableEndpoints(action=EndpointConfig(url=args.action_url))
    endpoints = AvailableEndpoints.read_endpoints(str(args.endpoints)) if args.endpoints else action
    agent = await load_agent(model_path=str(args.model), endpoints=endpoints)
    load_s, scripts = time.perf_counter() - started, conversations()
    if args.long:
        verdict = next(c.verdict for c in scripts if c.name == "stop-undetermined")
        scripts = [Conversation("long", [TYPED_CHECK[i % len(TYPED_CHECK)] for i in range(args.long)], "check", verdict)]
        await agent.handle_text("hello", sender_id=f"warm-up-{os.getpid()}")
    turns, outcomes, sender = [], [], ""
    for round_index in range(1) if args.long else range(-1, args.rounds):  # round -1 is the warm-up
        for number, conversation in enumerate(scripts):
            sender = f"bench-{os.getpid()}-{round_index}-{number}-{conversation.name}"
            for turn, message in enumerate(conversation.messages):
                wall, cpu = time.perf_counter(), time.process_time()
                replies = await agent.handle_text(message, sender_id=sender)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                text = "\n".join(reply.get("text") or "" for reply in replies or [])
                verdict = bool(conversation.verdict and conversation.verdict in text)
                last = turn == len(conversation.messages) - 1
                if round_index >= 0:
                    turns.append({"kind": conversation.kind, "last": last, "verdict": verdict, "wall_s": wall, "cpu_s": cpu})
            if round_index >= 0 and conversation.kind == "check" and not args.long:
                outcomes.append((conversation.name, conversation.succeeded(text)))
    tracker = await agent.tracker_store.retrieve(sender)
    seconds = {kind: summary_ms([t[f"{kind}_s"] for t in turns]) for kind in ("wall", "cpu")}
    failed = sorted({name for name, ok in outcomes if not ok})
    checks = {"checks_succeeded": sum(ok for _, ok in outcomes), "checks_total": len(outcomes), "failed_checks": failed}
    setting = {"model": str(args.model), "load_s": load_s, "rounds": args.rounds, "loadavg": os.getloadavg()}
    process = {"events": len(tracker.events), "peak_rss_mb": peak_rss_mb(os.getpid()), "turns": turns}
    return {**setting, **seconds, **checks, **process}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--action-url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--endpoints", type=Path, help="endpoints file (default: Rasa's in-memory stores)")
    parser.add_argument("--speedups", action="store_true", help="with server/speedups.py (as server.rasa runs)")
    parser.add_argument("--flat-turns", action="store_true", help="with server/flat_turns.py")
    parser.add_argument("--long", type=int, default=0, help="one long conversation of this many turns")
    args = parser.parse_args()
    os.chdir(REPO)
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    configure_logging_and_warnings(logging.INFO, warn_only_once=True, filter_repeated_logs=True)
    setup_tf_environment()
    configure_structlog(logging.INFO)
    write_json(args.out, asyncio.run(run(args)))


if __name__ == "__main__":
    main()
