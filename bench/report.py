"""The benchmark's outputs: the console table, bench/RESULTS.md, results.json and the plots."""
from __future__ import annotations

import math
from typing import List

from bench.common import BENCH, write_json

PLOTS = ("latency.png", "nlu.png")


def turns_per_round() -> int:
    from bench.conversations import turns_per_round as count
    return count()


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _f(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def _levels(rest_result: dict, key: str = "levels") -> dict:
    return {level["patients"]: level for level in rest_result.get(key, [])}


def targets(results: dict) -> List[dict]:
    """Each target, its measured value and whether it is met."""
    t = results["targets"]
    project = results["rest"]["project"]
    heldout = results["heldout"]["project"]["accuracy"]
    rows = [
        ("per-turn p95 in-process", results["inprocess"]["project"]["wall"]["p95_ms"], t["inprocess_p95_ms"], "ms"),
        ("REST p95 at 10 patients, no pauses (10 requests always in flight)",
         _levels(project).get(10, {}).get("p95_ms"), t["rest10_p95_ms"], "ms"),
        (f"REST p95 at 10 patients pausing ~{results['think_s']:.0f} s to read and type",
         _levels(project, "paced").get(10, {}).get("p95_ms"), t["rest10_p95_ms"], "ms"),
        ("cold start (process start to first answer, median)", project["cold_start_median_s"], t["cold_start_s"], "s"),
        ("Rasa server peak RSS", project.get("rasa_peak_rss_mb"), t["rasa_rss_mb"], "MB"),
    ]
    out = [{"target": name, "value": value, "limit": limit, "unit": unit, "op": "<",
            "met": value is not None and value < limit} for name, value, limit, unit in rows]
    check = results.get("speedups_check", {})
    out.append({"target": "held-out accuracy not lost: NLU output with the speed-ups identical to Rasa's own",
                "value": 100 * (check.get("messages", 0) - len(check.get("nlu_differences", [])))
                / max(1, check.get("messages", 0)), "limit": 100, "unit": "% of messages", "op": "=",
                "met": bool(check.get("identical"))})
    return out


def table(results: dict) -> str:
    """The console table (also the top of RESULTS.md)."""
    h, cv, ip = results["heldout"], results["cv"], results["inprocess"]
    tr, rest = results["training"], results["rest"]
    lines = ["| measure | project config | Rasa default config |", "| --- | ---: | ---: |"]

    def row(name, project, default):
        lines.append(f"| {name} | {project} | {default} |")

    row("held-out intent accuracy", _pct(h["project"]["accuracy"]), _pct(h["default"]["accuracy"]))
    row("held-out intent macro F1", _f(h["project"]["macro_f1"], 3), _f(h["default"]["macro_f1"], 3))
    row("held-out response selection accuracy", _pct(h["project"]["response_selection_accuracy"]),
        _pct(h["default"]["response_selection_accuracy"]))
    def cv_accuracy(name):
        spread = cv[name].get("per_fold", {}).get("intent", {}).get("test accuracy")
        return _pct(cv[name]["accuracy"]) + (f" (fold sd {100 * spread['std']:.1f} pt)" if spread else "")

    row("5-fold CV intent accuracy (training data)", cv_accuracy("project"), cv_accuracy("default"))
    row("5-fold CV intent macro F1", _f(cv["project"]["macro_f1"], 3), _f(cv["default"]["macro_f1"], 3))
    row("5-fold CV response selection accuracy", _pct(cv["project"].get("response_selection_accuracy")),
        _pct(cv["default"].get("response_selection_accuracy")))
    row("scripted checks ending with the rule module's verdict (in-process)",
        f"{ip['project']['checks_succeeded']}/{ip['project']['checks_total']}",
        f"{ip['default']['checks_succeeded']}/{ip['default']['checks_total']}")
    for q in ("p50", "p95", "p99"):
        p, d = ip["project"]["wall"][f"{q}_ms"], ip["default"]["wall"][f"{q}_ms"]
        row(f"in-process per-turn latency {q} (ms)", _f(p), f"{_f(d)} ({d / p:.2f}x project)")
    row("in-process CPU time per turn p50 (ms)", _f(ip["project"]["cpu"]["p50_ms"]),
        _f(ip["default"]["cpu"]["p50_ms"]))
    levels = {name: _levels(rest[name]) for name in ("project", "default")}
    for patients in sorted(levels["project"]):
        p, d = levels["project"][patients], levels["default"].get(patients, {})
        row(f"REST {patients} patient(s), no pauses: turns/s", _f(p["turns_per_s"]), _f(d.get("turns_per_s")))
        row(f"REST {patients} patient(s), no pauses: p50 / p95 (ms)",
            f"{_f(p['p50_ms'], 0)} / {_f(p['p95_ms'], 0)}", f"{_f(d.get('p50_ms'), 0)} / {_f(d.get('p95_ms'), 0)}")
    for patients, p in sorted(_levels(rest["project"], "paced").items()):
        row(f"REST {patients} patients pausing ~{results['think_s']:.0f} s: turns/s, p50 / p95 (ms)",
            f"{_f(p['turns_per_s'])}, {_f(p['p50_ms'], 0)} / {_f(p['p95_ms'], 0)}", "")
    row("cold start: process start to first answer (s)",
        f"{_f(rest['project']['cold_start_median_s'])} (median of {len(rest['project']['cold_start_s'])})",
        _f(rest["default"]["cold_start_median_s"]))
    row("action server: process start to healthy (s)", _f(rest["project"].get("action_startup_s")),
        _f(rest["default"].get("action_startup_s")))
    row("training time (s)", _f(tr["project"]["train_s"], 0), _f(tr["default"]["train_s"], 0))
    row("model size (MB)", _f(results["model"]["bytes"] / 1e6), _f(tr["default"]["model_bytes"] / 1e6))
    row("Rasa server peak RSS (MB)", _f(rest["project"].get("rasa_peak_rss_mb"), 0),
        _f(rest["default"].get("rasa_peak_rss_mb"), 0))
    row("action server peak RSS (MB)", _f(rest["project"].get("action_peak_rss_mb"), 0),
        _f(rest["default"].get("action_peak_rss_mb"), 0))
    rules = results["rules"]["assessments"]
    per_s = [1 / r["from_json_s"] for r in rules.values()]
    lines.append(f"| rule module alone: assessments/s, from JSON ({len(per_s)} scenarios) | "
                 f"{min(per_s):,.0f} to {max(per_s):,.0f} | (same module) |")
    lines += ["", "| target | measured | target | met |", "| --- | ---: | ---: | :---: |"]
    for t in targets(results):
        lines.append(f"| {t['target']} | {_f(t['value'])} {t['unit']} | {t['op']} {t['limit']} {t['unit']} | "
                     f"{'yes' if t['met'] else 'NO'} |")
    return "\n".join(lines)


def effects_table(results: dict) -> str:
    """What the speed-ups changed, and what an in-memory tracker store would change."""
    ip, rest = results["inprocess"], results["rest"]
    stock, fast = ip["project_stock"], ip["project"]
    r_stock, r_fast, r_mem = (rest["project_stock"], rest["project"], rest["project_in_memory"])
    l_stock, l_fast, l_mem = (_levels(r).get(10, {}) for r in (r_stock, r_fast, r_mem))
    lines = ["| measure (project config) | Rasa's own code | with components/speedups.py | "
             "speed-ups + tracker store in memory |", "| --- | ---: | ---: | ---: |"]

    def row(name, a, b, c=""):
        lines.append(f"| {name} | {a} | {b} | {c} |")

    for q in ("p50", "p95", "p99"):
        row(f"in-process per-turn latency {q} (ms)", _f(stock["wall"][f"{q}_ms"]), _f(fast["wall"][f"{q}_ms"]),
            "(in-process runs keep the tracker in memory)" if q == "p50" else "")
    row("in-process CPU time per turn p50 (ms)", _f(stock["cpu"]["p50_ms"]), _f(fast["cpu"]["p50_ms"]))
    row("in-process CPU time of a check's last turn p50 (ms)", _f(stock["check_verdict_turns"]["cpu"]["p50_ms"]),
        _f(fast["check_verdict_turns"]["cpu"]["p50_ms"]))
    row("cold start (s)", _f(r_stock["cold_start_median_s"]), _f(r_fast["cold_start_median_s"]),
        _f(r_mem["cold_start_median_s"]))
    row("Rasa server peak RSS (MB)", _f(r_stock.get("rasa_peak_rss_mb"), 0), _f(r_fast.get("rasa_peak_rss_mb"), 0),
        _f(r_mem.get("rasa_peak_rss_mb"), 0))
    row("REST 10 patients, no pauses: turns/s", _f(l_stock.get("turns_per_s")), _f(l_fast.get("turns_per_s")),
        _f(l_mem.get("turns_per_s")))
    row("REST 10 patients, no pauses: p50 / p95 (ms)", f"{_f(l_stock.get('p50_ms'), 0)} / {_f(l_stock.get('p95_ms'), 0)}",
        f"{_f(l_fast.get('p50_ms'), 0)} / {_f(l_fast.get('p95_ms'), 0)}",
        f"{_f(l_mem.get('p50_ms'), 0)} / {_f(l_mem.get('p95_ms'), 0)}")
    return "\n".join(lines)


def slim(results: dict) -> dict:
    """results without the per-turn samples and profile texts (for results.json)."""
    out = {**results, "inprocess": {}, "profiles": {}}
    for name, value in results.get("inprocess", {}).items():
        out["inprocess"][name] = ({k: v for k, v in value.items() if k != "turn_seconds"}
                                  if isinstance(value, dict) else value)
    out["profiles"] = {k: (f"bench/profile-{k}.txt" if isinstance(v, str) else v)
                       for k, v in results.get("profiles", {}).items()}
    return out


def plots(results: dict, out_dir=BENCH) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"project": "#1f77b4", "default": "#ff7f0e"}
    ip, rest = results["inprocess"], results["rest"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    for name in ("project", "default"):
        values = sorted(s * 1e3 for s in ip[name]["turn_seconds"])
        share = [(i + 1) / len(values) * 100 for i in range(len(values))]
        left.plot(values, share, label=f"{name} config (p95 {ip[name]['wall']['p95_ms']:.0f} ms)",
                  color=colours[name])
    if ip.get("project_stock", {}).get("turn_seconds"):
        values = sorted(s * 1e3 for s in ip["project_stock"]["turn_seconds"])
        left.plot(values, [(i + 1) / len(values) * 100 for i in range(len(values))], color=colours["project"],
                  linestyle=":", label=f"project config without the speed-ups (p95 "
                                       f"{ip['project_stock']['wall']['p95_ms']:.0f} ms)")
    left.axvline(results["targets"]["inprocess_p95_ms"], color="grey", linestyle="--", linewidth=1)
    left.axhline(95, color="grey", linestyle=":", linewidth=1)
    left.text(results["targets"]["inprocess_p95_ms"], 55, " target:\n p95 < 60 ms", color="grey", fontsize=8)
    left.set_xscale("log")
    left.set_xlabel("time to answer one message, in-process (ms, log scale)")
    left.set_ylabel("% of turns answered within")
    left.set_title("Per-turn latency (Agent + action server)")
    left.legend(loc="lower right", fontsize=8)
    for name in ("project", "default"):
        levels = rest[name]["levels"]
        xs = [level["patients"] for level in levels]
        right.plot(xs, [level["p95_ms"] for level in levels], marker="o", color=colours[name],
                   label=f"{name}: p95")
        right.plot(xs, [level["p50_ms"] for level in levels], marker=".", linestyle="--", color=colours[name],
                   label=f"{name}: p50")
        for level in levels:
            if name == "project":
                right.annotate(f"{level['turns_per_s']:.0f} turns/s", (level["patients"], level["p95_ms"]),
                               textcoords="offset points", xytext=(4, 6), fontsize=8, color=colours[name])
    paced = rest["project"].get("paced", [])
    if paced:
        right.plot([level["patients"] for level in paced], [level["p95_ms"] for level in paced], marker="s",
                   color="#2ca02c", label=f"project, patients pausing ~{results['think_s']:.0f} s: p95")
    right.axhline(results["targets"]["rest10_p95_ms"], color="grey", linestyle="--", linewidth=1)
    right.text(1, results["targets"]["rest10_p95_ms"] * 1.07, "target at 10 patients: p95 < 150 ms",
               color="grey", fontsize=8)
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xticks([1, 10, 50])
    right.set_xticklabels(["1", "10", "50"])
    right.set_xlabel("simulated patients at once (REST; no pauses unless stated)")
    right.set_ylabel("latency (ms, log scale)")
    right.set_title("Over REST on 2 cores")
    right.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(out_dir / "latency.png", dpi=110)
    plt.close(fig)

    h, cv = results["heldout"], results["cv"]
    labels = ["held-out\nintent accuracy", "held-out\nintent macro F1", "5-fold CV\nintent accuracy",
              "5-fold CV\nintent macro F1", "held-out response\nselection accuracy",
              "5-fold CV response\nselection accuracy"]
    fig, axis = plt.subplots(figsize=(11, 4.6))
    width = 0.38
    for offset, name in ((-width / 2, "project"), (width / 2, "default")):
        values = [h[name]["accuracy"], h[name]["macro_f1"], cv[name]["accuracy"] or 0, cv[name]["macro_f1"] or 0,
                  h[name]["response_selection_accuracy"] or 0, cv[name].get("response_selection_accuracy") or 0]
        bars = axis.bar([i + offset for i in range(len(values))], values, width, color=colours[name],
                        label=f"{name} config")
        for bar, value in zip(bars, values):
            axis.text(bar.get_x() + bar.get_width() / 2, value + 0.005, f"{value:.3f}", ha="center",
                      fontsize=8)
    axis.set_ylim(0.0, 1.05)
    axis.axhline(0.95, color="grey", linestyle="--", linewidth=1)
    axis.text(5.45, 0.953, "make test's floor for\nheld-out intent accuracy", color="grey", fontsize=7, ha="right",
              va="bottom")
    axis.set_xticks(range(len(labels)))
    axis.set_xticklabels(labels)
    axis.set_title("Understanding patients: project config vs Rasa's default recipe (same data)")
    axis.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "nlu.png", dpi=110)
    plt.close(fig)


SEPARATE_SECTIONS = ("turns.md", "cluster-failover.md", "cluster-load.md")  # cluster-load.md last: bench/cluster_load.py rewrites from its mark on


def write(results: dict, table_text: str) -> None:
    """bench/RESULTS.md, bench/results.json, the plots and the profile summaries."""
    plots(results)
    for name, text in results.get("profiles", {}).items():
        if isinstance(text, str):
            (BENCH / f"profile-{name}.txt").write_text(text)
    write_json(BENCH / "results.json", slim(results))
    from bench.results_md import render
    text = render(results, table_text, effects_table(results), targets(results))
    # sections measured by their own scripts (bench/turns.py, bench/cluster_load.py), kept as they are
    kept = [(BENCH / name).read_text() for name in SEPARATE_SECTIONS if (BENCH / name).exists()]
    (BENCH / "RESULTS.md").write_text("\n".join([text.rstrip("\n") + "\n", *kept]))
