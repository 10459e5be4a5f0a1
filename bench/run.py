"""`make bench`: how well the assistant understands patients and how many it can serve.

    .venv/bin/python -m bench.run [--quick]

Steps (progress on stderr, total time at the end):
  0. check that components/speedups.py changes nothing but speed (bench/check_speedups.py);
  1. training time and model size of the project's config.yml and of Rasa's default recipe
     (bench/default-config.yml) on the same domain and data (cached in bench/.cache);
  2. NLU: intent accuracy and macro F1 on tests/nlu/heldout.yml, and 5-fold cross-validation
     on the training data, for both configs (cross-validation cached);
  3. per-turn latency in-process (Agent + action server) over the scripted conversations,
     both configs, and the project's config without the speed-ups;
  4. REST with the action server: cold start, 1/10/50 simulated patients without pauses and
     10/50 patients who pause to read and type, peak RSS; the same without the speed-ups and
     with the tracker store in memory instead of SQLite, to show what bounds the numbers;
  5. the rule module alone (bench/bench_rules.py);
  6. profiles with py-spy (when installed) of the in-process turns and of the Rasa server and
     the action server under 10 patients;
then prints a table and writes bench/RESULTS.md, bench/results.json, bench/*.png and
bench/profile-*.txt.

The project's model is models/hepb-assistant.tar.gz (`make bench` runs `make train` first);
the default-config model is trained into bench/.cache. Servers run on free loopback ports and
are always stopped. `--quick` shortens every load window and round and skips uncached
cross-validation (a smoke test; it does not write RESULTS.md).
"""
from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import report  # noqa: E402
from bench.common import (CACHE, ENV, PROJECT_MODEL, PYTHON, REPO, action_server, file_sha256,  # noqa: E402
                          log, median, peak_rss_mb, rasa_server, read_json, server_env, summary_ms,
                          write_json)
from bench.load import run_load  # noqa: E402
from bench.profile_summary import KEY_FUNCTIONS  # noqa: E402
from bench.training import cross_validate, heldout, train  # noqa: E402

TARGETS = {"inprocess_p95_ms": 60, "rest10_p95_ms": 150, "cold_start_s": 25, "rasa_rss_mb": 1200}
TF_DEFAULT_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "0", "TF_INTER_OP_PARALLELISM_THREADS": "0"}  # 0: TF picks
THINK_S = 3.0  # mean pause of a "reading and typing" patient between messages (1.5 to 4.5 s)


def machine() -> dict:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None)
    git = lambda *a: subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = git("status", "--porcelain", "--", "config.yml", "domain.yml", "data", "components", "actions",
                "knowledge", "endpoints.yml")
    from bench.common import rasa_version
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": memory, "python": platform.python_version(),
            "rasa": rasa_version(),
            "commit": git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty else ""),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "loadavg_start": os.getloadavg()}


def inprocess_run(model: Path, action_url: str, work: Path, label: str, rounds: int, stock: bool = False,
                  tf_default_threads: bool = False) -> dict:
    """One in-process run in its own process, with the TensorFlow settings of scripts/run
    (or TensorFlow's defaults)."""
    out = work / f"inprocess-{label}.json"
    env = {**ENV, **server_env()}
    if tf_default_threads:
        env = {k: v for k, v in env.items() if k not in server_env()}
    subprocess.run([str(PYTHON), "-m", "bench.inprocess", "--model", str(model), "--action-url", action_url,
                    "--out", str(out), "--rounds", str(rounds), *(["--stock"] if stock else [])],
                   cwd=REPO, env=env, check=True, timeout=1800,
                   stdout=(work / f"inprocess-{label}.log").open("w"), stderr=subprocess.STDOUT)
    result = read_json(out)
    log(f"  {label}: p50 {result['wall']['p50_ms']:.1f} ms, p95 {result['wall']['p95_ms']:.1f} ms, "
        f"p99 {result['wall']['p99_ms']:.1f} ms (CPU p50 {result['cpu']['p50_ms']:.1f} ms); "
        f"checks reaching the verdict {result['checks_succeeded']}/{result['checks_total']}")
    return result


def pool(runs: list) -> dict:
    turns = [t for run in runs for t in run["turns"]]
    return {
        "wall": summary_ms([t["wall_s"] for t in turns]), "cpu": summary_ms([t["cpu_s"] for t in turns]),
        "runs": [{k: run[k] for k in ("wall", "cpu", "load_s", "peak_rss_mb", "loadavg")} for run in runs],
        "by_kind": {kind: summary_ms([t["wall_s"] for t in turns if t["kind"] == kind])
                    for kind in ("check", "general")},
        "check_verdict_turns": {
            "wall": summary_ms([t["wall_s"] for t in turns if t["kind"] == "check" and t["last"]]),
            "cpu": summary_ms([t["cpu_s"] for t in turns if t["kind"] == "check" and t["last"]])},
        "other_turns": {
            "wall": summary_ms([t["wall_s"] for t in turns if not (t["kind"] == "check" and t["last"])]),
            "cpu": summary_ms([t["cpu_s"] for t in turns if not (t["kind"] == "check" and t["last"])])},
        "checks_succeeded": sum(run["checks_succeeded"] for run in runs),
        "checks_total": sum(run["checks_total"] for run in runs),
        "failed_checks": sorted({c for run in runs for c in run["failed_checks"]}),
        "turn_seconds": [t["wall_s"] for t in turns],
        "load_s": median(run["load_s"] for run in runs),
        "peak_rss_mb": max(run["peak_rss_mb"] or 0 for run in runs),
    }


def inprocess(models: dict, work: Path, rounds: int, repeats: int) -> dict:
    """Each model `repeats` times in its own process, alternating models (turns pooled), and
    the project's model once without the speed-ups."""
    runs: dict = {name: [] for name in (*models, "project_tf_default_threads")}
    with action_server(work) as actions:
        for repeat in range(repeats):
            for name, model in models.items():
                log(f"in-process latency: {name} config, run {repeat + 1}/{repeats} ({rounds} rounds of "
                    f"{report.turns_per_round()} turns after a warm-up round)")
                runs[name].append(inprocess_run(model, actions["url"], work, f"{name}-{repeat}", rounds))
            # interleaved with the runs above, so that both see the same machine
            log(f"in-process latency: project config with TensorFlow's default threads (one per core), "
                f"run {repeat + 1}/{repeats}")
            runs["project_tf_default_threads"].append(inprocess_run(
                models["project"], actions["url"], work, f"project-tf-default-threads-{repeat}", rounds,
                tf_default_threads=True))
        log("in-process latency: project config without the speed-ups (Rasa's own code)")
        stock = inprocess_run(models["project"], actions["url"], work, "project-stock", rounds, stock=True)
        action_rss = peak_rss_mb(actions["pid"])
    result = {name: pool(name_runs) for name, name_runs in runs.items()}
    result["project_stock"] = pool([stock])
    result["action_server_peak_rss_mb"] = action_rss
    return result


def rest(name: str, model: Path, work: Path, duration_s: float, cold_starts: int, levels=(1, 10, 50),
         paced=(10, 50), stock: bool = False, endpoints: Path = REPO / "endpoints.yml",
         env: Optional[Dict[str, str]] = None) -> dict:
    result: dict = {"cold_start_s": [], "up_s": [], "levels": [], "paced": [], "stock": stock}
    with action_server(work) as actions:
        result["action_startup_s"] = actions["startup_s"]
        for attempt in range(cold_starts):
            log(f"REST {name}: start {attempt + 1}/{cold_starts}")
            with rasa_server(model, actions["url"], work, stock=stock, endpoints=endpoints, env=env) as server:
                result["cold_start_s"].append(server["cold_start_s"])
                result["up_s"].append(server["up_s"])
                log(f"  first answer {server['cold_start_s']:.1f} s after the process started")
                if attempt < cold_starts - 1:
                    continue
                result["idle_rss_mb"] = peak_rss_mb(server["pid"])
                for patients in levels:
                    log(f"REST {name}: {patients} simulated patient(s), no pauses, {duration_s:.0f} s")
                    level = asyncio.run(run_load(server["url"], patients, duration_s=duration_s, label=name))
                    result["levels"].append(level)
                    log(f"  {level['turns_per_s']:.1f} turns/s, p50 {level['p50_ms']:.0f} ms, "
                        f"p95 {level['p95_ms']:.0f} ms, errors: {level['errors'] or 'none'}")
                for patients in paced:
                    log(f"REST {name}: {patients} patients pausing ~{THINK_S:.0f} s to read and type, "
                        f"{duration_s * 2:.0f} s")
                    level = asyncio.run(run_load(server["url"], patients, duration_s=duration_s * 2,
                                                 think_s=THINK_S, label=f"{name}-paced"))
                    result["paced"].append(level)
                    log(f"  {level['turns_per_s']:.1f} turns/s, p50 {level['p50_ms']:.0f} ms, "
                        f"p95 {level['p95_ms']:.0f} ms, errors: {level['errors'] or 'none'}")
                result["rasa_peak_rss_mb"] = peak_rss_mb(server["pid"])
        result["action_peak_rss_mb"] = peak_rss_mb(actions["pid"])
    result["cold_start_median_s"] = median(result["cold_start_s"])
    return result


def py_spy() -> str:
    return shutil.which("py-spy", path=str(REPO / ".venv" / "bin")) or shutil.which("py-spy") or ""


def profiles(model: Path, work: Path, duration_s: float) -> dict:
    """py-spy profiles: in-process turns; Rasa server and action server under 10 patients."""
    spy = py_spy()
    if not spy:
        log("profiles: py-spy is not installed (pip install -r requirements.txt), skipped")
        return {}
    from bench.profile_summary import shares, summarise

    written: dict = {}
    with action_server(work) as actions:
        raw = work / "inprocess.raw"
        log("profile: in-process turns of the project config (py-spy, 1 round)")
        subprocess.run([spy, "record", "--format", "raw", "--rate", "200", "--output", str(raw), "--",
                        str(PYTHON), "-m", "bench.inprocess", "--model", str(model), "--action-url",
                        actions["url"], "--out", str(work / "inprocess-profiled.json"), "--rounds", "1"],
                       cwd=REPO, env={**ENV, **server_env()}, check=True, timeout=1800,
                       stdout=(work / "profile-inprocess.log").open("w"), stderr=subprocess.STDOUT)
        written["inprocess"] = summarise(raw.read_text(), "handle_text", 45)
        written["inprocess-shares"] = dict(zip(KEY_FUNCTIONS, shares(
            raw.read_text(), list(KEY_FUNCTIONS.values()), "handle_text").values()))
        with rasa_server(model, actions["url"], work) as server:
            asyncio.run(run_load(server["url"], 10, duration_s=4, warmup_s=1, label="profile-warmup"))
            spies = {}
            for label, pid in (("rasa", server["pid"]), ("actions", actions["pid"])):
                raw_file = work / f"rest10-{label}.raw"
                spies[label] = (raw_file, subprocess.Popen(
                    [spy, "record", "--format", "raw", "--rate", "200", "--duration", str(int(duration_s)),
                     "--output", str(raw_file), "--pid", str(pid)],
                    stdout=(work / f"profile-{label}.log").open("w"), stderr=subprocess.STDOUT))
            log(f"profile: Rasa server and action server under 10 patients for {duration_s:.0f} s (py-spy)")
            level = asyncio.run(run_load(server["url"], 10, duration_s=duration_s, warmup_s=0, label="profile"))
            for label, (raw_file, process) in spies.items():
                try:
                    process.wait(timeout=duration_s + 60)
                except subprocess.TimeoutExpired:
                    process.terminate()
                    process.wait(timeout=30)
                if raw_file.exists():
                    under = "handle_message" if label == "rasa" else "webhook"
                    written[f"rest10-{label}"] = summarise(raw_file.read_text(), under, 45)
                    written[f"rest10-{label}-cpu_share"] = _cpu_share(raw_file, duration_s)
                    if label == "rasa":
                        written["rest10-rasa-shares"] = dict(zip(KEY_FUNCTIONS, shares(
                            raw_file.read_text(), list(KEY_FUNCTIONS.values()), under).values()))
            written["rest10-level"] = level
    return written


def _cpu_share(raw_file: Path, duration_s: float) -> float:
    """Share of one core the process was busy (py-spy counts non-idle samples at 200 Hz)."""
    samples = sum(int(line.rpartition(" ")[2]) for line in raw_file.read_text().splitlines()
                  if line.rpartition(" ")[2].isdigit())
    return samples / (200 * duration_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run; does not write RESULTS.md")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite RESULTS.md, the plots and results.json from the last full run's results")
    args = parser.parse_args()
    if args.report_only:
        results = read_json(CACHE / "results-full.json")
        if not results:
            sys.exit("no results of a full run in bench/.cache/results-full.json")
        table = report.table(results)
        print(table)
        report.write(results, table)
        return
    os.environ["BENCH_STARTED"] = str(time.time())
    started = time.monotonic()
    quick = args.quick
    rounds, repeats = (1, 1) if quick else (3, 2)
    duration, cold_starts = (4, 1) if quick else (20, 3)

    if not PROJECT_MODEL.exists():
        sys.exit(f"no trained model at {PROJECT_MODEL}: run `make train` first")
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = (CACHE / "bench.lock").open("w")
    try:  # one benchmark at a time: two would share the cache and the two cores
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("another `make bench` is running (bench/.cache/bench.lock)")
    from bench.conversations import conversations
    scripts = conversations()
    results: dict = {"machine": machine(), "targets": TARGETS, "quick": quick, "think_s": THINK_S,
                     "server_env": server_env(),
                     "rounds": rounds, "repeats": repeats,
                     "conversations": {"checks": sum(c.kind == "check" for c in scripts),
                                       "general": sum(c.kind == "general" for c in scripts),
                                       "turns_per_round": sum(len(c.messages) for c in scripts)}}
    log(f"benchmark on {results['machine']['cpus']} CPUs ({results['machine']['cpu']}), "
        f"load average {results['machine']['loadavg_start'][0]:.2f} (other work on the machine skews timings)")
    results["model"] = {"path": str(PROJECT_MODEL.relative_to(REPO)), "sha256": file_sha256(PROJECT_MODEL),
                        "bytes": PROJECT_MODEL.stat().st_size, "config_sha256": file_sha256(REPO / "config.yml")}
    work = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE))
    try:
        # 0. the speed-ups change nothing but speed
        log("checking that the speed-ups leave the NLU output and the action validation unchanged")
        check = subprocess.run([str(PYTHON), "-m", "bench.check_speedups", "--out", str(work / "check.json")],
                               cwd=REPO, env=ENV, timeout=1800, capture_output=True, text=True)
        results["speedups_check"] = read_json(work / "check.json") or {"identical": False}
        log("  " + (check.stdout.strip().splitlines() or ["(no output)"])[-1])
        if check.returncode != 0:
            sys.exit(f"components/speedups.py changes behaviour:\n{check.stdout}\n{check.stderr[-3000:]}")

        # 1. training
        results["training"] = {name: train(name) for name in ("project", "default")}
        models = {"project": PROJECT_MODEL, "default": Path(results["training"]["default"]["model"])}

        # 2. NLU
        results["heldout"] = {name: heldout(name, model, work / "heldout" / name) for name, model in models.items()}
        results["cv"] = {name: cross_validate(name, run_if_missing=not quick) for name in ("project", "default")}

        # 3. in-process latency
        results["inprocess"] = inprocess(models, work, rounds, repeats)

        # 4. REST
        results["rest"] = {"project": rest("project", PROJECT_MODEL, work, duration, cold_starts)}
        results["rest"]["default"] = rest("default", models["default"], work, duration, 1, paced=())
        results["rest"]["project_stock"] = rest("project without the speed-ups", PROJECT_MODEL, work, duration, 1,
                                                levels=(10,), paced=(), stock=True)
        memory_endpoints = work / "endpoints-in-memory.yml"
        memory_endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n")
        results["rest"]["project_in_memory"] = rest("project, tracker store in memory", PROJECT_MODEL, work,
                                                    duration, 1, levels=(10,), paced=(), endpoints=memory_endpoints)
        results["rest"]["project_tf_default_threads"] = rest(
            "project, TensorFlow's default threads", PROJECT_MODEL, work, duration, 1, levels=(1, 10), paced=(),
            env=TF_DEFAULT_THREADS)

        # 5. rule module
        log("rule module alone (bench/bench_rules.py)")
        from bench.bench_rules import measure
        results["rules"] = measure()

        # 6. profiles
        results["profiles"] = profiles(PROJECT_MODEL, work, 4 if quick else 15)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results["machine"]["loadavg_end"] = os.getloadavg()
    results["total_s"] = time.monotonic() - started
    write_json(CACHE / ("results-quick-full.json" if quick else "results-full.json"), results)
    table = report.table(results)
    print(table)
    if quick:
        write_json(CACHE / "results-quick.json", report.slim(results))
        log(f"quick run: results in {CACHE / 'results-quick.json'}; RESULTS.md not written")
    else:
        report.write(results, table)
        log("wrote bench/RESULTS.md, bench/results.json, bench/latency.png, bench/nlu.png, bench/profile-*.txt")
    print(f"==> make bench total time: {results['total_s']:.0f} s ({results['total_s'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
