"""Per-turn latency in-process: `Agent` loaded from a model, `await agent.handle_text(...)`.

    python -m bench.inprocess --model M --action-url URL --out result.json [--rounds 3]

Runs in its own process (one per model, so nothing one model imports affects the other).
The agent is `Agent.load(model, action_endpoint=...)`: the action server at `--action-url`,
Rasa's default in-memory tracker and lock stores (the SQLite tracker store of endpoints.yml is
measured over REST), with Rasa's CLI logging set-up (INFO) and TensorFlow environment. One warm-up round of every scripted conversation is
discarded, then `--rounds` measured rounds follow, each with fresh conversation ids. Each turn
records wall time and the CPU time of this process (all threads), which is less sensitive to
other work on the machine.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, peak_rss_mb, summary_ms, write_json  # noqa: E402
from bench.conversations import conversations  # noqa: E402


def reply_text(replies) -> str:
    return "\n".join(reply.get("text", "") or "" for reply in replies or [])


async def run(args) -> dict:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    started = time.perf_counter()
    if args.stock:
        from components import speedups
        speedups.install = lambda: None  # the custom components call it when the model loads
    agent = Agent.load(str(args.model), action_endpoint=EndpointConfig(url=args.action_url))
    load_s = time.perf_counter() - started
    scripts = conversations()
    turns, outcomes = [], []
    for round_index in range(args.rounds + 1):  # round 0 is the warm-up
        for number, conversation in enumerate(scripts):
            sender = f"bench-{round_index}-{number}-{conversation.name}"
            last = []
            for turn, message in enumerate(conversation.messages):
                wall, cpu = time.perf_counter(), time.process_time()
                last = await agent.handle_text(message, sender_id=sender)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                if round_index:
                    turns.append({"round": round_index, "conversation": conversation.name,
                                  "kind": conversation.kind, "turn": turn, "message": message,
                                  "last": turn == len(conversation.messages) - 1,
                                  "wall_s": wall, "cpu_s": cpu})
            if round_index:
                outcomes.append({"round": round_index, "conversation": conversation.name,
                                 "succeeded": conversation.succeeded(reply_text(last)),
                                 "last_reply": reply_text(last)[:300]})
    walls = [t["wall_s"] for t in turns]
    cpus = [t["cpu_s"] for t in turns]
    per_round = {r: summary_ms([t["wall_s"] for t in turns if t["round"] == r])
                 for r in range(1, args.rounds + 1)}
    checks = [o for o in outcomes if o["succeeded"] is not None]
    return {"model": str(args.model), "load_s": load_s, "rounds": args.rounds,
            "stock": args.stock,
            "wall": summary_ms(walls), "cpu": summary_ms(cpus), "per_round": per_round,
            "by_kind": {kind: summary_ms([t["wall_s"] for t in turns if t["kind"] == kind])
                        for kind in ("check", "general")},
            "checks_succeeded": sum(bool(o["succeeded"]) for o in checks), "checks_total": len(checks),
            "failed_checks": sorted({o["conversation"] for o in checks if not o["succeeded"]}),
            "peak_rss_mb": peak_rss_mb(os.getpid()), "turns": turns, "loadavg": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--action-url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stock", action="store_true",
                        help="without components/speedups.py (Rasa's own code), for comparison")
    args = parser.parse_args()

    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
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
