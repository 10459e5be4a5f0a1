"""Per-turn cost along one long conversation, per conversation store.

    python -m bench.turns [--turns 200] [--stores memory sqlite postgres] [--out F]

One sender repeats the typed stop check for --turns turns in-process (bench/inprocess.py --long) with the store
`memory` (Rasa's, with server/flat_turns.py), `sqlite` (endpoints.yml) or `postgres` (endpoints-cluster.yml,
PostgreSQL and Redis of `scripts/cluster --stores`). Prints wall and CPU p50/p95 per band of turns and the
checks that ended with the verdict (bench/turns.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path

from bench.common import PROJECT_MODEL, action_server, percentile, write_json
from bench.inprocess import TYPED_CHECK, measure
from harness.cluster import STORES_READY, new_cluster

# each store's endpoints file; `memory`: Rasa's in-memory store, with server/flat_turns.py
STORES = {"memory": None, "sqlite": "endpoints.yml", "postgres": "endpoints-cluster.yml"}


def run_variant(store: str, model: Path, action_url: str, turns: int, work: Path, env: dict[str, str]) -> dict:
    env = {"TRACKER_DB": str(work / f"{store}.db"), "ACTION_ENDPOINT_URL": action_url, **env}
    options = ["--endpoints", STORES[store]] if STORES[store] else ["--flat-turns"]
    result = measure(model, action_url, work / f"{store}.json", "--long", str(turns), *options, "--speedups", env=env)
    bands = [band for band in ((1, 20), (91, 110), (181, 200)) if band[1] <= turns]
    bands += [] if bands and bands[-1][1] == turns else [(turns - 19, turns)]  # always the last 20 turns
    figures = {}
    for first, last in bands:
        seconds = {kind: [t[f"{kind}_s"] for t in result["turns"][first - 1 : last]] for kind in ("wall", "cpu")}
        figures[f"{first}-{last}"] = {k: {f"p{q}_ms": percentile(v, q) * 1e3 for q in (50, 95)} for k, v in seconds.items()}
    verdicts, checks = sum(t["verdict"] for t in result["turns"]), turns // len(TYPED_CHECK)
    return {"store": store, "bands": figures, "events": result["events"], "verdicts": verdicts, "checks": checks}


def report(results: list[dict]) -> str:
    names = list(results[0]["bands"])
    head = f"{'variant':<22}" + "".join(f"{'turns ' + n:>24}" for n in names) + "  checks  events"
    lines = [head, f"{'':<22}" + f"{'p50/p95 wall, p95 cpu ms':>24}" * len(names)]
    cell = "{0[wall][p50_ms]:>9.0f} {0[wall][p95_ms]:>6.0f} {0[cpu][p95_ms]:>7.0f}"
    for r in results:
        cells = "".join(cell.format(band) for band in r["bands"].values())
        lines.append(f"{r['store']:<22}{cells}  {r['verdicts']:>2}/{r['checks']:<3}  {r['events']:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=list(STORES), choices=list(STORES))
    parser.add_argument("--model", type=Path, default=PROJECT_MODEL)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.turns < 20:
        parser.error("--turns must be at least 20")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as folder, contextlib.ExitStack() as stack:
        actions = stack.enter_context(action_server(Path(folder)))
        for store in args.stores:
            env = {}
            if store == "postgres":  # PostgreSQL and Redis of scripts/cluster --stores
                stack.callback((stores := new_cluster(Path(folder))).stop)
                stores.start(STORES_READY, timeout=120)
                env = stores.settings
            results.append(run_variant(store, args.model, actions["url"], args.turns, Path(folder), env))
    print(f"load average {os.getloadavg()[0]:.1f}\n{report(results)}")
    if args.out:
        write_json(args.out, {"turns": args.turns, "loadavg": os.getloadavg(), "results": results})


if __name__ == "__main__":
    main()
