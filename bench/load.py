"""A bounded REST load generator: N simulated patients talking to the Rasa server at once.

Each simulated patient runs the scripted conversations one after the other (each patient
starts at a different one, every conversation gets a fresh sender id) and sends its next
message as soon as the answer to the previous one arrives (no reading or typing pause: a
closed-loop stress test), unless `think_s` is set. The run is bounded three ways: a warm-up
of `warmup_s`, a measured window of `duration_s`, at most `max_turns` measured turns; each
request times out after `timeout_s`. Latency counts the turns sent inside the window; throughput
is the turns completed inside the window / its length. Loopback only.
"""
from __future__ import annotations

import asyncio
import itertools
import random
from typing import Dict, List

import aiohttp

from bench.common import percentile
from bench.conversations import conversations


async def run_load(url: str, patients: int, duration_s: float = 20, warmup_s: float = 3,
                   max_turns: int = 20000, timeout_s: float = 60, think_s: float = 0,
                   label: str = "") -> Dict[str, float]:
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise ValueError("load tests run on loopback only")
    scripts = conversations()
    ids = itertools.count()
    latencies: List[float] = []
    errors: Dict[str, int] = {}
    loop = asyncio.get_running_loop()
    started = loop.time()
    window_start, window_end = started + warmup_s, started + warmup_s + duration_s
    completed_in_window = 0

    async def patient(number: int, session: aiohttp.ClientSession) -> None:
        nonlocal completed_in_window
        rng = random.Random(number)
        for index in itertools.count(number):
            conversation = scripts[index % len(scripts)]
            sender = f"load-{label}-{patients}-{number}-{next(ids)}"
            for message in conversation.messages:
                sent = loop.time()
                if sent >= window_end or len(latencies) >= max_turns:
                    return
                try:
                    async with session.post(f"{url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": message}) as response:
                        await response.read()
                        ok = response.status == 200
                        if not ok:
                            errors[str(response.status)] = errors.get(str(response.status), 0) + 1
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    ok = False
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                done = loop.time()
                if ok and sent >= window_start:
                    latencies.append(done - sent)
                if ok and window_start <= done <= window_end:
                    completed_in_window += 1
                if think_s:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)

    connector = aiohttp.TCPConnector(limit=patients + 5)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        # hard bound: the window, the slowest in-flight request, and a margin
        await asyncio.wait_for(asyncio.gather(*(patient(n, session) for n in range(patients))),
                               timeout=warmup_s + duration_s + timeout_s + 30)
    return {"patients": patients, "think_s": think_s, "window_s": duration_s, "turns": len(latencies),
            "turns_per_s": completed_in_window / duration_s,
            "p50_ms": percentile(latencies, 50) * 1e3, "p95_ms": percentile(latencies, 95) * 1e3,
            "p99_ms": percentile(latencies, 99) * 1e3, "errors": errors,
            "wall_s": loop.time() - started}


def load_levels(url: str, levels, **kwargs) -> List[Dict[str, float]]:
    return [asyncio.run(run_load(url, patients, **kwargs)) for patients in levels]


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--patients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--think", type=float, default=0)
    args = parser.parse_args()
    for result in load_levels(args.url, args.patients, duration_s=args.duration, think_s=args.think):
        print(json.dumps(result))
