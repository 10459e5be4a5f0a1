"""`make bench`: how well the assistant understands patients and how many it can serve.

    .venv/bin/python -m bench.run [--quick | --report-only]

The project's model (models/hepb-assistant.tar.gz) against Rasa's default recipe
(bench/default-config.yml) on the same data, in the steps bench/README.md lists; writes
bench/RESULTS.md (bench/report.py), results.json and latency.png.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from bench import bench_rules, report
from bench.cluster_load import LOCUST, run_locust
from bench.common import BENCH, CACHE, PROJECT_MODEL, REPO, action_server, conversations, log, peak_rss_mb, percentile
from bench.common import rasa_server, read_json, server_env, summary_ms, write_json
from bench.inprocess import measure
from bench.training import cross_validate, heldout, train

TARGETS = {"inprocess_p95_ms": 60, "rest10_p95_ms": 150, "cold_start_s": 25, "rasa_rss_mb": 1200}
# what the measured assistant is made of: uncommitted changes there are noted with the commit
ASSISTANT_FILES = ["config.yml", "domain.yml", "data", "components", "actions", "knowledge", "endpoints.yml"]
THINK_S = 3.0  # mean pause of a "reading and typing" patient between messages (1.5 to 4.5 s)


def machine() -> dict:
    proc = Path("/proc/cpuinfo").read_text() + Path("/proc/meminfo").read_text()
    info = dict(re.findall(r"^(.*?)[ \t]*:[ \t]*(.*?)[ \t]*$", proc, re.M))  # 'model name', 'MemTotal', ...
    git = lambda *a: subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = git("status", "--porcelain", "--", *ASSISTANT_FILES)
    commit = git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty else "")
    cpu, memory_gb = info.get("model name", "unknown"), int(info["MemTotal"].split()[0]) / 1024**2
    hardware = {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": memory_gb, "loadavg_start": os.getloadavg()}
    software = {"python": platform.python_version(), "rasa": version("rasa"), "commit": commit}
    return {**hardware, **software, "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def inprocess(models: dict, work: Path, rounds: int, repeats: int) -> dict:
    """Each model `repeats` times, each run in its own process, alternating models; the turns pooled."""
    runs: dict = {name: [] for name in models}
    with action_server(work) as actions:
        for repeat, (name, model) in ((r, m) for r in range(repeats) for m in models.items()):
            log(f"in-process latency: {name} config, run {repeat + 1}/{repeats} ({rounds} rounds after a warm-up)")
            speedups = ["--speedups"] if name == "project" else []  # the project's launcher; the default: stock
            out = work / f"{name}-{repeat}.json"
            runs[name].append(run := measure(model, actions["url"], out, "--rounds", str(rounds), *speedups))
            wall, checks = run["wall"], f"{run['checks_succeeded']}/{run['checks_total']}"
            log(f"  p50 {wall['p50_ms']:.1f} ms, p95 {wall['p95_ms']:.1f} ms, checks with the verdict {checks}")
    pooled = {}
    for name, rs in runs.items():
        pooled[name] = {kind: summary_ms([t[f"{kind}_s"] for run in rs for t in run["turns"]]) for kind in ("wall", "cpu")}
        pooled[name]["runs"] = [{k: run[k] for k in ("wall", "cpu", "load_s", "peak_rss_mb")} for run in rs]
        pooled[name] |= {k: sum(run[k] for run in rs) for k in ("checks_succeeded", "checks_total")}
        pooled[name]["failed_checks"] = sorted({c for run in rs for c in run["failed_checks"]})
    return pooled


def rest(name: str, model: Path, work: Path, window: float, cold_starts: int, paced=(10, 50)) -> dict:
    """Cold starts of `rasa run`, then Locust's REST patients against the last one started."""
    result: dict = {"cold_start_s": [], "levels": [], "paced": []}
    scripts = [c.messages for c in conversations()]
    with action_server(work) as actions:
        result["action_startup_s"] = actions["startup_s"]
        for attempt in range(cold_starts):
            with rasa_server(model, actions["url"], work, speedups=name == "project") as server:
                result["cold_start_s"].append(server["cold_start_s"])
                log(f"REST {name}: start {attempt + 1}/{cold_starts}: first answer after {server['cold_start_s']:.1f} s")
                if attempt < cold_starts - 1:
                    continue
                for key, patients, think in [("levels", n, 0) for n in (1, 10, 50)] + [("paced", n, THINK_S) for n in paced]:
                    log(f"REST {name}: {patients} patient(s), {f'pausing ~{think:.0f} s' if think else 'no pauses'}")
                    pace, seconds = think and [think / 2, think * 1.5], window * (2 if think else 1)
                    level = run_locust(server["url"], "RestPatient", patients, pace, seconds, work, scripts)
                    result[key].append(level)
                    log("  {turns_per_s:.1f} turns/s, p50 {p50_ms} ms, p95 {p95_ms} ms, {failures} failed".format_map(level))
                result["rasa_peak_rss_mb"] = peak_rss_mb(server["pid"])
        result["action_peak_rss_mb"] = peak_rss_mb(actions["pid"])
    result["cold_start_median_s"] = percentile(result["cold_start_s"], 50)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run; does not write RESULTS.md")
    parser.add_argument("--report-only", action="store_true", help="RESULTS.md and latency.png again from results.json")
    args = parser.parse_args()
    if args.report_only:
        results = read_json(BENCH / "results.json") or sys.exit("no bench/results.json")
        print(report.table(results))
        return report.write(results)
    os.environ["BENCH_STARTED"] = str(time.time())
    started, quick = time.monotonic(), args.quick
    rounds, repeats, window, cold_starts = (1, 1, 4, 1) if quick else (3, 2, 20, 3)
    if not PROJECT_MODEL.exists():
        sys.exit(f"no trained model at {PROJECT_MODEL}: run `make train` first")
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = (CACHE / "bench.lock").open("w")
    try:  # one benchmark at a time: two would share the cache and the two cores
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("another `make bench` is running (bench/.cache/bench.lock)")
    scripts, sha256 = conversations(), lambda path: hashlib.sha256(path.read_bytes()).hexdigest()
    load_generator = f"{LOCUST} (bench/cluster_load.py), counting once every patient runs"
    results: dict = {"machine": machine(), "targets": TARGETS, "server_env": server_env(), "load_generator": load_generator}
    results |= {"quick": quick, "think_s": THINK_S, "rounds": rounds, "repeats": repeats}
    results["conversations"] = {
        "checks": sum(c.kind == "check" for c in scripts),
        "general": sum(c.kind == "general" for c in scripts),
        "turns_per_round": sum(len(c.messages) for c in scripts),
    }
    results["model"] = {
        "path": str(PROJECT_MODEL.relative_to(REPO)),
        "sha256": sha256(PROJECT_MODEL),
        "bytes": PROJECT_MODEL.stat().st_size,
        "config_sha256": sha256(REPO / "config.yml"),
    }
    with tempfile.TemporaryDirectory(prefix="run-", dir=CACHE, ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        results["training"] = {name: train(name) for name in ("project", "default")}
        models = {"project": PROJECT_MODEL, "default": Path(results["training"]["default"]["model"])}
        results["heldout"] = {name: heldout(name, model, work / "heldout" / name) for name, model in models.items()}
        results["cv"] = {name: cross_validate(name, run_if_missing=not quick) for name in models}
        results["inprocess"] = inprocess(models, work, rounds, repeats)
        results["rest"] = {"project": rest("project", PROJECT_MODEL, work, window, cold_starts)}
        results["rest"]["default"] = rest("default", models["default"], work, window, 1, paced=())  # 1 start, no pauses
        log("rule module alone (bench/bench_rules.py)")
        results["rules"] = bench_rules.measure()
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["total_s"] = time.monotonic() - started
    print(report.table(results))
    if quick:
        write_json(CACHE / "results-quick.json", results)
    else:
        report.write(results)
    log(f"wrote {CACHE / 'results-quick.json' if quick else 'bench/RESULTS.md, bench/results.json, bench/latency.png'}")
    print(f"==> make bench total time: {results['total_s']:.0f} s ({results['total_s'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
