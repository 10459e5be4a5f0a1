"""bench/RESULTS.md: bench/RESULTS.template.md filled with the figures of bench/results.json.

The sentences are in the template; a field is a path into the results (`{ip[project][wall][p95_ms]:,.1f}`)
or a figure computed here (`{d[...]}`); a figure the results lack reads n/a.
"""

from __future__ import annotations

import math

from bench.cluster_load import plot
from bench.common import BENCH, Figures, write_json

TEMPLATE = BENCH / "RESULTS.template.md"
# sections written by their own scripts (bench/turns.py, bench/cluster_failover.py, bench/cluster_load.py),
# kept as they are; cluster-load.md last: bench/cluster_load.py rewrites RESULTS.md from its mark on
SEPARATE_SECTIONS = ("turns.md", "cluster-failover.md", "cluster-load.md")


def fields(r: dict) -> dict:
    """The template's names: sections of the results, REST levels by patients (lv), derived figures (d)."""
    ip, rest, tr, cv, targets = r["inprocess"], r["rest"], r["training"], r["cv"], r["targets"]
    sources = {"project": ("project", "levels"), "paced": ("project", "paced"), "default": ("default", "levels")}
    lv = {name: {lvl["patients"]: lvl for lvl in rest[config].get(key, [])} for name, (config, key) in sources.items()}
    cached_s = sum(x.get("train_s") or x.get("cv_s") or 0 for x in [*tr.values(), *cv.values()] if x.get("cached"))
    per_s = [1 / row["from_json_s"] for row in r["rules"]["assessments"].values()]
    wall = {n: ip[n]["wall"] for n in ("project", "default")}
    tps10 = lv["project"].get(10, {}).get("turns_per_s")
    max_tps = max(lvl["turns_per_s"] for lvl in rest["project"]["levels"])
    cv_sd = {n: c.get("per_fold", {}).get("intent", {}).get("test accuracy", {}).get("std", math.nan) for n, c in cv.items()}
    met = lambda value, limit: "n/a" if value is None else ("yes" if value < limit else "NO")  # noqa: E731
    d = {
        "runs": len(ip["project"]["runs"]),
        "total_min": r["total_s"] / 60,
        "first_run_min": (r["total_s"] + cached_s) / 60,
        "think_low": r["think_s"] / 2,
        "think_high": r["think_s"] * 1.5,
        **{f"cv_sd_{n}": 100 * sd for n, sd in cv_sd.items()},
        **{f"ratio_{q}": wall["default"][f"{q}_ms"] / wall["project"][f"{q}_ms"] for q in ("p50", "p95", "p99")},
        "cold_starts": len(rest["project"]["cold_start_s"]),
        "model_mb": r["model"]["bytes"] / 1e6,
        "default_model_mb": tr["default"]["model_bytes"] / 1e6,
        "rule_scenarios": len(per_s),
        "rules_min": min(per_s),
        "rules_max": max(per_s),
        "met_inprocess": met(wall["project"]["p95_ms"], targets["inprocess_p95_ms"]),
        "met_rest10": met(lv["project"].get(10, {}).get("p95_ms"), targets["rest10_p95_ms"]),
        "met_paced10": met(lv["paced"].get(10, {}).get("p95_ms"), targets["rest10_p95_ms"]),
        "met_cold_start": met(rest["project"]["cold_start_median_s"], targets["cold_start_s"]),
        "met_rss": met(rest["project"].get("rasa_peak_rss_mb"), targets["rasa_rss_mb"]),
        "confusions": ", ".join(f"{a} taken for {b} ({n})" for a, b, n in cv["project"].get("top_confusions", [])[:4]),
        "failed_default": ", ".join(ip["default"]["failed_checks"]) or "none",
        "max_turns_per_s": max_tps,
        "max_patients_at_10s": max_tps * 10,
        "paced50_patients_at_10s": (lv["paced"].get(50, {}).get("turns_per_s") or 0) * 10,
        "service_ms_10": 1000 / tps10 if tps10 else None,
        "load_generator": r.get("load_generator", "an asyncio client counting after a 3 s warm-up, now Locust"),
    }
    return {**r, "m": r["machine"], "ho": r["heldout"], "ip": ip, "tr": tr, "lv": lv, "d": d}


def render(results: dict) -> str:
    return Figures().vformat(TEMPLATE.read_text(), (), fields(results))


def table(results: dict) -> str:
    """The console summary: the two tables of the Results section."""
    return render(results).split("## Results\n\n", 1)[1].split("\n\n![", 1)[0]


def write(results: dict) -> None:
    """bench/RESULTS.md (with the separate sections), bench/results.json and bench/latency.png."""
    pausing = f", pausing ~{results['think_s']:.0f} s"
    rows = [
        {**level, "series": f"{name} config" + (pausing if key == "paced" else "")}
        for name in ("project", "default")
        for key in ("levels", "paced")
        for level in results["rest"][name][key]
    ]
    plot(rows, lambda row: row["series"], BENCH / "latency.png")
    write_json(BENCH / "results.json", results)
    kept = [(BENCH / name).read_text() for name in SEPARATE_SECTIONS if (BENCH / name).exists()]
    (BENCH / "RESULTS.md").write_text("\n".join([render(results).rstrip("\n") + "\n", *kept]))
